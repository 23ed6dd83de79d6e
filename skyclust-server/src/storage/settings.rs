//! Server-wide values kept in the database (development-mode secrets).

use super::DbError;
use super::{Database, time};

/// The value stored under `name`, storing `candidate` first if there is none. Every replica
/// that races here ends up with the same value.
pub async fn get_or_insert(db: &Database, name: &str, candidate: &str) -> Result<String, DbError> {
    sqlx::query("INSERT INTO server_settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
        .bind(name)
        .bind(candidate)
        .bind(time::encode(crate::clock::real_now()))
        .execute(db.pool())
        .await?;
    let value = sqlx::query_scalar("SELECT value FROM server_settings WHERE name = $1")
        .bind(name)
        .fetch_one(db.pool())
        .await?;
    Ok(value)
}
