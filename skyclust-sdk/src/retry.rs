//! Retries with full-jitter exponential backoff that honour `Retry-After`.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// When and how often a failed request is tried again.
///
/// Only idempotent requests (GET, PUT, DELETE, and POSTs sent with an `Idempotency-Key`) are
/// retried, and only after a connection failure, a timeout, or a 429/502/503/504 answer. A
/// `Retry-After` from the server is honoured; one longer than [`RetryPolicy::max_retry_after`] ends the retries instead.
///
/// ```
/// use std::time::Duration;
/// use skyclust_sdk::RetryPolicy;
/// let policy = RetryPolicy::default();
/// assert_eq!(policy.max_attempts, 3);
/// assert!(policy.delay(1, None) <= Duration::from_millis(400));
/// assert_eq!(policy.delay(1, Some(Duration::from_secs(2))), Duration::from_secs(2));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries).
    pub max_attempts: u32,
    /// The backoff's base: attempt `n` waits a random time up to `base_delay × 2ⁿ`.
    pub base_delay: Duration,
    /// The longest backoff.
    pub max_delay: Duration,
    /// The longest `Retry-After` worth waiting for.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    /// How long to wait before attempt `attempt + 1` (`attempt` counts from 1), given the
    /// server's `Retry-After`.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(retry_after) = retry_after {
            return retry_after;
        }
        let ceiling =
            self.base_delay.saturating_mul(2u32.saturating_pow(attempt.min(16))).min(self.max_delay);
        // Full jitter: uniformly anywhere between zero and the ceiling.
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(if nanos == 0 { 0 } else { jitter() % (nanos + 1) })
    }

    /// Whether a `Retry-After` is short enough to wait for.
    pub(crate) fn accepts_wait(&self, retry_after: Option<Duration>) -> bool {
        retry_after.is_none_or(|wait| wait <= self.max_retry_after)
    }
}

fn jitter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // A randomly keyed hash of a counter: random enough for spreading retries, no extra crate.
    RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_within_its_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            let ceiling = (policy.base_delay * 2u32.pow(attempt)).min(policy.max_delay);
            for _ in 0..50 {
                assert!(policy.delay(attempt, None) <= ceiling);
            }
        }
        let spread: std::collections::HashSet<_> = (0..20).map(|_| policy.delay(3, None)).collect();
        assert!(spread.len() > 1, "delays are jittered");
        assert!(policy.accepts_wait(Some(Duration::from_secs(60))));
        assert!(!policy.accepts_wait(Some(Duration::from_secs(61))));
    }
}
