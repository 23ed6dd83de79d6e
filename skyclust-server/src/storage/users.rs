//! User accounts.

use chrono::{DateTime, Utc};
use skyclust_types::{Role, User};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use skyclust_types::ListQuery;
use skyclust_types::users::UserListing;

use super::list::{Conditions, fetch_page};
use super::{Database, decode_uuid, time};

const COLUMNS: &str = "id, username, email, password_hash, role, is_active, created_at, updated_at";

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

    fn from_row(row: &AnyRow) -> Result<UserRecord, sqlx::Error> {
        Self::decode(row, ["id", "created_at", "updated_at"])
    }

    /// Decodes a user joined to another table, its clashing columns renamed `u_id`,
    /// `u_created_at` and `u_updated_at`.
    pub(crate) fn from_prefixed_row(row: &AnyRow) -> Result<UserRecord, sqlx::Error> {
        Self::decode(row, ["u_id", "u_created_at", "u_updated_at"])
    }

    fn decode(row: &AnyRow, [id, created_at, updated_at]: [&str; 3]) -> Result<UserRecord, sqlx::Error> {
        let role: String = row.try_get("role")?;
        Ok(UserRecord {
            id: decode_uuid(&row.try_get::<String, _>(id)?)?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            password_hash: row.try_get("password_hash")?,
            role: Role::parse(&role)
                .ok_or_else(|| sqlx::Error::Decode(format!("unknown role {role}").into()))?,
            is_active: row.try_get::<i64, _>("is_active")? != 0,
            created_at: time::decode(&row.try_get::<String, _>(created_at)?)?,
            updated_at: time::decode(&row.try_get::<String, _>(updated_at)?)?,
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

/// Creates a user with a given role (administrators creating accounts).
pub async fn insert(
    db: &Database,
    user: NewUser<'_>,
    role: Role,
    is_active: bool,
) -> Result<UserRecord, sqlx::Error> {
    let now = time::encode(time::now());
    let sql =
        format!("INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {COLUMNS}");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(Uuid::new_v4().to_string())
        .bind(user.username)
        .bind(user.email.to_lowercase())
        .bind(user.password_hash)
        .bind(role.as_str())
        .bind(i64::from(is_active))
        .bind(now)
        .fetch_one(db.pool())
        .await?;
    UserRecord::from_row(&row)
}

/// The user with this id.
pub async fn find(db: &Database, id: Uuid) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(UserRecord::from_row)
        .transpose()
}

/// A page of users matching `query`, and how many match in all.
pub async fn list(
    db: &Database,
    query: &ListQuery<UserListing>,
) -> Result<(Vec<UserRecord>, u64), sqlx::Error> {
    let mut conditions = Conditions::new();
    conditions
        .any_of("role", query.filters.role.iter().map(|role| role.as_str()))
        .eq_opt("is_active", query.filters.is_active)
        .at_least("created_at", query.created_from.map(time::encode))
        .at_most("created_at", query.created_to.map(time::encode));
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
    /// The database failed (including unique violations).
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

// The guard is part of the statement itself, so the check and the change cannot be split by
// another request: an active admin row may only lose admin status or activity while another
// active admin exists.
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
         is_active = COALESCE($4, is_active), updated_at = $5 WHERE id = $1{guard} RETURNING {COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(changes.username)
        .bind(changes.role.map(Role::as_str))
        .bind(changes.is_active.map(i64::from))
        .bind(time::encode(time::now()))
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(row) => Ok(UserRecord::from_row(&row)?),
        None if find(db, id).await?.is_some() => Err(UserChangeError::LastAdmin),
        None => Err(UserChangeError::NotFound),
    }
}

/// Deletes a user (their API keys and revocations go with them), refusing the last active admin.
pub async fn delete(db: &Database, id: Uuid) -> Result<(), UserChangeError> {
    let sql = format!("DELETE FROM users WHERE id = $1 AND {KEEPS_AN_ADMIN}");
    let deleted =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).execute(db.pool()).await?.rows_affected();
    match deleted {
        1 => Ok(()),
        _ if find(db, id).await?.is_some() => Err(UserChangeError::LastAdmin),
        _ => Err(UserChangeError::NotFound),
    }
}

/// Creates a user. The very first user becomes `admin`, decided inside the insert itself so
/// two simultaneous first sign-ups cannot both see an empty table between two statements.
pub async fn insert_with_first_admin(db: &Database, user: NewUser<'_>) -> Result<UserRecord, sqlx::Error> {
    let now = time::encode(time::now());
    let sql = format!(
        "INSERT INTO users ({COLUMNS}) \
         SELECT $1, $2, $3, $4, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END, $5, $6, $6 \
         RETURNING {COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(Uuid::new_v4().to_string())
        .bind(user.username)
        .bind(user.email.to_lowercase())
        .bind(user.password_hash)
        .bind(1_i64)
        .bind(now)
        .fetch_one(db.pool())
        .await?;
    UserRecord::from_row(&row)
}

/// The user with this email (compared lower-cased).
pub async fn find_by_email(db: &Database, email: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE email = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(email.to_lowercase())
        .fetch_optional(db.pool())
        .await?
        .as_ref()
        .map(UserRecord::from_row)
        .transpose()
}

/// Whether any user exists.
pub async fn any_exist(db: &Database) -> Result<bool, sqlx::Error> {
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
) -> Result<Option<(UserRecord, bool)>, sqlx::Error> {
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
