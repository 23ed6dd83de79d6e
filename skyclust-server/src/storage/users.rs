//! User accounts.

use chrono::{DateTime, Utc};
use skyclust_types::{Role, User};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use skyclust_types::ListQuery;
use skyclust_types::users::UserListing;

use super::DbError;
use super::list::{Conditions, fetch_page};
use super::locks::{self, Hold};
use super::{Database, decode_uuid, time, workspaces};

/// The columns a new user is written with.
const WRITTEN: &str = "id, username, email, password_hash, role, is_active, created_at, updated_at";
/// The columns a user is read with.
const COLUMNS: &str =
    "id, username, email, password_hash, role, is_active, created_at, updated_at, tokens_valid_after";

/// A stored user, including what the API never shows.
#[derive(Clone)]
pub struct UserRecord {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Email, lower-cased.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Whether the account may sign in.
    pub is_active: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When the account was last deactivated: tokens and keys issued before then are void.
    pub tokens_valid_after: Option<DateTime<Utc>>,
}

impl UserRecord {
    /// Whether a JWT issued at `issued_at` (unix seconds) is still honoured. `iat` has whole
    /// seconds, so a token from the second of the deactivation itself is void too.
    pub fn honours_token_issued_at(&self, issued_at: i64) -> bool {
        self.tokens_valid_after.is_none_or(|after| issued_at > after.timestamp())
    }

    /// Whether an API key created at `created_at` is still honoured.
    pub fn honours_key_created_at(&self, created_at: DateTime<Utc>) -> bool {
        self.tokens_valid_after.is_none_or(|after| created_at > after)
    }
}

// Hand-written so the password hash can never end up in a log line.
impl std::fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("role", &self.role)
            .field("is_active", &self.is_active)
            .finish_non_exhaustive()
    }
}

impl UserRecord {
    /// The API's view of this user.
    pub fn to_api(&self) -> User {
        User {
            id: self.id,
            username: self.username.clone(),
            email: self.email.clone(),
            role: self.role,
            is_active: self.is_active,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    fn from_row(row: &AnyRow) -> Result<UserRecord, DbError> {
        Self::decode(row, ["id", "created_at", "updated_at"])
    }

    /// Decodes a user joined to another table, its clashing columns renamed `u_id`,
    /// `u_created_at` and `u_updated_at`.
    pub(crate) fn from_prefixed_row(row: &AnyRow) -> Result<UserRecord, DbError> {
        Self::decode(row, ["u_id", "u_created_at", "u_updated_at"])
    }

    fn decode(row: &AnyRow, [id, created_at, updated_at]: [&str; 3]) -> Result<UserRecord, DbError> {
        let role: String = row.try_get("role")?;
        Ok(UserRecord {
            id: decode_uuid(&row.try_get::<String, _>(id)?)?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            password_hash: row.try_get("password_hash")?,
            role: Role::parse(&role).ok_or_else(|| DbError::corrupt(format_args!("unknown role {role}")))?,
            is_active: row.try_get::<i64, _>("is_active")? != 0,
            created_at: time::decode(&row.try_get::<String, _>(created_at)?)?,
            updated_at: time::decode(&row.try_get::<String, _>(updated_at)?)?,
            tokens_valid_after: row
                .try_get::<Option<String>, _>("tokens_valid_after")?
                .as_deref()
                .map(time::decode)
                .transpose()?,
        })
    }
}

/// A user about to be created.
#[derive(Debug)]
pub struct NewUser<'a> {
    /// Login name.
    pub username: &'a str,
    /// Email (lower-cased before storing).
    pub email: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
}

/// Creates a user with a given role (administrators creating accounts), with their personal
/// workspace.
pub async fn insert(
    db: &Database,
    user: NewUser<'_>,
    role: Role,
    is_active: bool,
) -> Result<UserRecord, DbError> {
    let now = time::encode(crate::clock::real_now());
    let id = Uuid::new_v4().to_string();
    let sql =
        format!("INSERT INTO users ({WRITTEN}) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}");
    let mut transaction = db.pool().begin().await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&id)
        .bind(user.username)
        .bind(user.email.to_lowercase())
        .bind(user.password_hash)
        .bind(role.as_str())
        .bind(i64::from(is_active))
        .bind(&now)
        .fetch_one(&mut *transaction)
        .await?;
    workspaces::insert_personal(&mut transaction, &id, workspaces::PERSONAL_NAME, &now).await?;
    transaction.commit().await?;
    UserRecord::from_row(&row)
}

