//! Test harness: the real server in-process on `127.0.0.1:0`, on a database of its own.
//!
//! SQLite always; PostgreSQL too when `SKYCLUST_TEST_DATABASE_URL` is set, each server in a
//! schema of its own (dropped afterwards) so runs sharing one PostgreSQL never collide.

pub mod fake_arm;
pub mod fake_compute;
pub mod tcp_proxy;

use std::future::Future;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use std::sync::Arc;

use skyclust_sdk::SkyClustClient;
use skyclust_sdk::types::User;
use skyclust_server::clock::{SharedClock, SystemClock};
use skyclust_server::{AppState, Config, Server};

use sqlx::Connection;
use tokio::sync::{OnceCell, oneshot};
use tokio::task::JoinHandle;

/// The environment variable naming a PostgreSQL server to test against as well.
pub const POSTGRES_ENV: &str = "SKYCLUST_TEST_DATABASE_URL";
/// The environment variable naming a Redis server for the tests that need one.
pub const REDIS_ENV: &str = "SKYCLUST_TEST_REDIS_URL";
/// The environment variable naming a Redis server every test server uses (the single-server
/// suites run once more this way, as a replica of a scaled-out deployment would).
pub const REDIS_EVERYWHERE_ENV: &str = "SKYCLUST_TEST_REDIS_EVERYWHERE";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh schema in the PostgreSQL server of `SKYCLUST_TEST_DATABASE_URL`.
    Postgres,
}

/// Every backend this run tests.
pub fn backends() -> Vec<Backend> {
    let mut backends = vec![Backend::Sqlite];
    if std::env::var_os(POSTGRES_ENV).is_some() {
        backends.push(Backend::Postgres);
    }
    backends
}

/// A secret setting of [`skyclust_server::Config`] (a key, a URL that may hold a password).
pub fn secret(value: impl Into<String>) -> secrecy::SecretString {
    value.into().into()
}

/// Runs `case` once per backend, every backend even when one fails, and then fails naming
/// each backend that did (a SQLite failure does not hide the PostgreSQL result).
pub async fn each_backend<F, Fut>(case: F)
where
    F: Fn(TestDatabase) -> Fut,
    Fut: Future<Output = ()>,
{
    use futures_util::FutureExt;
    let mut failures = Vec::new();
    for backend in backends() {
        let run = std::panic::AssertUnwindSafe(case(TestDatabase::create(backend).await));
        if let Err(panic) = run.catch_unwind().await {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(a panic without a message)");
            failures.push(format!("on {backend:?}: {message}"));
        }
    }
    assert!(failures.is_empty(), "failed {}", failures.join("\n       "));
}

/// A database that exists for one test and is removed by [`TestDatabase::drop_now`].
#[derive(Debug)]
pub struct TestDatabase {
    /// Which backend.
    pub backend: Backend,
    /// The URL the server connects with.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(PathBuf),
    Schema { admin_url: String, schema: String },
}

