//! Password hashing with argon2id, off the async runtime's threads and bounded in
//! concurrency: each hash takes 19 MiB and tens of milliseconds of a core, so an unbounded
//! burst of sign-ins would take the server's memory with it.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::http::{HeaderValue, header};
use skyclust_types::ErrorCode;
use tokio::sync::Semaphore;

use crate::error::ApiError;

/// Runs password hashes, at most a fixed number at once; a request that cannot get a slot
/// within the configured wait is refused with 503 and `Retry-After` without hashing anything.
#[derive(Debug, Clone)]
pub struct Hasher {
    slots: Arc<Semaphore>,
    wait: Duration,
}

impl Hasher {
    /// At most `concurrency` hashes at once (0: one per CPU core), each request waiting at most
    /// `wait` for its turn.
    pub fn new(concurrency: usize, wait: Duration) -> Hasher {
        let concurrency = if concurrency == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        } else {
            concurrency
        };
        Hasher { slots: Arc::new(Semaphore::new(concurrency)), wait }
    }

    /// Hashes `password` into a PHC string with a random salt.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|error| ApiError::internal(format_args!("password hashing failed: {error}")))
        })
        .await?
    }

    /// Whether `password` matches `stored`. With no stored hash (unknown account) a dummy hash
    /// is checked instead, so both answers take the same time.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        self.run(move || {
            let (hash, known) = match stored {
                Some(hash) => (hash, true),
                None => (dummy_hash().to_owned(), false),
            };
            let matches = Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok();
            matches && known
        })
        .await
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let slot = match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(slot)) => slot,
            _ => {
                return Err(ApiError::new(
                    ErrorCode::ServiceUnavailable,
                    "Too many sign-ins are being processed; retry shortly",
                )
                .with_header(header::RETRY_AFTER, HeaderValue::from_static("1")));
            }
        };
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(slot);
            result
        })
        .await
        .map_err(ApiError::internal)
    }
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        Argon2::default()
            .hash_password(b"skyclust-timing-equaliser")
            .map(|hash| hash.to_string())
            .expect("hashing a constant succeeds")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let hasher = Hasher::new(0, Duration::from_secs(5));
        let first = hasher.hash("correct horse".into()).await.unwrap();
        let second = hasher.hash("correct horse".into()).await.unwrap();
        assert_ne!(first, second, "salts are random");
        assert!(first.starts_with("$argon2id$"));
        assert!(hasher.verify("correct horse".into(), Some(first.clone())).await.unwrap());
        assert!(!hasher.verify("wrong horse".into(), Some(first)).await.unwrap());
        assert!(!hasher.verify("skyclust-timing-equaliser".into(), None).await.unwrap());
    }

    #[tokio::test]
    async fn a_request_without_a_slot_is_refused_at_once_without_hashing() {
        let hasher = Hasher::new(1, Duration::from_millis(50));
        let held = hasher.slots.clone().acquire_owned().await.unwrap();
        let refused = hasher.verify("pw".into(), None).await.unwrap_err();
        assert_eq!(refused.code(), ErrorCode::ServiceUnavailable);
        drop(held);
        assert!(!hasher.verify("pw".into(), None).await.unwrap(), "a freed slot serves the next request");
    }
}
