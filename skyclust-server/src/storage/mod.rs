//! Storage: one sqlx `Any` pool and one set of portable queries for SQLite and PostgreSQL.
//!
//! Every query uses `$n` placeholders and portable SQL; ids and timestamps travel as text
//! (see [`time`]), so no query is written twice.

pub mod adoption;
pub mod api_keys;
pub mod audit;
pub mod costs;
pub mod credentials;
mod error;
pub mod idempotency;
pub mod leases;
pub mod list;
pub mod locks;
pub mod notifications;
pub mod operations;
pub mod settings;
pub mod time;
pub mod tokens;
pub mod users;
pub mod vms;
pub mod workspaces;

pub use error::{Conflict, DbError};

use std::borrow::Cow;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, SqlSafeStr};

/// The embedded migrations, applied in order at start-up: portable SQL, except where a
/// backend's own feature (a trigger) is needed.
const MIGRATIONS: &[(i64, &str, Sql)] = &[
    (1, "identity", Sql::Portable(include_str!("../../migrations/0001_identity.sql"))),
    (2, "api keys and audit", Sql::Portable(include_str!("../../migrations/0002_api_keys_and_audit.sql"))),
    (
        3,
        "workspaces, credentials and notifications",
        Sql::Portable(include_str!("../../migrations/0003_workspaces_credentials_notifications.sql")),
    ),
    (4, "sandbox cloud", Sql::Portable(include_str!("../../migrations/0004_sandbox_cloud.sql"))),
    (5, "vms", Sql::Portable(include_str!("../../migrations/0005_vms.sql"))),
    (6, "idempotency keys", Sql::Portable(include_str!("../../migrations/0006_idempotency_keys.sql"))),
    (7, "token validity", Sql::Portable(include_str!("../../migrations/0007_token_validity.sql"))),
    (
        8,
        "keep live vms",
        Sql::PerBackend {
            sqlite: include_str!("../../migrations/0008_keep_live_vms.sqlite.sql"),
            postgres: include_str!("../../migrations/0008_keep_live_vms.postgres.sql"),
        },
    ),
    (9, "reconcile order", Sql::Portable(include_str!("../../migrations/0009_reconcile_order.sql"))),
    (10, "cost updates sent", Sql::Portable(include_str!("../../migrations/0010_cost_updates_sent.sql"))),
    (11, "job leases", Sql::Portable(include_str!("../../migrations/0011_job_leases.sql"))),
    (12, "vm zones", Sql::Portable(include_str!("../../migrations/0012_vm_zones.sql"))),
    (
        13,
        "personal workspaces",
        Sql::PerBackend {
            sqlite: include_str!("../../migrations/0013_personal_workspaces.sqlite.sql"),
            postgres: include_str!("../../migrations/0013_personal_workspaces.postgres.sql"),
        },
    ),
    (14, "cost roll-up", Sql::Portable(include_str!("../../migrations/0014_cost_rollup.sql"))),
    (
        15,
        "operation request ids",
        Sql::Portable(include_str!("../../migrations/0015_operation_request_ids.sql")),
    ),
    (
        16,
        "sandbox instance owners",
        Sql::Portable(include_str!("../../migrations/0016_sandbox_instance_owners.sql")),
    ),
    (17, "instance adoption", Sql::Portable(include_str!("../../migrations/0017_instance_adoption.sql"))),
];

/// A migration's SQL.
enum Sql {
    /// The same for both backends.
    Portable(&'static str),
    /// Written for each backend.
    PerBackend { sqlite: &'static str, postgres: &'static str },
}

impl Sql {
    fn for_backend(&self, backend: Backend) -> &'static str {
        match (self, backend) {
            (Sql::Portable(sql), _) => sql,
            (Sql::PerBackend { sqlite, .. }, Backend::Sqlite) => sqlite,
            (Sql::PerBackend { postgres, .. }, Backend::Postgres) => postgres,
        }
    }
}

/// Which database the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded default.
    Sqlite,
    /// For deployments with several replicas.
    Postgres,
}

impl Backend {
    /// `sqlite` or `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The URL names no supported database.
    #[error("unsupported database URL (expected sqlite://… or postgres://…)")]
    UnsupportedUrl,
    /// Connecting failed.
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    /// The cost roll-up could not be brought up to date from the status history.
    #[error("cannot build the cost roll-up: {0}")]
    CostRollup(#[source] DbError),
}

/// How long a connection is waited for unless configured (`SKYCLUST_DB_ACQUIRE_TIMEOUT_MS`).
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// The connection pool and what it is connected to.
#[derive(Debug, Clone)]
pub struct Database {
    pool: AnyPool,
    backend: Backend,
    max_connections: u32,
    /// How the pool connects, for [`Database::probe`].
    options: AnyConnectOptions,
}

impl Database {
    /// Opens a pool for `url` (creating a SQLite file if needed) and applies migrations.
    pub async fn open(url: &str, max_connections: u32) -> Result<Database, StorageError> {
        Database::open_at_version(url, max_connections, i64::MAX).await
    }

    /// As [`Database::open`], with requests waiting at most `acquire_timeout` for a connection
    /// (then `sqlx::Error::PoolTimedOut`, answered 503).
    pub async fn open_with_timeout(
        url: &str,
        max_connections: u32,
        acquire_timeout: Duration,
    ) -> Result<Database, StorageError> {
        Database::connect(url, max_connections, i64::MAX, acquire_timeout).await
    }