impl TestDatabase {
    /// Creates an empty database on `backend`.
    pub async fn create(backend: Backend) -> TestDatabase {
        let unique = format!("{}_{}", unix_now(), uuid::Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("skyclust-test-{unique}.db"));
                TestDatabase {
                    backend,
                    url: format!("sqlite://{}", path.display()),
                    cleanup: Cleanup::File(path),
                }
            }
            Backend::Postgres => {
                let admin_url = std::env::var(POSTGRES_ENV).expect("SKYCLUST_TEST_DATABASE_URL is set");
                drop_stale_schemas(&admin_url).await;
                let schema = format!("skyclust_test_{unique}");
                let mut connection = sqlx::PgConnection::connect(&admin_url)
                    .await
                    .unwrap_or_else(|error| panic!("cannot reach PostgreSQL at {POSTGRES_ENV}: {error}"));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&mut connection)
                    .await
                    .expect("create test schema");
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                TestDatabase {
                    backend,
                    url: format!("{admin_url}{separator}options[search_path]={schema}"),
                    cleanup: Cleanup::Schema { admin_url, schema },
                }
            }
        }
    }

    /// A server configuration for this database: ephemeral loopback port, development mode,
    /// rate limits high enough not to interfere (tests of limits set their own).
    pub fn config(&self) -> Config {
        let mut config = Config::for_database(&self.url);
        config.db_max_connections = 4;
        config.rate_limit_anonymous = 100_000;
        config.rate_limit_user = 100_000;
        config.rate_limit_api_key = 100_000;
        if let Ok(url) = std::env::var(REDIS_EVERYWHERE_ENV) {
            config.redis_url = Some(secret(url));
            config.redis_prefix = format!("skyclust-test:{}:", uuid::Uuid::new_v4().simple());
        }
        config
    }

    /// Removes the database. (A SQLite file is also removed when a failing test unwinds; a
    /// schema left by a failed run is dropped by a later run once it is an hour old.)
    pub async fn drop_now(self) {
        if let Cleanup::Schema { admin_url, schema } = &self.cleanup
            && let Ok(mut connection) = sqlx::PgConnection::connect(admin_url).await
        {
            let drop_schema = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
            let _ = sqlx::query(sqlx::AssertSqlSafe(drop_schema)).execute(&mut connection).await;
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Cleanup::File(path) = &self.cleanup {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

/// Drops schemas left by runs that died more than an hour ago (once per test binary).
async fn drop_stale_schemas(admin_url: &str) {
    static ONCE: OnceCell<()> = OnceCell::const_new();
    ONCE.get_or_init(|| async {
        let Ok(mut connection) = sqlx::PgConnection::connect(admin_url).await else {
            return;
        };
        let schemas: Vec<String> =
            sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'skyclust_test_%'")
                .fetch_all(&mut connection)
                .await
                .unwrap_or_default();
        let cutoff = unix_now().saturating_sub(3600);
        for schema in schemas {
            let created = schema
                .strip_prefix("skyclust_test_")
                .and_then(|rest| rest.split('_').next())
                .and_then(|seconds| seconds.parse::<u64>().ok());
            if created.is_some_and(|created| created < cutoff) {
                let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE")))
                    .execute(&mut connection)
                    .await;
            }
        }
    })
    .await;
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// A running server.
#[derive(Debug)]
pub struct TestServer {
    /// The API's base URL, e.g. `http://127.0.0.1:41234/api/v1`.
    pub api_url: String,
    /// The server's root URL, e.g. `http://127.0.0.1:41234`.
    pub root_url: String,
    /// The server's shared state (database, token keys).
    pub state: AppState,
    /// `GET /metrics` on the metrics listener, when the configuration asked for one.
    pub metrics_url: Option<String>,
    shutdown: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    /// Starts a server with `config`.
    pub async fn start(config: Config) -> TestServer {
        Self::start_with_clock(config, Arc::new(SystemClock)).await
    }

    /// Starts a server whose time is read from `clock`.
    pub async fn start_with_clock(config: Config, clock: SharedClock) -> TestServer {
        let server = Server::bind_with_clock(config, clock).await.expect("server starts");
        let address = server.local_addr();
        let metrics_url = server.metrics_addr().map(|address| format!("http://{address}/metrics"));
        let state = server.state().clone();
        let (shutdown, stop) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = stop.await;
        }));
        TestServer {
            api_url: format!("http://{address}/api/v1"),
            root_url: format!("http://{address}"),
            state,
            metrics_url,
            shutdown,
            task,
        }
    }

    /// An unauthenticated SDK client for this server.
    pub fn client(&self) -> SkyClustClient {
        SkyClustClient::new(&self.api_url).expect("valid URL")
    }

    /// A client signed in as `user` with a freshly minted token (no password round-trip).
    pub fn client_as(&self, user: &User) -> SkyClustClient {
        let client = self.client();
        client.set_token(Some(self.token_for(user)));
        client
    }

    /// A fresh valid token for `user`.
    pub fn token_for(&self, user: &User) -> String {
        self.state.jwt.issue(user.id, user.role).expect("token signs").0
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(self) {
        let _ = self.shutdown.send(());
        self.task.await.expect("server task").expect("server ran cleanly");
    }
}
