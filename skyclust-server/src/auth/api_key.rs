//! API key material: `sk_` + 43 base62 characters (256 bits), stored only as SHA-256.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;
use rand::RngExt;
use uuid::Uuid;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/// Characters after `sk_`: 43 base62 characters carry 256 bits.
const BODY_LEN: usize = 43;
/// Characters shown as the key's prefix (including `sk_`).
pub const PREFIX_LEN: usize = 11;

/// A new key, its display prefix and its hash.
#[derive(Debug)]
pub struct GeneratedKey {
    /// The secret, shown once.
    pub key: String,
    /// Its first characters.
    pub prefix: String,
    /// SHA-256, hex.
    pub hash: String,
}

/// Generates a fresh key from the operating system's randomness.
pub fn generate() -> GeneratedKey {
    let mut rng = rand::rng();
    let body: String =
        (0..BODY_LEN).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
    let key = format!("sk_{body}");
    GeneratedKey { prefix: key[..PREFIX_LEN].to_owned(), hash: hash(&key), key }
}

/// SHA-256 of `key`, hex-encoded.
pub fn hash(key: &str) -> String {
    crate::crypto::sha256_hex(key.as_bytes())
}

/// Decides when a key's `last_used_at` is worth writing: at most once a minute per key, so a
/// busy key does not cost a write per request.
#[derive(Debug, Default)]
pub struct UsageTracker {
    written: Mutex<HashMap<Uuid, DateTime<Utc>>>,
}

/// How stale `last_used_at` may get.
const USAGE_RESOLUTION: Duration = Duration::minutes(1);

impl UsageTracker {
    /// Whether the use of `key` at `now` should be written, given what was stored.
    pub fn should_write(&self, key: Uuid, stored: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        if stored.is_some_and(|stored| now - stored < USAGE_RESOLUTION) {
            return false;
        }
        let mut written = self.written.lock();
        if written.get(&key).is_some_and(|last| now - *last < USAGE_RESOLUTION) {
            return false;
        }
        if written.len() > 10_000 {
            written.retain(|_, last| now - *last < USAGE_RESOLUTION);
        }
        written.insert(key, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_long_random_and_hashed() {
        let first = generate();
        let second = generate();
        assert_ne!(first.key, second.key);
        assert!(first.key.starts_with("sk_") && first.key.len() == 3 + BODY_LEN);
        assert!(first.key.starts_with(&first.prefix));
        assert_eq!(first.hash, hash(&first.key));
        assert_eq!(first.hash.len(), 64);
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn usage_is_written_at_most_once_a_minute() {
        let tracker = UsageTracker::default();
        let key = Uuid::new_v4();
        let now = Utc::now();
        assert!(tracker.should_write(key, None, now));
        assert!(!tracker.should_write(key, None, now + Duration::seconds(30)));
        assert!(tracker.should_write(key, None, now + Duration::seconds(61)));
        assert!(!tracker.should_write(Uuid::new_v4(), Some(now), now + Duration::seconds(5)));
    }
}