    /// Opens a pool for `url` and applies the migrations up to `version` only: upgrade tests
    /// fill a database as an older release left it, then [`Database::open`] it.
    pub async fn open_at_version(
        url: &str,
        max_connections: u32,
        version: i64,
    ) -> Result<Database, StorageError> {
        Database::connect(url, max_connections, version, DEFAULT_ACQUIRE_TIMEOUT).await
    }

    async fn connect(
        url: &str,
        max_connections: u32,
        version: i64,
        acquire_timeout: Duration,
    ) -> Result<Database, StorageError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = normalize_url(url)?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        // An in-memory SQLite database lives and dies with one connection.
        let max_connections = if in_memory { 1 } else { max_connections.max(1) };
        let options = AnyConnectOptions::from_str(&url).map_err(StorageError::Connect)?;
        let probe_options = options.clone();
        let mut pool_options =
            AnyPoolOptions::new().max_connections(max_connections).acquire_timeout(acquire_timeout);
        if in_memory {
            pool_options = pool_options.min_connections(1).idle_timeout(None).max_lifetime(None);
        }
        let pool = pool_options.connect_with(options).await.map_err(StorageError::Connect)?;
        let database = Database { pool, backend, max_connections, options: probe_options };
        database.migrate(version).await?;
        Ok(database)
    }

    async fn migrate(&self, up_to: i64) -> Result<(), StorageError> {
        let migrations = MIGRATIONS
            .iter()
            .filter(|(version, _, _)| *version <= up_to)
            .map(|(version, description, sql)| {
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    AssertSqlSafe(sql.for_backend(self.backend)).into_sql_str(),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations).run(&self.pool).await.map_err(StorageError::Migrate)
    }

    /// The pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The database kind.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool's size limit.
    pub fn max_connections(&self) -> u32 {
        self.max_connections
    }

    /// Runs a trivial query and measures the round-trip.
    pub async fn ping(&self) -> Result<Duration, DbError> {
        let started = Instant::now();
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(started.elapsed())
    }

    /// Opens a connection of its own (not one of the pool's), runs `SELECT 1` and closes it:
    /// whether the database answers, however busy the pool is.
    pub async fn probe(&self) -> Result<Duration, DbError> {
        use sqlx::Connection;
        let started = Instant::now();
        let mut connection = sqlx::AnyConnection::connect_with(&self.options).await?;
        sqlx::query("SELECT 1").execute(&mut connection).await?;
        let took = started.elapsed();
        let _ = connection.close().await;
        Ok(took)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The row `query` finds, if any, decoded by `decode`.
    pub(crate) async fn fetch_optional<T>(
        &self,
        query: AnyQuery<'_>,
        decode: fn(&sqlx::any::AnyRow) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        query.fetch_optional(self.pool()).await?.as_ref().map(decode).transpose()
    }
}

/// A statement over the `Any` driver, its values bound.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// Recognises the backend and makes a SQLite URL create its file when missing.
fn normalize_url(url: &str) -> Result<(Backend, String), StorageError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    if !url.starts_with("sqlite:") {
        return Err(StorageError::UnsupportedUrl);
    }
    let url = if url.contains(":memory:") || url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    Ok((Backend::Sqlite, url))
}

/// `($first, …), (…), …`: `rows` groups of `columns` numbered placeholders, for multi-row
/// inserts and `IN` lists. (sqlx's `QueryBuilder` would number them itself, but through
/// `sqlx::Any` it writes `?`, which PostgreSQL refuses.)
pub(crate) fn placeholders(rows: usize, columns: usize, first: usize) -> String {
    let group = |row: usize| {
        let numbers: Vec<String> =
            (0..columns).map(|column| format!("${}", first + row * columns + column)).collect();
        format!("({})", numbers.join(", "))
    };
    (0..rows).map(group).collect::<Vec<_>>().join(", ")
}

/// Decodes a UUID stored as text.
pub(crate) fn decode_uuid(text: &str) -> Result<uuid::Uuid, DbError> {
    uuid::Uuid::parse_str(text).map_err(DbError::corrupt)
}

/// The row's `provider` column.
pub(crate) fn decode_provider(row: &sqlx::any::AnyRow) -> Result<skyclust_types::Provider, DbError> {
    use sqlx::Row;
    let provider: &str = row.try_get("provider")?;
    skyclust_types::Provider::parse(provider)
        .ok_or_else(|| DbError::corrupt(format_args!("unknown provider {provider}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_create_their_file() {
        assert_eq!(normalize_url("sqlite://x.db").unwrap().1, "sqlite://x.db?mode=rwc");
        assert_eq!(
            normalize_url("sqlite://x.db?cache=shared").unwrap().1,
            "sqlite://x.db?cache=shared&mode=rwc"
        );
        assert_eq!(normalize_url("sqlite::memory:").unwrap().1, "sqlite::memory:");
        assert_eq!(normalize_url("postgres://h/db").unwrap().0, Backend::Postgres);
        assert!(normalize_url("mysql://h/db").is_err());
    }

    #[test]
    fn placeholders_are_numbered_row_by_row_from_the_first() {
        assert_eq!(placeholders(2, 3, 1), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(placeholders(1, 2, 2), "($2, $3)");
    }

    #[tokio::test]
    async fn in_memory_database_migrates_and_answers() {
        let db = Database::open("sqlite::memory:", 4).await.unwrap();
        assert_eq!(db.max_connections(), 1);
        db.ping().await.unwrap();
    }
}
