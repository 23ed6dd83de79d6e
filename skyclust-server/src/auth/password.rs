//! Password hashing with argon2id, off the async runtime's threads.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::ApiError;

/// Hashes `password` into a PHC string with a random salt.
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| ApiError::internal(format_args!("password hashing failed: {error}")))
    })
    .await
    .map_err(ApiError::internal)?
}

/// Whether `password` matches `stored`. With no stored hash (unknown account) a dummy hash
/// is checked instead, so both answers take the same time.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ApiError> {
    tokio::task::spawn_blocking(move || {
        let (hash, known) = match stored {
            Some(hash) => (hash, true),
            None => (dummy_hash().to_owned(), false),
        };
        let matches = Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok();
        matches && known
    })
    .await
    .map_err(ApiError::internal)
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
        let first = hash("correct horse".into()).await.unwrap();
        let second = hash("correct horse".into()).await.unwrap();
        assert_ne!(first, second, "salts are random");
        assert!(first.starts_with("$argon2id$"));
        assert!(verify("correct horse".into(), Some(first.clone())).await.unwrap());
        assert!(!verify("wrong horse".into(), Some(first)).await.unwrap());
        assert!(!verify("skyclust-timing-equaliser".into(), None).await.unwrap());
    }
}
