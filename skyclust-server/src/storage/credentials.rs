//! Credentials. The secret fields exist here only as ciphertext (see [`crate::crypto`]).

use chrono::{DateTime, Utc};
use skyclust_types::credentials::CredentialListing;
use skyclust_types::{Credential, ListQuery, Provider};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::DbError;
use super::list::{Conditions, Value, fetch_page};
use super::locks::{self, Guarded};
use super::{Database, decode_provider, decode_uuid, time};
use crate::crypto::Sealed;

const COLUMNS: &str = "id, user_id, name, provider, hint, region, key_version, nonce, ciphertext, is_active, created_at, updated_at";

/// A stored credential, its secrets sealed.
#[derive(Clone)]
pub struct CredentialRecord {
    /// Id (also the encryption's associated data).
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// Name.
    pub name: String,
    /// Provider.
    pub provider: Provider,
    /// Masked identifier.
    pub hint: String,
    /// Default region.
    pub region: Option<String>,
    /// The sealed provider fields.
    pub sealed: Sealed,
    /// Whether VMs may use it.
    pub is_active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

// Written by hand so even the ciphertext stays out of logs.
impl std::fmt::Debug for CredentialRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialRecord")
            .field("id", &self.id)
            .field("provider", &self.provider)
            .field("hint", &self.hint)
            .finish_non_exhaustive()
    }
}

impl CredentialRecord {
    /// The API's view: never the secrets.
    pub fn to_api(&self) -> Credential {
        Credential {
            id: self.id,
            name: self.name.clone(),
            provider: self.provider,
            is_active: self.is_active,
            hint: self.hint.clone(),
            region: self.region.clone(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    fn from_row(row: &AnyRow) -> Result<CredentialRecord, DbError> {
        Ok(CredentialRecord {
            id: decode_uuid(&row.try_get::<String, _>("id")?)?,
            user_id: decode_uuid(&row.try_get::<String, _>("user_id")?)?,
            name: row.try_get("name")?,
            provider: decode_provider(row)?,
            hint: row.try_get("hint")?,
            region: row.try_get("region")?,
            sealed: Sealed {
                key_version: u32::try_from(row.try_get::<i64, _>("key_version")?)
                    .map_err(DbError::corrupt)?,
                nonce: row.try_get("nonce")?,
                ciphertext: row.try_get("ciphertext")?,
            },
            is_active: row.try_get::<i64, _>("is_active")? != 0,
            created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
            updated_at: time::decode(&row.try_get::<String, _>("updated_at")?)?,
        })
    }
}

/// A credential about to be stored; its id must be the one its secrets were sealed for.
#[derive(Debug)]
pub struct NewCredential<'a> {
    /// Id, chosen before sealing.
    pub id: Uuid,
    /// Owner.
    pub user_id: Uuid,
    /// Name.
    pub name: &'a str,
    /// Provider.
    pub provider: Provider,
    /// Masked identifier.
    pub hint: &'a str,
    /// Default region.
    pub region: Option<&'a str>,
    /// Sealed fields.
    pub sealed: &'a Sealed,
}

/// Stores a credential.
pub async fn insert(db: &Database, credential: NewCredential<'_>) -> Result<CredentialRecord, DbError> {
    let sql = format!(
        "INSERT INTO credentials ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING {COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(credential.id.to_string())
        .bind(credential.user_id.to_string())
        .bind(credential.name)
        .bind(credential.provider.as_str())
        .bind(credential.hint)
        .bind(credential.region)
        .bind(i64::from(credential.sealed.key_version))
        .bind(credential.sealed.nonce.as_str())
        .bind(credential.sealed.ciphertext.as_str())
        .bind(time::encode(crate::clock::real_now()))
        .fetch_one(db.pool())
        .await?;
    CredentialRecord::from_row(&row)
}

/// The credential with this id, whoever owns it (for the provider drivers).
pub async fn find(db: &Database, id: Uuid) -> Result<Option<CredentialRecord>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM credentials WHERE id = $1");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string());
    db.fetch_optional(query, CredentialRecord::from_row).await
}

/// `owner`'s newest active credential for `provider`.
pub async fn newest_active(
    db: &Database,
    owner: Uuid,
    provider: Provider,
) -> Result<Option<CredentialRecord>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM credentials WHERE user_id = $1 AND provider = $2 AND is_active = 1 \
         ORDER BY created_at DESC LIMIT 1"
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(owner.to_string()).bind(provider.as_str());
    db.fetch_optional(query, CredentialRecord::from_row).await
}

/// `owner`'s credential with this id.
pub async fn find_owned(db: &Database, owner: Uuid, id: Uuid) -> Result<Option<CredentialRecord>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM credentials WHERE id = $1 AND user_id = $2");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).bind(owner.to_string());
    db.fetch_optional(query, CredentialRecord::from_row).await
}

