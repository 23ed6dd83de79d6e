//! How many WebSocket sessions each user and each client address holds, so that no one
//! client can open them without bound (each costs a socket, two tasks and a bus receiver).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use parking_lot::Mutex;
use uuid::Uuid;

/// Who a session is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    /// The signed-in user.
    User(Uuid),
    /// The client address (`None`: unknown, counted together).
    Address(Option<IpAddr>),
}

/// Open sessions per holder.
#[derive(Debug, Clone, Default)]
pub struct SessionCounts(Arc<Mutex<HashMap<Holder, usize>>>);

impl SessionCounts {
    /// Counts one more session for `holder`, unless it already holds `max`; the session is
    /// counted until the returned slot is dropped.
    pub fn open(&self, holder: Holder, max: usize) -> Option<SessionSlot> {
        let mut counts = self.0.lock();
        let count = counts.entry(holder).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(SessionSlot { counts: self.clone(), holder })
    }

    /// Sessions `holder` holds now.
    pub fn held(&self, holder: Holder) -> usize {
        self.0.lock().get(&holder).copied().unwrap_or(0)
    }
}

/// One counted session; dropping it gives the place back.
#[derive(Debug)]
pub struct SessionSlot {
    counts: SessionCounts,
    holder: Holder,
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        let mut counts = self.counts.0.lock();
        if let Some(count) = counts.get_mut(&self.holder) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.holder);
            }
        }
    }
}

/// A token bucket for the messages one client sends: `per_minute` in a burst, refilled
/// evenly over each minute.
#[derive(Debug)]
pub struct MessageBudget {
    per_minute: f64,
    tokens: f64,
    refilled: Instant,
}

impl MessageBudget {
    /// A full bucket.
    pub fn new(per_minute: u32) -> MessageBudget {
        let per_minute = f64::from(per_minute.max(1));
        MessageBudget { per_minute, tokens: per_minute, refilled: Instant::now() }
    }

    /// Takes one message's place; `false` when the client is over its budget.
    pub fn take(&mut self) -> bool {
        self.take_at(Instant::now())
    }

    fn take_at(&mut self, now: Instant) -> bool {
        let earned = now.duration_since(self.refilled).as_secs_f64() * self.per_minute / 60.0;
        self.tokens = (self.tokens + earned).min(self.per_minute);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_capped_per_holder_and_given_back_on_drop() {
        let counts = SessionCounts::default();
        let user = Holder::User(Uuid::new_v4());
        let first = counts.open(user, 2).unwrap();
        let _second = counts.open(user, 2).unwrap();
        assert!(counts.open(user, 2).is_none(), "a third is refused");
        assert!(counts.open(Holder::User(Uuid::new_v4()), 2).is_some(), "others are not affected");
        drop(first);
        assert_eq!(counts.held(user), 1);
        assert!(counts.open(user, 2).is_some());
    }

    #[test]
    fn the_message_budget_refills_over_the_minute() {
        let mut budget = MessageBudget::new(6);
        let start = budget.refilled;
        assert!((0..6).all(|_| budget.take_at(start)), "a burst of the whole budget");
        assert!(!budget.take_at(start));
        let later = start + std::time::Duration::from_secs(10);
        assert!(budget.take_at(later), "one message per 10 s comes back");
        assert!(!budget.take_at(later));
        assert!(
            (0..6).all(|_| budget.take_at(later + std::time::Duration::from_secs(3600))),
            "never above the burst"
        );
        assert!(!budget.take_at(later + std::time::Duration::from_secs(3600)));
    }
}
