//! Audit log entries.

use skyclust_types::audit::AuditLogListing;
use skyclust_types::{AuditLog, ListQuery};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::DbError;
use super::list::{Conditions, Value, fetch_page};
use super::{Database, decode_uuid, time};

const COLUMNS: &str =
    "id, user_id, action, resource, resource_id, success, ip_address, user_agent, details, created_at";
const COLUMN_COUNT: usize = 10;
/// Most rows one INSERT carries (well below every backend's bind-parameter limit).
pub const MAX_BATCH: usize = 500;

/// Inserts `entries` in one statement.
pub async fn insert_batch(db: &Database, entries: &[AuditLog]) -> Result<(), DbError> {
    for chunk in entries.chunks(MAX_BATCH) {
        let rows = super::placeholders(chunk.len(), COLUMN_COUNT, 1);
        let sql = format!("INSERT INTO audit_logs ({COLUMNS}) VALUES {rows}");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for entry in chunk {
            query = query
                .bind(entry.id.to_string())
                .bind(entry.user_id.map(|id| id.to_string()))
                .bind(entry.action.clone())
                .bind(entry.resource.clone())
                .bind(entry.resource_id.clone())
                .bind(i64::from(entry.success))
                .bind(entry.ip_address.clone())
                .bind(entry.user_agent.clone())
                .bind(entry.details.as_ref().map(serde_json::Value::to_string))
                .bind(time::encode(entry.created_at));
        }
        query.execute(db.pool()).await?;
    }
    Ok(())
}

/// A page of entries matching `query`.
pub async fn list(
    db: &Database,
    query: &ListQuery<AuditLogListing>,
) -> Result<(Vec<AuditLog>, u64), DbError> {
    let filters = &query.filters;
    let mut conditions = Conditions::new();
    conditions
        .any_of("user_id", filters.user_id.iter().map(|id| Value::from(id.to_string())))
        .any_of("action", filters.action.iter().map(String::as_str))
        .any_of("resource", filters.resource.iter().map(String::as_str))
        .eq_opt("success", filters.success)
        .created_within("created_at", query);
    fetch_page(db, (COLUMNS, "audit_logs"), conditions, query.into(), from_row).await
}

fn from_row(row: &AnyRow) -> Result<AuditLog, DbError> {
    let details: Option<String> = row.try_get("details")?;
    Ok(AuditLog {
        id: decode_uuid(&row.try_get::<String, _>("id")?)?,
        user_id: row.try_get::<Option<String>, _>("user_id")?.as_deref().map(decode_uuid).transpose()?,
        action: row.try_get("action")?,
        resource: row.try_get("resource")?,
        resource_id: row.try_get("resource_id")?,
        success: row.try_get::<i64, _>("success")? != 0,
        ip_address: row.try_get("ip_address")?,
        user_agent: row.try_get("user_agent")?,
        details: details.as_deref().map(serde_json::from_str).transpose().map_err(DbError::corrupt)?,
        created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
    })
}
