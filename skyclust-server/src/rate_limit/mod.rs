//! Fixed-window rate limiting behind a small trait: in-process counters for one server
//! ([`MemoryRateLimiter`]), or counters in Redis shared by every replica ([`redis`]).

pub mod redis;

use std::collections::HashMap;
use std::time::Duration;

use parking_lot::Mutex;

use crate::clock::SharedClock;

/// The outcome of counting one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// Requests allowed per window.
    pub limit: u32,
    /// Requests left in the current window.
    pub remaining: u32,
    /// When the current window ends (unix seconds).
    pub reset_at: i64,
    /// Seconds until the window ends.
    pub retry_after: u64,
}

/// Counts requests per key in fixed windows.
#[async_trait::async_trait]
pub trait RateLimiter: Send + Sync + std::fmt::Debug {
    /// Counts a request against `key` (unless the window is already full) and decides.
    async fn hit(&self, key: &str, limit: u32, window: Duration) -> Decision;

    /// Decides as `hit` would, without counting.
    async fn peek(&self, key: &str, limit: u32, window: Duration) -> Decision;

    /// Gives back one request that `hit` counted in the window ending at `reset_at` (its
    /// [`Decision::reset_at`]); nothing once that window has ended, so a refund never erases a
    /// count of the next window.
    async fn refund(&self, key: &str, reset_at: i64);

    /// Where the counts are kept, as `GET /health/redis` reports it.
    fn describe(&self) -> &'static str {
        "in-process"
    }
}

/// The in-process limiter of the embedded default.
#[derive(Debug)]
pub struct MemoryRateLimiter {
    clock: SharedClock,
    windows: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    counts: HashMap<String, Window>,
    sweep_at: usize,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    ends_at: i64,
    count: u32,
}

/// Entries kept before stale windows are swept.
const SWEEP_THRESHOLD: usize = 10_000;

impl MemoryRateLimiter {
    /// A limiter reading time from `clock`.
    pub fn new(clock: SharedClock) -> MemoryRateLimiter {
        MemoryRateLimiter {
            clock,
            windows: Mutex::new(Windows { counts: HashMap::new(), sweep_at: SWEEP_THRESHOLD }),
        }
    }

    fn decide(&self, key: &str, limit: u32, window: Duration, count_it: bool) -> Decision {
        let now = self.clock.now().timestamp();
        let window_secs = i64::try_from(window.as_secs().max(1)).unwrap_or(i64::MAX);
        let ends_at = (now.div_euclid(window_secs) + 1) * window_secs;
        let mut windows = self.windows.lock();
        if windows.counts.len() >= windows.sweep_at {
            windows.counts.retain(|_, window| window.ends_at > now);
            windows.sweep_at = (windows.counts.len() * 2).max(SWEEP_THRESHOLD);
        }
        let entry = windows.counts.entry(key.to_owned()).or_insert(Window { ends_at, count: 0 });
        if entry.ends_at <= now {
            *entry = Window { ends_at, count: 0 };
        }
        let allowed = entry.count < limit;
        if allowed && count_it {
            entry.count += 1;
        }
        Decision {
            allowed,
            limit,
            remaining: limit.saturating_sub(entry.count),
            reset_at: entry.ends_at,
            retry_after: u64::try_from(entry.ends_at - now).unwrap_or(0).max(1),
        }
    }
}

#[async_trait::async_trait]
impl RateLimiter for MemoryRateLimiter {
    async fn hit(&self, key: &str, limit: u32, window: Duration) -> Decision {
        self.decide(key, limit, window, true)
    }

    async fn peek(&self, key: &str, limit: u32, window: Duration) -> Decision {
        self.decide(key, limit, window, false)
    }

    async fn refund(&self, key: &str, reset_at: i64) {
        let now = self.clock.now().timestamp();
        let mut windows = self.windows.lock();
        if let Some(entry) = windows.counts.get_mut(key)
            && entry.ends_at == reset_at
            && entry.ends_at > now
        {
            entry.count = entry.count.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::TimeZone;

    use super::*;
    use crate::clock::ManualClock;

    #[tokio::test]
    async fn counts_within_a_window_and_resets_after_it() {
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 1, 1, 10, 0, 0).unwrap());
        let limiter = MemoryRateLimiter::new(Arc::new(clock.clone()));
        let hour = Duration::from_secs(3600);
        for expected_remaining in [2, 1, 0] {
            let decision = limiter.hit("ip:1", 3, hour).await;
            assert!(decision.allowed);
            assert_eq!(decision.remaining, expected_remaining);
        }
        let refused = limiter.hit("ip:1", 3, hour).await;
        assert!(!refused.allowed);
        assert_eq!(refused.reset_at, chrono::Utc.with_ymd_and_hms(2024, 1, 1, 11, 0, 0).unwrap().timestamp());
        assert_eq!(refused.retry_after, 3600);
        assert!(limiter.hit("ip:2", 3, hour).await.allowed, "keys are independent");
        assert!(!limiter.peek("ip:1", 3, hour).await.allowed);

        clock.advance(chrono::Duration::minutes(59));
        assert_eq!(limiter.peek("ip:1", 3, hour).await.retry_after, 60);
        clock.advance(chrono::Duration::minutes(1));
        let fresh = limiter.hit("ip:1", 3, hour).await;
        assert!(fresh.allowed);
        assert_eq!(fresh.remaining, 2);
    }

    #[tokio::test]
    async fn a_refund_gives_one_request_back_within_its_own_window_only() {
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 1, 1, 10, 0, 0).unwrap());
        let limiter = MemoryRateLimiter::new(Arc::new(clock.clone()));
        let hour = Duration::from_secs(3600);
        let first = limiter.hit("k", 1, hour).await;
        assert!(first.allowed);
        assert!(!limiter.peek("k", 1, hour).await.allowed);
        limiter.refund("k", first.reset_at).await;
        let second = limiter.hit("k", 1, hour).await;
        assert!(second.allowed);
        limiter.refund("k", second.reset_at).await;
        limiter.refund("k", second.reset_at).await;
        assert_eq!(limiter.peek("k", 2, hour).await.remaining, 2, "never below zero");
        limiter.refund("absent", second.reset_at).await;

        // A request counted in one window is not refunded from the next.
        let late = limiter.hit("k", 2, hour).await;
        clock.advance(chrono::Duration::hours(1));
        assert!(limiter.hit("k", 2, hour).await.allowed);
        limiter.refund("k", late.reset_at).await;
        assert_eq!(limiter.peek("k", 2, hour).await.remaining, 1);
    }

    #[tokio::test]
    async fn peek_does_not_count() {
        let limiter = MemoryRateLimiter::new(Arc::new(crate::clock::SystemClock));
        let minute = Duration::from_secs(60);
        for _ in 0..5 {
            assert_eq!(limiter.peek("k", 1, minute).await.remaining, 1);
        }
        assert!(limiter.hit("k", 1, minute).await.allowed);
        assert!(!limiter.hit("k", 1, minute).await.allowed);
    }
}
