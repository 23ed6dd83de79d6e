//! The rate limiter shared by every replica: fixed windows counted in Redis, one round trip
//! (a Lua script) per decision.
//!
//! When Redis cannot be reached the limiter falls back to the in-process counters of this
//! replica — limits stay in force, per replica, instead of disappearing (fail-open) or refusing
//! everyone (fail-closed). The outage is logged once, shown by `GET /health/redis`, and Redis is
//! tried again at most once a second, so an outage costs requests no waiting.

use std::time::{Duration, Instant};

use parking_lot::Mutex;
use redis::aio::ConnectionManager;

use super::{Decision, MemoryRateLimiter, RateLimiter};
use crate::clock::SharedClock;

/// Counts `KEYS[1]` up to `ARGV[1]` (when `ARGV[3]` is 1), expiring it after `ARGV[2]` ms;
/// answers whether the request fits and the count after it.
const HIT: &str = r"
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local allowed = 0
if count < tonumber(ARGV[1]) then
  allowed = 1
  if ARGV[3] == '1' then
    count = redis.call('INCR', KEYS[1])
    if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
  end
end
return {allowed, count}
";

/// Gives one request back, never below zero.
const REFUND: &str = r"
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0
";

/// How long one Redis call may take before this request falls back to local counters.
const CALL_TIMEOUT: Duration = Duration::from_millis(250);

/// How long after a failure requests go straight to the local counters.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(1);

/// Fixed-window counting in Redis, with the in-process limiter as the fallback.
pub struct RedisRateLimiter {
    client: redis::Client,
    prefix: String,
    clock: SharedClock,
    connection: tokio::sync::Mutex<Option<ConnectionManager>>,
    health: Mutex<Health>,
    fallback: MemoryRateLimiter,
    hit: redis::Script,
    refund: redis::Script,
}

#[derive(Debug, Default)]
struct Health {
    /// While set and in the future, Redis is not tried.
    resting_until: Option<Instant>,
    /// Whether the current outage has been logged.
    outage_logged: bool,
}

impl std::fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisRateLimiter").field("prefix", &self.prefix).finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// Counts in the Redis of `client` under keys starting with `prefix`; `clock` places the
    /// windows (as in the in-process limiter, so both agree on when a window ends).
    pub fn new(client: redis::Client, prefix: &str, clock: SharedClock) -> RedisRateLimiter {
        RedisRateLimiter {
            client,
            prefix: prefix.to_owned(),
            fallback: MemoryRateLimiter::new(clock.clone()),
            clock,
            connection: tokio::sync::Mutex::new(None),
            health: Mutex::new(Health::default()),
            hit: redis::Script::new(HIT),
            refund: redis::Script::new(REFUND),
        }
    }

    /// Whether decisions are being made on the local counters because Redis failed.
    pub fn is_falling_back(&self) -> bool {
        let health = self.health.lock();
        health.outage_logged
    }

    fn key(&self, key: &str, ends_at: i64) -> String {
        format!("{}rl:{ends_at}:{key}", self.prefix)
    }

    /// A connection, unless Redis failed within the last second.
    async fn connection(&self) -> Option<ConnectionManager> {
        {
            let health = self.health.lock();
            if health.resting_until.is_some_and(|until| until > Instant::now()) {
                return None;
            }
        }
        let mut slot = self.connection.lock().await;
        if let Some(connection) = slot.as_ref() {
            return Some(connection.clone());
        }
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CALL_TIMEOUT))
            .set_response_timeout(Some(CALL_TIMEOUT))
            .set_number_of_retries(1);
        match self.client.get_connection_manager_with_config(config).await {
            Ok(connection) => {
                *slot = Some(connection.clone());
                Some(connection)
            }
            Err(error) => {
                self.failed(&error.to_string());
                None
            }
        }
    }

    fn failed(&self, error: &str) {
        let mut health = self.health.lock();
        health.resting_until = Some(Instant::now() + RETRY_AFTER_FAILURE);
        if !health.outage_logged {
            health.outage_logged = true;
            tracing::warn!(
                error,
                "Redis is unreachable: rate limits fall back to this replica's own counters"
            );
        }
    }

    fn succeeded(&self) {
        let mut health = self.health.lock();
        health.resting_until = None;
        if health.outage_logged {
            health.outage_logged = false;
            tracing::info!("Redis answers again: rate limits are shared by every replica");
        }
    }

    async fn decide(&self, key: &str, limit: u32, window: Duration, count_it: bool) -> Decision {
        let now = self.clock.now();
        let now_secs = now.timestamp();
        let window_secs = i64::try_from(window.as_secs().max(1)).unwrap_or(i64::MAX);
        let ends_at = (now_secs.div_euclid(window_secs) + 1) * window_secs;
        let fallback = || async {
            if count_it {
                self.fallback.hit(key, limit, window).await
            } else {
                self.fallback.peek(key, limit, window).await
            }
        };
        let Some(mut connection) = self.connection().await else {
            return fallback().await;
        };
        // The key outlives its window a little, so a refund that arrives late finds it.
        let ttl_ms = (ends_at - now_secs + 60) * 1000;
        let mut invocation = self.hit.key(self.key(key, ends_at));
        invocation.arg(limit).arg(ttl_ms).arg(i64::from(count_it));
        let answer =
            tokio::time::timeout(CALL_TIMEOUT, invocation.invoke_async::<(i64, i64)>(&mut connection)).await;
        match answer {
            Ok(Ok((allowed, count))) => {
                self.succeeded();
                let count = u32::try_from(count.max(0)).unwrap_or(u32::MAX);
                Decision {
                    allowed: allowed == 1,
                    limit,
                    remaining: limit.saturating_sub(count),
                    reset_at: ends_at,
                    retry_after: u64::try_from(ends_at - now_secs).unwrap_or(0).max(1),
                }
            }
            Ok(Err(error)) => {
                self.failed(&error.to_string());
                fallback().await
            }
            Err(_) => {
                self.failed("no answer in time");
                fallback().await
            }
        }
    }
}

#[async_trait::async_trait]
impl RateLimiter for RedisRateLimiter {
    async fn hit(&self, key: &str, limit: u32, window: Duration) -> Decision {
        self.decide(key, limit, window, true).await
    }

    async fn peek(&self, key: &str, limit: u32, window: Duration) -> Decision {
        self.decide(key, limit, window, false).await
    }

    async fn refund(&self, key: &str, reset_at: i64) {
        // Counted locally while Redis was away: given back locally too (a no-op otherwise).
        self.fallback.refund(key, reset_at).await;
        let Some(mut connection) = self.connection().await else {
            return;
        };
        let invocation = self.refund.key(self.key(key, reset_at));
        match tokio::time::timeout(CALL_TIMEOUT, invocation.invoke_async::<i64>(&mut connection)).await {
            Ok(Ok(_)) => self.succeeded(),
            Ok(Err(error)) => self.failed(&error.to_string()),
            Err(_) => self.failed("no answer in time"),
        }
    }

    fn describe(&self) -> &'static str {
        if self.is_falling_back() { "redis (unreachable: this replica's own counters)" } else { "redis" }
    }
}