/// The user with this id.
pub async fn find(db: &Database, id: Uuid) -> Result<Option<UserRecord>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string());
    db.fetch_optional(query, UserRecord::from_row).await
}

/// A page of users matching `query`, and how many match in all.
pub async fn list(db: &Database, query: &ListQuery<UserListing>) -> Result<(Vec<UserRecord>, u64), DbError> {
    let mut conditions = Conditions::new();
    conditions
        .any_of("role", query.filters.role.iter().map(|role| role.as_str()))
        .eq_opt("is_active", query.filters.is_active)
        .created_within("created_at", query);
    fetch_page(db, (COLUMNS, "users"), conditions, query.into(), UserRecord::from_row).await
}

/// Changes to a user; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct UserChanges<'a> {
    /// New login name.
    pub username: Option<&'a str>,
    /// New role.
    pub role: Option<Role>,
    /// New activation.
    pub is_active: Option<bool>,
}

/// Why a change to a user was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserChangeError {
    /// No such user.
    #[error("no such user")]
    NotFound,
    /// It would leave the system without an active admin.
    #[error("the last active admin cannot be demoted, deactivated or deleted")]
    LastAdmin,
    /// The user owns workspaces with, or credentials used by, this many VMs that are not
    /// terminated: deleting them would leave running instances untracked.
    #[error("the user's workspaces or credentials serve {0} VM(s) that are not terminated")]
    ServesLiveVms(i64),
    /// The database failed (including unique violations).
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<sqlx::Error> for UserChangeError {
    fn from(error: sqlx::Error) -> Self {
        UserChangeError::Database(error.into())
    }
}

// The guard is part of the statement itself, so the check and the change cannot be split by
// another request: an active admin row may only lose admin status or activity while another
// active admin exists. On PostgreSQL such statements also queue on the ADMINS lock, or two
// demotions of two different admins could each see the other still active.
const ADMINS: &str = "users:admins";
const FIRST_USER: &str = "users:first";

const KEEPS_AN_ADMIN: &str = "(role <> 'admin' OR is_active = 0 OR EXISTS \
     (SELECT 1 FROM users AS other WHERE other.role = 'admin' AND other.is_active = 1 AND other.id <> users.id))";

/// Applies `changes`, refusing to remove the last active admin.
pub async fn update(
    db: &Database,
    id: Uuid,
    changes: UserChanges<'_>,
) -> Result<UserRecord, UserChangeError> {
    let removes_admin =
        changes.role.is_some_and(|role| role != Role::Admin) || changes.is_active == Some(false);
    let guard = if removes_admin { format!(" AND {KEEPS_AN_ADMIN}") } else { String::new() };
    let sql = format!(
        "UPDATE users SET username = COALESCE($2, username), role = COALESCE($3, role), \
         is_active = COALESCE($4, is_active), updated_at = $5, \
         tokens_valid_after = CASE WHEN $4 = 0 THEN $5 ELSE tokens_valid_after END \
         WHERE id = $1{guard} RETURNING {COLUMNS}"
    );
    let mut transaction = db.pool().begin().await?;
    if removes_admin {
        locks::exclusive(db, &mut transaction, ADMINS).await?;
    }
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(changes.username)
        .bind(changes.role.map(Role::as_str))
        .bind(changes.is_active.map(i64::from))
        .bind(time::encode(crate::clock::real_now()))
        .fetch_optional(&mut *transaction)
        .await?;
    transaction.commit().await?;
    match row {
        Some(row) => Ok(UserRecord::from_row(&row)?),
        None if find(db, id).await?.is_some() => Err(UserChangeError::LastAdmin),
        None => Err(UserChangeError::NotFound),
    }
}

/// VMs that are not terminated and depend on the user: in workspaces they own, or using their
/// credentials.
const SERVED_BY_USER: &str = "FROM vms v WHERE v.status <> 'terminated' AND (\
     v.workspace_id IN (SELECT w.id FROM workspaces w WHERE w.owner_id = $1) \
     OR v.credential_id IN (SELECT c.id FROM credentials c WHERE c.user_id = $1))";

