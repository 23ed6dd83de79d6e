//! Idempotency keys: the first result of a request made with an `Idempotency-Key`, kept for
//! [`IDEMPOTENCY_KEY_TTL_SECS`], so that a repeated request (a client retrying after a lost
//! response) gets that result instead of the work being done twice.
//!
//! A key is remembered in the same transaction as the work it guards, so either both happen or
//! neither does; two concurrent requests with one key cannot both commit (primary key).

use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::DbError;
use super::{Database, time};
use skyclust_types::endpoint::IDEMPOTENCY_KEY_TTL_SECS;

/// A key's place: whose, for which operation.
#[derive(Debug, Clone, Copy)]
pub struct KeyScope<'a> {
    /// The caller.
    pub user_id: Uuid,
    /// The operation's id (`create_vm`).
    pub operation: &'static str,
    /// The header's value.
    pub key: &'a str,
}

/// What was remembered of the first request.
#[derive(Debug, Clone)]
pub struct FirstResult {
    /// SHA-256 of the first request's body.
    pub request_hash: String,
    /// The first response's data, as JSON.
    pub response: String,
}

fn oldest_kept(now: DateTime<Utc>) -> String {
    time::encode(now - chrono::Duration::seconds(IDEMPOTENCY_KEY_TTL_SECS as i64))
}

/// The first result for `scope`, unless there is none or it has expired.
pub async fn find(
    db: &Database,
    scope: KeyScope<'_>,
    now: DateTime<Utc>,
) -> Result<Option<FirstResult>, DbError> {
    let row = sqlx::query(
        "SELECT request_hash, response FROM idempotency_keys \
         WHERE user_id = $1 AND operation = $2 AND idem_key = $3 AND created_at > $4",
    )
    .bind(scope.user_id.to_string())
    .bind(scope.operation)
    .bind(scope.key)
    .bind(oldest_kept(now))
    .fetch_optional(db.pool())
    .await?;
    row.map(|row| Ok(FirstResult { request_hash: row.try_get(0)?, response: row.try_get(1)? })).transpose()
}

/// Remembers the first result for `scope`, inside the transaction doing the work. Fails with a
/// unique violation when a concurrent request with the same key committed first.
pub async fn remember(
    connection: &mut sqlx::AnyConnection,
    scope: KeyScope<'_>,
    first: &FirstResult,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    // An expired entry not purged yet must not block the key's reuse.
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE user_id = $1 AND operation = $2 AND idem_key = $3 AND created_at <= $4",
    )
    .bind(scope.user_id.to_string())
    .bind(scope.operation)
    .bind(scope.key)
    .bind(oldest_kept(now))
    .execute(&mut *connection)
    .await?;
    sqlx::query(
        "INSERT INTO idempotency_keys (user_id, operation, idem_key, request_hash, response, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(scope.user_id.to_string())
    .bind(scope.operation)
    .bind(scope.key)
    .bind(&first.request_hash)
    .bind(&first.response)
    .bind(time::encode(now))
    .execute(&mut *connection)
    .await?;
    Ok(())
}

/// Forgets expired keys; returns how many.
pub async fn purge_expired(db: &Database, now: DateTime<Utc>) -> Result<u64, DbError> {
    let result = sqlx::query("DELETE FROM idempotency_keys WHERE created_at <= $1")
        .bind(oldest_kept(now))
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected())
}
