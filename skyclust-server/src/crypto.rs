//! Encryption of secrets at rest: AES-256-GCM with a random nonce per write, the owning row's
//! id as associated data (a ciphertext moved to another row fails to open), and a key version
//! stored beside each ciphertext so keys can be rotated: new writes use the current key, older
//! rows open with the key of their version. Also the one SHA-256 digest helper.

use std::collections::HashMap;

use aes_gcm::aead::{Aead, Generate, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use secrecy::ExposeSecret;
use zeroize::Zeroizing;

use crate::config::{Config, Environment};
use crate::storage::{Database, settings};

/// SHA-256 of `bytes`, hex-encoded (stored API keys, idempotent request bodies).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A ciphertext and what is needed to open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Which key sealed it.
    pub key_version: u32,
    /// The nonce, base64.
    pub nonce: String,
    /// Ciphertext and tag, base64.
    pub ciphertext: String,
}

/// Why the configured keys cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Production mode needs an explicit key.
    #[error("SKYCLUST_ENCRYPTION_KEY must be set when SKYCLUST_ENV=production")]
    MissingInProduction,
    /// A key is not base64 of 32 bytes.
    #[error("{0} must be the base64 encoding of exactly 32 bytes")]
    Malformed(&'static str),
    /// An old key is not `version:base64`.
    #[error("SKYCLUST_ENCRYPTION_OLD_KEYS entries must look like `version:base64`")]
    MalformedOldKey,
    /// Storing a generated key failed.
    #[error("cannot persist the generated encryption key: {0}")]
    Storage(#[from] crate::storage::DbError),
}

/// A ciphertext could not be opened: wrong key, unknown version, or tampering.
#[derive(Debug, thiserror::Error)]
#[error("the stored secret cannot be decrypted (key version {0})")]
pub struct OpenError(pub u32);

/// The keys: the current one for sealing, all of them for opening.
pub struct Vault {
    current: u32,
    ciphers: HashMap<u32, Aes256Gcm>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut versions: Vec<_> = self.ciphers.keys().collect();
        versions.sort();
        f.debug_struct("Vault").field("current", &self.current).field("versions", &versions).finish()
    }
}

impl Vault {
    /// A vault holding `current` (the key for new writes) and `older` keys, by version.
    pub fn new(current: (u32, [u8; 32]), older: impl IntoIterator<Item = (u32, [u8; 32])>) -> Vault {
        let mut ciphers: HashMap<u32, Aes256Gcm> =
            older.into_iter().map(|(version, key)| (version, Aes256Gcm::new(&key.into()))).collect();
        ciphers.insert(current.0, Aes256Gcm::new(&current.1.into()));
        Vault { current: current.0, ciphers }
    }

    /// The configured keys; in development a missing key is generated once, stored in the
    /// database (so restarts and replicas agree) and announced.
    pub async fn from_config(config: &Config, db: &Database) -> Result<Vault, KeyError> {
        let current = match (&config.encryption_key, config.environment) {
            (Some(key), _) => {
                decode_key(key.expose_secret()).ok_or(KeyError::Malformed("SKYCLUST_ENCRYPTION_KEY"))?
            }
            (None, Environment::Production) => return Err(KeyError::MissingInProduction),
            (None, Environment::Development) => {
                let candidate = BASE64.encode(rand::random::<[u8; 32]>());
                let stored = settings::get_or_insert(db, "encryption_key", &candidate).await?;
                tracing::warn!(
                    "SKYCLUST_ENCRYPTION_KEY is not set: credentials are encrypted with a generated development key \
                     stored in the database (set SKYCLUST_ENCRYPTION_KEY, and SKYCLUST_ENV=production, for real deployments)"
                );
                decode_key(&stored).ok_or(KeyError::Malformed("the stored development key"))?
            }
        };
        let mut older = Vec::new();
        for entry in &config.encryption_old_keys {
            let (version, key) = entry.expose_secret().split_once(':').ok_or(KeyError::MalformedOldKey)?;
            let version = version.trim().parse().map_err(|_| KeyError::MalformedOldKey)?;
            older
                .push((version, decode_key(key).ok_or(KeyError::Malformed("SKYCLUST_ENCRYPTION_OLD_KEYS"))?));
        }
        Ok(Vault::new((config.encryption_key_version, current), older))
    }

    /// Encrypts `plaintext` for the row `row_id` with the current key and a fresh nonce.
    pub fn seal(&self, row_id: &[u8], plaintext: &[u8]) -> Sealed {
        let cipher = &self.ciphers[&self.current];
        let nonce = Nonce::generate();
        let ciphertext = cipher
            .encrypt(&nonce, Payload { msg: plaintext, aad: row_id })
            .expect("AES-GCM encryption of an in-memory buffer cannot fail");
        Sealed {
            key_version: self.current,
            nonce: BASE64.encode(nonce),
            ciphertext: BASE64.encode(ciphertext),
        }
    }

    /// Decrypts what `seal` produced for the same row.
    pub fn open(&self, row_id: &[u8], sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>, OpenError> {
        let failed = || OpenError(sealed.key_version);
        let cipher = self.ciphers.get(&sealed.key_version).ok_or_else(failed)?;
        let nonce_bytes = BASE64.decode(&sealed.nonce).map_err(|_| failed())?;
        let nonce = Nonce::try_from(nonce_bytes.as_slice()).map_err(|_| failed())?;
        let ciphertext = BASE64.decode(&sealed.ciphertext).map_err(|_| failed())?;
        let plaintext =
            cipher.decrypt(&nonce, Payload { msg: &ciphertext, aad: row_id }).map_err(|_| failed())?;
        Ok(Zeroizing::new(plaintext))
    }
}

fn decode_key(text: &str) -> Option<[u8; 32]> {
    BASE64.decode(text.trim()).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_for_their_row_and_key() {
        let vault = Vault::new((2, [7; 32]), [(1, [1; 32])]);
        let first = vault.seal(b"row-a", b"secret");
        let second = vault.seal(b"row-a", b"secret");
        assert_ne!(first.nonce, second.nonce, "a fresh nonce per write");
        assert_ne!(first.ciphertext, second.ciphertext);
        assert_eq!(first.key_version, 2);
        assert!(!first.ciphertext.contains("secret"));
        assert_eq!(vault.open(b"row-a", &first).unwrap().as_slice(), b"secret");
        assert!(vault.open(b"row-b", &first).is_err(), "bound to its row");

        let mut tampered = first.clone();
        let mut bytes = BASE64.decode(&tampered.ciphertext).unwrap();
        bytes[0] ^= 1;
        tampered.ciphertext = BASE64.encode(bytes);
        assert!(vault.open(b"row-a", &tampered).is_err());

        // Rotation: what version 1 sealed still opens after version 2 became current.
        let old = Vault::new((1, [1; 32]), []).seal(b"row-a", b"older");
        assert_eq!(vault.open(b"row-a", &old).unwrap().as_slice(), b"older");
        let unknown = Sealed { key_version: 9, ..old };
        assert!(vault.open(b"row-a", &unknown).is_err());
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert!(decode_key(&BASE64.encode([0u8; 32])).is_some());
        assert!(decode_key(&BASE64.encode([0u8; 16])).is_none());
        assert!(decode_key("not base64!").is_none());
    }
}
