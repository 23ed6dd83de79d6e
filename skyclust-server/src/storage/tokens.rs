//! Revoked JWTs (by `jti`), kept until they would have expired.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::DbError;
use super::{Database, time};

/// Revokes a token; revoking twice is harmless.
pub async fn revoke(
    db: &Database,
    jti: &str,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    sqlx::query("INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING")
        .bind(jti)
        .bind(user_id.to_string())
        .bind(time::encode(expires_at))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Forgets revocations of tokens that have expired anyway; returns how many.
pub async fn purge_expired(db: &Database, now: DateTime<Utc>) -> Result<u64, DbError> {
    let result = sqlx::query("DELETE FROM revoked_tokens WHERE expires_at < $1")
        .bind(time::encode(now))
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected())
}
