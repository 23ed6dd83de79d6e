//! Leases for background jobs that must run on one replica at a time.

use chrono::{DateTime, Utc};

use super::DbError;
use super::{Database, time};

/// Takes or renews the lease `name` for `holder` until `until`: `true` when `holder` holds it
/// now (it was free, expired, or already theirs). One conditional upsert, so two replicas
/// cannot both take it.
pub async fn acquire(
    db: &Database,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, DbError> {
    let held = sqlx::query(
        "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
         WHERE job_leases.holder = $2 OR job_leases.expires_at <= $4 \
         RETURNING holder",
    )
    .bind(name)
    .bind(holder)
    .bind(time::encode(until))
    .bind(time::encode(now))
    .fetch_optional(db.pool())
    .await?;
    Ok(held.is_some())
}
