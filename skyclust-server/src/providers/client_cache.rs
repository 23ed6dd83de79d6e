//! Provider clients kept per credential (and, for EC2, region), so what a client sets up once —
//! its HTTP connection pool, request signing, a token refresher — is reused across calls instead
//! of rebuilt for each one.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use parking_lot::{Mutex, MutexGuard};
use sha2::{Digest, Sha256};

/// Clients a driver keeps at once (one per credential, and for EC2 per region); the least
/// recently used goes first.
pub const MAX_CLIENTS: usize = 64;
/// A client unused this long is dropped, with the keys (or the token refresher) it holds.
pub const CLIENT_IDLE: Duration = Duration::from_secs(3600);

/// The key of a client made from `parts` (each length-prefixed, so no two lists collide).
pub fn key(parts: &[&[u8]]) -> [u8; 32] {
    let mut digest = Sha256::new();
    for part in parts {
        digest.update((part.len() as u64).to_be_bytes());
        digest.update(part);
    }
    digest.finalize().into()
}

/// Up to `capacity` clients, the least recently used dropped first, and any unused for `idle`
/// dropped (with the secrets it holds). Keys are SHA-256 digests, so no secret is kept twice.
pub struct ClientCache<C> {
    clients: Mutex<HashMap<[u8; 32], (C, Instant)>>,
    capacity: usize,
    idle: Duration,
}

impl<C: Clone> ClientCache<C> {
    /// An empty cache.
    pub fn new(capacity: usize, idle: Duration) -> ClientCache<C> {
        ClientCache { clients: Mutex::new(HashMap::new()), capacity, idle }
    }

    /// The client under `key`, if kept (and now the most recently used).
    pub fn get(&self, key: &[u8; 32]) -> Option<C> {
        let mut clients = self.lock();
        let (client, used) = clients.get_mut(key)?;
        if used.elapsed() >= self.idle {
            clients.remove(key);
            return None;
        }
        *used = Instant::now();
        Some(client.clone())
    }

    /// The client under `key`, made by `make` and kept when there is none — under one lock,
    /// so callers racing for a missing key all get the same client.
    pub fn get_or_insert_with(&self, key: [u8; 32], make: impl FnOnce() -> C) -> C {
        if let Some(client) = self.get(&key) {
            return client;
        }
        let mut clients = self.lock();
        if let Some((client, used)) = clients.get_mut(&key) {
            *used = Instant::now();
            return client.clone();
        }
        let client = make();
        self.make_room(&mut clients, &key);
        clients.insert(key, (client.clone(), Instant::now()));
        client
    }

    /// Keeps `client` under `key`, making room first.
    pub fn insert(&self, key: [u8; 32], client: C) {
        let mut clients = self.lock();
        self.make_room(&mut clients, &key);
        clients.insert(key, (client, Instant::now()));
    }

    /// Drops idle clients, then the least recently used one if `key` would not fit.
    fn make_room(&self, clients: &mut HashMap<[u8; 32], (C, Instant)>, key: &[u8; 32]) {
        clients.retain(|_, (_, used)| used.elapsed() < self.idle);
        if clients.len() >= self.capacity
            && !clients.contains_key(key)
            && let Some(oldest) = clients.iter().min_by_key(|(_, (_, used))| *used).map(|(key, _)| *key)
        {
            clients.remove(&oldest);
        }
    }

    /// How many clients are kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<[u8; 32], (C, Instant)>> {
        self.clients.lock()
    }
}

impl<C> std::fmt::Debug for ClientCache<C> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.clients.lock().len();
        formatter.debug_struct("ClientCache").field("kept", &kept).field("capacity", &self.capacity).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_most_recently_used_and_drops_idle_clients() {
        let cache = ClientCache::new(2, Duration::from_secs(3600));
        let (a, b, c) = (key(&[b"a"]), key(&[b"b"]), key(&[b"c"]));
        cache.insert(a, 1);
        cache.insert(b, 2);
        assert_eq!(cache.get(&a), Some(1), "a is now the most recently used");
        cache.insert(c, 3);
        assert_eq!((cache.get(&a), cache.get(&b), cache.get(&c), cache.len()), (Some(1), None, Some(3), 2));

        let brief = ClientCache::new(2, Duration::ZERO);
        brief.insert(a, 1);
        assert_eq!(brief.get(&a), None, "unused for its idle time, it is gone");
        assert!(brief.is_empty());
    }

    #[test]
    fn get_or_insert_makes_one_client_per_key() {
        let cache = ClientCache::new(2, Duration::from_secs(3600));
        let a = key(&[b"a"]);
        assert_eq!(cache.get_or_insert_with(a, || 1), 1);
        assert_eq!(cache.get_or_insert_with(a, || 2), 1, "kept, not made again");
        cache.get_or_insert_with(key(&[b"b"]), || 3);
        cache.get_or_insert_with(key(&[b"c"]), || 4);
        assert_eq!(cache.len(), 2, "room is made as insert makes it");
    }

    #[test]
    fn keys_separate_their_parts() {
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_eq!(key(&[b"a", b"b"]), key(&[b"a", b"b"]));
    }
}