/// A page of `owner`'s credentials.
pub async fn list(
    db: &Database,
    owner: Uuid,
    query: &ListQuery<CredentialListing>,
) -> Result<(Vec<CredentialRecord>, u64), DbError> {
    let mut conditions = Conditions::new();
    conditions
        .eq("user_id", owner.to_string())
        .any_of("provider", query.filters.provider.iter().map(|provider| Value::from(provider.as_str())))
        .eq_opt("is_active", query.filters.is_active)
        .created_within("created_at", query);
    fetch_page(db, (COLUMNS, "credentials"), conditions, query.into(), CredentialRecord::from_row).await
}

/// Changes to a credential; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct CredentialChanges<'a> {
    /// New name.
    pub name: Option<&'a str>,
    /// New secrets with their hint and region.
    pub secrets: Option<(&'a Sealed, &'a str, Option<&'a str>)>,
    /// New activity.
    pub is_active: Option<bool>,
}

/// Applies `changes` to `owner`'s credential in one statement.
pub async fn update(
    db: &Database,
    owner: Uuid,
    id: Uuid,
    changes: CredentialChanges<'_>,
) -> Result<Option<CredentialRecord>, DbError> {
    let (sealed, hint, region) = match changes.secrets {
        Some((sealed, hint, region)) => (Some(sealed), Some(hint), region),
        None => (None, None, None),
    };
    let replaces_secrets = i64::from(sealed.is_some());
    let sql = format!(
        "UPDATE credentials SET name = COALESCE($3, name), is_active = COALESCE($4, is_active), \
         hint = COALESCE($5, hint), key_version = COALESCE($6, key_version), nonce = COALESCE($7, nonce), \
         ciphertext = COALESCE($8, ciphertext), region = CASE WHEN $9 = 1 THEN $10 ELSE region END, updated_at = $11 \
         WHERE id = $1 AND user_id = $2 RETURNING {COLUMNS}"
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(owner.to_string())
        .bind(changes.name)
        .bind(changes.is_active.map(i64::from))
        .bind(hint)
        .bind(sealed.map(|sealed| i64::from(sealed.key_version)))
        .bind(sealed.map(|sealed| sealed.nonce.as_str()))
        .bind(sealed.map(|sealed| sealed.ciphertext.as_str()))
        .bind(replaces_secrets)
        .bind(region)
        .bind(time::encode(crate::clock::real_now()));
    db.fetch_optional(query, CredentialRecord::from_row).await
}

/// Deletes `owner`'s credential unless a VM that is not terminated uses it — checked in the
/// same statement, so a VM created with it meanwhile never loses its credential.
pub async fn delete_unless_live(db: &Database, owner: Uuid, id: Uuid) -> Result<Guarded, DbError> {
    locks::delete_unless_live_vms(db, "credentials", "credential_id", id, Some(owner)).await
}

/// A page of the active credentials of active users, by id after `after` (`""`: from the
/// first), `limit` at most (the drift check goes through all of them, a page at a time).
pub async fn in_use(db: &Database, after: &str, limit: i64) -> Result<Vec<CredentialRecord>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM credentials WHERE is_active = 1 AND id > $1 \
         AND user_id IN (SELECT id FROM users WHERE is_active = 1) ORDER BY id LIMIT $2"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(after)
        .bind(limit)
        .fetch_all(db.pool())
        .await?
        .iter()
        .map(CredentialRecord::from_row)
        .collect()
}