/// Deletes a user (their API keys, workspaces and credentials go with them), refusing the last
/// active admin and a user on whom VMs that are not terminated depend. On PostgreSQL their
/// workspaces and credentials are locked first, so a VM created at the same moment is seen.
pub async fn delete(db: &Database, id: Uuid) -> Result<(), UserChangeError> {
    let id = id.to_string();
    let sql = format!(
        "DELETE FROM users WHERE id = $1 AND {KEEPS_AN_ADMIN} AND NOT EXISTS (SELECT 1 {SERVED_BY_USER})"
    );
    let mut transaction = db.pool().begin().await?;
    locks::exclusive(db, &mut transaction, ADMINS).await?;
    locks::lock(db, &mut transaction, Hold::Exclusive, ("workspaces", "owner_id"), &id).await?;
    locks::lock(db, &mut transaction, Hold::Exclusive, ("credentials", "user_id"), &id).await?;
    let deleted =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&id).execute(&mut *transaction).await?.rows_affected();
    let outcome = if deleted == 1 {
        Ok(())
    } else {
        let live: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {SERVED_BY_USER}")))
            .bind(&id)
            .fetch_one(&mut *transaction)
            .await?;
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *transaction)
            .await?;
        Err(match (exists, live) {
            (0, _) => UserChangeError::NotFound,
            (_, 0) => UserChangeError::LastAdmin,
            (_, live) => UserChangeError::ServesLiveVms(live),
        })
    };
    transaction.commit().await?;
    outcome
}

/// Creates a user by sign-up, with their personal workspace; `None` when sign-up is closed
/// (`open` is false) and a user exists. The very first user becomes `admin` — decided inside
/// the insert itself (and, on PostgreSQL, under the FIRST_USER lock), so two simultaneous first
/// sign-ups can neither both become admin nor both slip through closed sign-up.
pub async fn insert_with_first_admin(
    db: &Database,
    user: NewUser<'_>,
    open: bool,
) -> Result<Option<UserRecord>, DbError> {
    let now = time::encode(crate::clock::real_now());
    let sql = format!(
        "INSERT INTO users ({WRITTEN}) \
         SELECT $1, $2, $3, $4, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END, $5, $6, $6 \
         WHERE $7 = 1 OR NOT EXISTS (SELECT 1 FROM users) \
         RETURNING {COLUMNS}"
    );
    let id = Uuid::new_v4().to_string();
    let mut transaction = db.pool().begin().await?;
    locks::exclusive(db, &mut transaction, FIRST_USER).await?;
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&id)
        .bind(user.username)
        .bind(user.email.to_lowercase())
        .bind(user.password_hash)
        .bind(1_i64)
        .bind(&now)
        .bind(i64::from(open))
        .fetch_optional(&mut *transaction)
        .await?;
    if row.is_some() {
        workspaces::insert_personal(&mut transaction, &id, workspaces::PERSONAL_NAME, &now).await?;
    }
    transaction.commit().await?;
    row.as_ref().map(UserRecord::from_row).transpose()
}

/// The user with this email (compared lower-cased).
pub async fn find_by_email(db: &Database, email: &str) -> Result<Option<UserRecord>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(email.to_lowercase());
    db.fetch_optional(query, UserRecord::from_row).await
}

/// The user whose username is `username`, compared without case (as the unique index does).
pub async fn find_by_username(db: &Database, username: &str) -> Result<Option<UserRecord>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE lower(username) = lower($1)");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(username);
    db.fetch_optional(query, UserRecord::from_row).await
}

/// Whether any user exists.
pub async fn any_exist(db: &Database) -> Result<bool, DbError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) AS first_user")
        .fetch_one(db.pool())
        .await?;
    Ok(count > 0)
}

/// The token's user and whether the token was revoked, in one indexed round-trip: the only
/// database work on an authenticated request's path.
pub async fn find_for_token(
    db: &Database,
    user_id: Uuid,
    jti: &str,
) -> Result<Option<(UserRecord, bool)>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS}, (SELECT COUNT(*) FROM revoked_tokens WHERE jti = $2) AS revoked \
         FROM users WHERE id = $1"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(user_id.to_string())
        .bind(jti)
        .fetch_optional(db.pool())
        .await?
    else {
        return Ok(None);
    };
    let revoked: i64 = row.try_get("revoked")?;
    Ok(Some((UserRecord::from_row(&row)?, revoked > 0)))
}
