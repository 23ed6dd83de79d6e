//! Notifications.

use skyclust_types::notifications::NotificationListing;
use skyclust_types::{ListQuery, Notification, NotificationType, Priority};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::DbError;
use super::list::{Conditions, Value, fetch_page};
use super::{Database, decode_uuid, time};

const COLUMNS: &str = "id, user_id, title, message, kind, priority, is_read, created_at, read_at";

fn from_row(row: &AnyRow) -> Result<Notification, DbError> {
    let kind: String = row.try_get("kind")?;
    let priority: i64 = row.try_get("priority")?;
    Ok(Notification {
        id: decode_uuid(&row.try_get::<String, _>("id")?)?,
        title: row.try_get("title")?,
        message: row.try_get("message")?,
        kind: NotificationType::parse(&kind)
            .ok_or_else(|| DbError::corrupt(format_args!("unknown notification type {kind}")))?,
        priority: Priority::from_rank(priority)
            .ok_or_else(|| DbError::corrupt(format_args!("unknown priority rank {priority}")))?,
        is_read: row.try_get::<i64, _>("is_read")? != 0,
        created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
        read_at: row.try_get::<Option<String>, _>("read_at")?.as_deref().map(time::decode).transpose()?,
    })
}

/// Stores a notification for `user`.
pub async fn insert(
    db: &Database,
    user: Uuid,
    title: &str,
    message: &str,
    kind: NotificationType,
    priority: Priority,
) -> Result<Notification, DbError> {
    let sql = format!(
        "INSERT INTO notifications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, NULL) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(Uuid::new_v4().to_string())
        .bind(user.to_string())
        .bind(title)
        .bind(message)
        .bind(kind.as_str())
        .bind(priority.rank())
        .bind(time::encode(crate::clock::real_now()))
        .fetch_one(db.pool())
        .await?;
    from_row(&row)
}

/// A page of `user`'s notifications.
pub async fn list(
    db: &Database,
    user: Uuid,
    query: &ListQuery<NotificationListing>,
) -> Result<(Vec<Notification>, u64), DbError> {
    let filters = &query.filters;
    let mut conditions = Conditions::new();
    conditions
        .eq("user_id", user.to_string())
        .any_of("kind", filters.kind.iter().map(|kind| Value::from(kind.as_str())))
        .any_of("priority", filters.priority.iter().map(|priority| Value::from(priority.rank())))
        .created_within("created_at", query);
    if filters.unread_only == Some(true) {
        conditions.eq("is_read", false);
    }
    fetch_page(db, (COLUMNS, "notifications"), conditions, query.into(), from_row).await
}

/// How many of `user`'s notifications are unread.
pub async fn unread_count(db: &Database, user: Uuid) -> Result<u64, DbError> {
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND is_read = 0")
            .bind(user.to_string())
            .fetch_one(db.pool())
            .await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// Marks one of `user`'s notifications read; `false` when there is no such notification of theirs.
pub async fn mark_read(db: &Database, user: Uuid, id: Uuid) -> Result<bool, DbError> {
    let result = sqlx::query(
        "UPDATE notifications SET is_read = 1, read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(time::encode(crate::clock::real_now()))
    .execute(db.pool())
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Marks all of `user`'s unread notifications read; returns how many.
pub async fn mark_all_read(db: &Database, user: Uuid) -> Result<u64, DbError> {
    let result =
        sqlx::query("UPDATE notifications SET is_read = 1, read_at = $2 WHERE user_id = $1 AND is_read = 0")
            .bind(user.to_string())
            .bind(time::encode(crate::clock::real_now()))
            .execute(db.pool())
            .await?;
    Ok(result.rows_affected())
}
