//! Callers whose token was checked a moment ago, so their next request costs no database round
//! trip. On SQLite each round trip is a hand-off to sqlx's worker thread and back, most of an
//! authenticated read's CPU (see the README's Performance section).
//!
//! Safe because every way a checked token stops being good is a revocation, and a revocation
//! passes through here: a logout revokes its `jti`, a deactivation, deletion or role change its
//! user. [`crate::events::Events::revoke`] forgets them here before publishing, so on the replica
//! that made the change the next request already sees it; other replicas forget them when the
//! revocation arrives on the bus (with Redis), and a subscriber that fell behind forgets
//! everything. What no revocation carries — a new username, a change made in the database by
//! hand, or any change on a replica whose bus does not reach this one (several replicas without
//! Redis) — shows within [`TTL`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use parking_lot::{Mutex, MutexGuard};
use uuid::Uuid;

use crate::events::Revocation;
use crate::storage::users::UserRecord;

/// How long a checked caller is trusted without asking the database again.
pub const TTL: Duration = Duration::from_secs(5);
/// Callers kept at once; beyond that the oldest half goes.
pub const CAPACITY: usize = 10_000;

/// When a read of a caller began (see [`PrincipalCache::ticket`]).
#[derive(Debug, Clone, Copy)]
pub struct Ticket {
    epoch: u64,
    read_at: Instant,
}

/// Checked callers by token `jti`.
pub struct PrincipalCache {
    entries: Mutex<HashMap<String, (UserRecord, Instant)>>,
    // Moves on at every forgetting: a record read from the database before a revocation is not
    // stored after it (see `epoch`).
    epoch: AtomicU64,
    ttl: Duration,
    capacity: usize,
}

impl PrincipalCache {
    /// An empty cache trusting entries for `ttl`.
    pub fn new(ttl: Duration, capacity: usize) -> PrincipalCache {
        PrincipalCache {
            entries: Mutex::new(HashMap::new()),
            epoch: AtomicU64::new(0),
            ttl,
            capacity: capacity.max(1),
        }
    }

    /// Taken before reading a caller from the database and handed to [`PrincipalCache::put`],
    /// which stores nothing if anything was forgotten in between (the read may predate it), and
    /// counts the TTL from it, not from when the answer came.
    pub fn ticket(&self) -> Ticket {
        Ticket { epoch: self.epoch.load(Ordering::SeqCst), read_at: Instant::now() }
    }

    /// The user whose token `jti` was checked within the TTL, if it was `user`'s.
    pub fn get(&self, jti: &str, user: Uuid) -> Option<UserRecord> {
        let entries = self.lock();
        let (record, checked) = entries.get(jti)?;
        (record.id == user && checked.elapsed() < self.ttl).then(|| record.clone())
    }

    /// Remembers that the token `jti` was found good for `user` by the read `ticket` began.
    pub fn put(&self, jti: &str, mut user: UserRecord, ticket: Ticket) {
        // Nothing here needs it, and a hash kept is a hash that could leak.
        user.password_hash = String::new();
        let mut entries = self.lock();
        // Checked under the lock that forgetting takes too, so no forgetting slips in between.
        if self.epoch.load(Ordering::SeqCst) != ticket.epoch {
            return;
        }
        if entries.len() >= self.capacity {
            let ttl = self.ttl;
            entries.retain(|_, (_, checked)| checked.elapsed() < ttl);
            if entries.len() >= self.capacity {
                let mut ages: Vec<Instant> = entries.values().map(|(_, checked)| *checked).collect();
                ages.sort_unstable();
                let cutoff = ages[ages.len() / 2];
                entries.retain(|_, (_, checked)| *checked > cutoff);
            }
        }
        entries.insert(jti.to_owned(), (user, ticket.read_at));
    }

    /// Forgets what `revocation` ends (API keys are not kept here).
    pub fn forget(&self, revocation: &Revocation) {
        match revocation {
            Revocation::Token(jti) => {
                let mut entries = self.lock();
                self.epoch.fetch_add(1, Ordering::SeqCst);
                entries.remove(jti);
            }
            Revocation::User(user) => self.forget_user(*user),
            Revocation::ApiKey(_) => {}
        }
    }

    /// Forgets every token of `user` (their record changed).
    pub fn forget_user(&self, user: Uuid) {
        let mut entries = self.lock();
        self.epoch.fetch_add(1, Ordering::SeqCst);
        entries.retain(|_, (record, _)| record.id != user);
    }

    /// Forgets everything.
    pub fn clear(&self) {
        let mut entries = self.lock();
        self.epoch.fetch_add(1, Ordering::SeqCst);
        entries.clear();
    }

    /// How many callers are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, (UserRecord, Instant)>> {
        self.entries.lock()
    }
}

impl std::fmt::Debug for PrincipalCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("PrincipalCache").field("kept", &self.len()).field("ttl", &self.ttl).finish()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use skyclust_types::Role;

    use super::*;

    fn user(id: Uuid) -> UserRecord {
        UserRecord {
            id,
            username: "ada".into(),
            email: "ada@example.com".into(),
            password_hash: String::new(),
            role: Role::User,
            is_active: true,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            tokens_valid_after: None,
        }
    }

    #[test]
    fn revocations_forget_what_they_end() {
        let cache = PrincipalCache::new(Duration::from_secs(3600), 100);
        let (ada, bob) = (Uuid::new_v4(), Uuid::new_v4());
        cache.put("a1", user(ada), cache.ticket());
        cache.put("a2", user(ada), cache.ticket());
        cache.put("b1", user(bob), cache.ticket());
        assert_eq!(cache.get("a1", ada).map(|record| record.id), Some(ada));
        assert!(cache.get("a1", bob).is_none(), "a jti answers only for its own user");

        cache.forget(&Revocation::Token("a1".into()));
        assert!(cache.get("a1", ada).is_none() && cache.get("a2", ada).is_some());
        cache.forget(&Revocation::ApiKey(Uuid::new_v4()));
        assert_eq!(cache.len(), 2);
        cache.forget(&Revocation::User(ada));
        assert!(cache.get("a2", ada).is_none() && cache.get("b1", bob).is_some());
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn a_read_that_began_before_a_revocation_is_not_stored_after_it() {
        let cache = PrincipalCache::new(Duration::from_secs(3600), 100);
        let ada = Uuid::new_v4();
        let before = cache.ticket();
        cache.forget(&Revocation::User(ada)); // meanwhile: ada deactivated
        cache.put("a1", user(ada), before);
        assert!(cache.get("a1", ada).is_none(), "the stale record is dropped");
        cache.put("a1", user(ada), cache.ticket());
        assert!(cache.get("a1", ada).is_some());
    }

    #[test]
    fn entries_expire_and_the_cache_stays_bounded() {
        let expired = PrincipalCache::new(Duration::ZERO, 100);
        let ada = Uuid::new_v4();
        expired.put("a1", user(ada), expired.ticket());
        assert!(expired.get("a1", ada).is_none(), "trusted for its TTL only");

        let small = PrincipalCache::new(Duration::from_secs(3600), 4);
        for n in 0..50 {
            small.put(&format!("t{n}"), user(ada), small.ticket());
            assert!(small.len() <= 4);
        }
        assert!(small.get("t49", ada).is_some(), "the newest is kept");
    }
}
