//! `Idempotency-Key` on the operations that take one ([`Endpoint::IDEMPOTENT_WITH_KEY`]): the
//! handler asks [`replay`] for a remembered first result before doing anything, and stores its
//! own result with the work (see [`crate::storage::idempotency`]).

use serde::Serialize;
use serde::de::DeserializeOwned;
use skyclust_types::Endpoint;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::storage::Database;
use crate::storage::idempotency::{self, KeyScope};

/// A request's key and the hash of its body.
#[derive(Debug, Clone)]
pub struct Keyed<'a> {
    /// Whose key, for which operation.
    pub scope: KeyScope<'a>,
    /// SHA-256 of the body, so the key cannot be reused for another request.
    pub request_hash: String,
}

/// The key of a request to `E` by `caller`, if it has one.
pub fn keyed<'a, E: Endpoint>(key: Option<&'a str>, caller: Uuid, body: &E::Body) -> Option<Keyed<'a>> {
    let key = key?;
    Some(Keyed { scope: KeyScope { user_id: caller, operation: E::ID, key }, request_hash: hash(body) })
}

fn hash(body: &impl Serialize) -> String {
    // Serializing a typed body is deterministic: the same request always hashes alike.
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    crate::crypto::sha256_hex(&bytes)
}

/// The first result of a request with this key: `Some` for a repeat of the same request, 409
/// for the key used with another body, `None` when the key is new (or expired).
pub async fn replay<T: DeserializeOwned>(db: &Database, keyed: &Keyed<'_>) -> ApiResult<Option<T>> {
    let Some(first) = idempotency::find(db, keyed.scope, crate::clock::real_now()).await? else {
        return Ok(None);
    };
    if first.request_hash != keyed.request_hash {
        return Err(ApiError::conflict(
            "This Idempotency-Key was already used for a different request; use a new key",
        ));
    }
    serde_json::from_str(&first.response)
        .map(Some)
        .map_err(|error| ApiError::internal(format_args!("a remembered result does not decode: {error}")))
}
