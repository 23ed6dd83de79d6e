//! API keys.

use chrono::{DateTime, Utc};
use skyclust_types::ApiKey;
use skyclust_types::ListQuery;
use skyclust_types::api_keys::ApiKeyListing;
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::DbError;
use super::list::{Conditions, fetch_page};
use super::users::UserRecord;
use super::{Database, decode_uuid, locks, time};

const COLUMNS: &str = "id, user_id, name, prefix, read_only, created_at, expires_at, last_used_at";

/// A stored key (its hash stays in the database).
#[derive(Debug, Clone)]
pub struct ApiKeyRecord {
    /// Id.
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// Name.
    pub name: String,
    /// Leading characters of the key.
    pub prefix: String,
    /// Read-only restriction.
    pub read_only: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
    /// Last use (coarse).
    pub last_used_at: Option<DateTime<Utc>>,
}

impl ApiKeyRecord {
    /// The API's view.
    pub fn to_api(&self) -> ApiKey {
        ApiKey {
            id: self.id,
            name: self.name.clone(),
            prefix: self.prefix.clone(),
            read_only: self.read_only,
            created_at: self.created_at,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
        }
    }

    fn from_row(row: &AnyRow) -> Result<ApiKeyRecord, DbError> {
        let optional_time = |column: &str| -> Result<Option<DateTime<Utc>>, DbError> {
            row.try_get::<Option<String>, _>(column)?.as_deref().map(time::decode).transpose()
        };
        Ok(ApiKeyRecord {
            id: decode_uuid(&row.try_get::<String, _>("id")?)?,
            user_id: decode_uuid(&row.try_get::<String, _>("user_id")?)?,
            name: row.try_get("name")?,
            prefix: row.try_get("prefix")?,
            read_only: row.try_get::<i64, _>("read_only")? != 0,
            created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
            expires_at: optional_time("expires_at")?,
            last_used_at: optional_time("last_used_at")?,
        })
    }
}

/// A key about to be stored.
#[derive(Debug)]
pub struct NewApiKey<'a> {
    /// Owner.
    pub user_id: Uuid,
    /// Name.
    pub name: &'a str,
    /// Leading characters of the key.
    pub prefix: &'a str,
    /// SHA-256 of the key, hex.
    pub key_hash: &'a str,
    /// Read-only restriction.
    pub read_only: bool,
    /// Expiry.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Stores a key unless its owner already holds `cap` unexpired keys (`None` then).
pub async fn insert_capped(
    db: &Database,
    key: NewApiKey<'_>,
    cap: u32,
) -> Result<Option<ApiKeyRecord>, DbError> {
    let now = time::encode(crate::clock::real_now());
    let sql = format!(
        "INSERT INTO api_keys (id, user_id, name, prefix, key_hash, read_only, created_at, expires_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8 \
         WHERE (SELECT COUNT(*) FROM api_keys WHERE user_id = $2 AND (expires_at IS NULL OR expires_at > $7)) < $9 \
         RETURNING {COLUMNS}"
    );
    let mut transaction = db.pool().begin().await?;
    locks::exclusive(db, &mut transaction, &format!("api-keys:{}", key.user_id)).await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(Uuid::new_v4().to_string())
        .bind(key.user_id.to_string())
        .bind(key.name)
        .bind(key.prefix)
        .bind(key.key_hash)
        .bind(i64::from(key.read_only))
        .bind(now)
        .bind(key.expires_at.map(time::encode))
        .bind(i64::from(cap))
        .fetch_optional(&mut *transaction)
        .await?;
    transaction.commit().await?;
    row.as_ref().map(ApiKeyRecord::from_row).transpose()
}

const WITH_OWNER: &str = "SELECT k.id, k.user_id, k.name, k.prefix, k.read_only, k.created_at, k.expires_at, \
                          k.last_used_at, u.id AS u_id, u.username, u.email, u.password_hash, u.role, u.is_active, \
                          u.created_at AS u_created_at, u.updated_at AS u_updated_at, u.tokens_valid_after \
                          FROM api_keys k JOIN users u ON u.id = k.user_id";

/// The key with this hash and its owner, in one indexed round-trip.
pub async fn find_by_hash(
    db: &Database,
    key_hash: &str,
) -> Result<Option<(ApiKeyRecord, UserRecord)>, DbError> {
    find_with_owner(db, "k.key_hash", key_hash.to_owned()).await
}

/// The key with this id and its owner (to re-check a long-lived session).
pub async fn find_by_id(db: &Database, id: Uuid) -> Result<Option<(ApiKeyRecord, UserRecord)>, DbError> {
    find_with_owner(db, "k.id", id.to_string()).await
}

async fn find_with_owner(
    db: &Database,
    column: &'static str,
    value: String,
) -> Result<Option<(ApiKeyRecord, UserRecord)>, DbError> {
    let sql = format!("{WITH_OWNER} WHERE {column} = $1");
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value).fetch_optional(db.pool()).await? else {
        return Ok(None);
    };
    let key = ApiKeyRecord::from_row(&row)?;
    let user = UserRecord::from_prefixed_row(&row)?;
    Ok(Some((key, user)))
}

/// The caller's keys, a page at a time.
pub async fn list(
    db: &Database,
    user_id: Uuid,
    query: &ListQuery<ApiKeyListing>,
) -> Result<(Vec<ApiKeyRecord>, u64), DbError> {
    let mut conditions = Conditions::new();
    conditions.eq("user_id", user_id.to_string()).created_within("created_at", query);
    fetch_page(db, (COLUMNS, "api_keys"), conditions, query.into(), ApiKeyRecord::from_row).await
}

/// Deletes one of `user_id`'s keys; `false` when there is no such key of theirs.
pub async fn delete(db: &Database, user_id: Uuid, id: Uuid) -> Result<bool, DbError> {
    let result = sqlx::query("DELETE FROM api_keys WHERE id = $1 AND user_id = $2")
        .bind(id.to_string())
        .bind(user_id.to_string())
        .execute(db.pool())
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Records a use of the key.
pub async fn touch(db: &Database, id: Uuid, at: DateTime<Utc>) -> Result<(), DbError> {
    sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(time::encode(at))
        .execute(db.pool())
        .await?;
    Ok(())
}
