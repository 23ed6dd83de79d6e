//! Time as the server sees it. Two readings, each read in one place:
//!
//! - [`Clock`], injected: the *server clock*, by which VMs are timed and metered, costs
//!   rolled up, rate-limit windows counted and the sandbox's instances progress. Tests move a
//!   [`ManualClock`] by hand, so a hundred hours of billing take no time.
//! - [`real_now`]: real time, for everything that must agree with the world outside: records'
//!   `created_at`/`updated_at` (but a VM's, which metering reads, are the server clock's), tokens (whose `exp` jsonwebtoken checks against the system
//!   clock, and which a user's deactivation time must be comparable with), leases and the
//!   operation queue shared by replicas, idempotency keys, envelope and event timestamps.
//!   The worker and the leases keep moving in a test that holds the server clock still.
//!
//! In production both read the system clock, to the microsecond storage keeps.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, SubsecRound, Utc};

/// Real time, truncated to what storage keeps (microseconds), so a value read back equals the
/// value written.
pub fn real_now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        real_now()
    }
}

/// A clock that moves only when told to.
#[derive(Debug, Clone)]
pub struct ManualClock {
    micros: Arc<AtomicI64>,
}

impl ManualClock {
    /// A clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> ManualClock {
        ManualClock { micros: Arc::new(AtomicI64::new(start.timestamp_micros())) }
    }

    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        self.micros.fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.micros.load(Ordering::SeqCst)).unwrap_or_else(real_now)
    }
}

/// A shareable clock.
pub type SharedClock = Arc<dyn Clock>;
