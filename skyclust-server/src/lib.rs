//! The SkyClust reference server: axum + sqlx, SQLite by default, PostgreSQL and Redis to
//! scale out.
//!
//! Layout, one module per concern:
//! - [`config`]: `SKYCLUST_*` settings and CLI flags;
//! - [`http`]: routing from the contract's endpoint declarations, input extraction,
//!   request ids, middleware;
//! - [`error`]: the one error type and its mapping to HTTP;
//! - [`access`]: who may read, work in, administer and delete a workspace;
//! - [`auth`]: tokens, API keys, passwords, the request's principal, and the auth routes;
//! - [`rate_limit`]: request counting behind a trait;
//! - [`audit`]: the audit log writer and its route;
//! - [`users`], [`api_keys`], [`workspaces`], [`credentials`], [`notifications`], [`health`]:
//!   each resource's routes;
//! - [`vms`]: VM routes, the operation worker, status changes, discovery and adoption;
//! - [`costs`]: the price catalog, metering, cost analysis and `cost_updated`;
//! - [`providers`]: the cloud drivers (AWS, Google Cloud, Azure, the sandbox);
//! - [`events`]: the event bus (in process or Redis) and [`events::Publisher`];
//! - [`websocket`]: `GET /ws`, its sessions and control messages;
//! - [`crypto`]: sealing credentials at rest;
//! - [`metrics`], [`telemetry`]: what the server counts and traces;
//! - [`clock`]: the injected server clock (hand-moved in tests) and [`clock::real_now`];
//! - [`storage`]: the database pool, migrations and queries;
//! - [`jobs`]: background work;
//! - [`state`]: what every request shares;
//! - [`routes`]: every served operation, assembled.

pub mod access;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod costs;
pub mod credentials;
pub mod crypto;

pub mod error;
pub mod events;
pub mod health;
pub mod http;
pub mod jobs;
pub mod metrics;
pub mod notifications;
pub mod providers;
pub mod rate_limit;
pub mod routes;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod users;
pub mod vms;
pub mod websocket;
pub mod workspaces;

use std::future::Future;
use std::net::SocketAddr;

use secrecy::ExposeSecret;
use tokio::net::TcpListener;

pub use config::Config;
pub use error::{ApiError, ApiResult};
pub use state::AppState;

use auth::jwt::JwtKeys;
use state::Shared;
use storage::Database;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// A setting is out of range or unsafe.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Storage(#[from] storage::StorageError),
    /// Secrets are missing or unusable.
    #[error(transparent)]
    Secret(#[from] auth::SecretError),
    /// Encryption keys are missing or unusable.
    #[error(transparent)]
    EncryptionKey(#[from] crypto::KeyError),
    /// The price catalog file is unusable.
    #[error(transparent)]
    Catalog(#[from] costs::catalog::CatalogError),
    /// The Redis URL is malformed.
    #[error("invalid SKYCLUST_REDIS_URL: {0}")]
    Redis(#[source] redis::RedisError),
    /// The Redis CA certificate cannot be read.
    #[error("cannot read SKYCLUST_REDIS_CA_CERT {path}: {source}")]
    RedisCaCert {
        /// The configured file.
        path: std::path::PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The address could not be bound.
    #[error("cannot listen on {address}: {source}")]
    Bind {
        /// The configured address.
        address: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
}

/// A server bound to its address, ready to [`run`](Server::run).
#[derive(Debug)]
pub struct Server {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    state: AppState,
    audit_writer: tokio::task::JoinHandle<()>,
    bus_tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// Opens the database (applying migrations), loads secrets and binds the listener.
    pub async fn bind(config: Config) -> Result<Server, StartupError> {
        Self::bind_with_clock(config, std::sync::Arc::new(clock::SystemClock)).await
    }

    /// As [`Server::bind`], reading time from `clock` (tests move time by hand).
    pub async fn bind_with_clock(config: Config, clock: clock::SharedClock) -> Result<Server, StartupError> {
        config.validate()?;
        let acquire_timeout = std::time::Duration::from_millis(config.db_acquire_timeout_ms);
        let db = Database::open_with_timeout(
            config.database_url.expose_secret(),
            config.db_max_connections,
            acquire_timeout,
        )
        .await?;
        let secret = auth::jwt_secret(&config, &db).await?;
        // In range: `validate` bounds the lifetime to 30 days.
        let ttl = chrono::Duration::seconds(i64::try_from(config.jwt_ttl_secs).unwrap_or(3600));
        let jwt = JwtKeys::new(&secret, &config.jwt_issuer, ttl);
        let vault = crypto::Vault::from_config(&config, &db).await?;
        let timing = providers::sandbox::SandboxTiming::from_base(std::time::Duration::from_millis(
            config.sandbox_delay_ms,
        ));
        let sandbox =
            std::sync::Arc::new(providers::sandbox::Sandbox::new(db.clone(), clock.clone(), timing));
        let aws =
            providers::aws::Aws::new(config.aws_endpoint_url.clone(), std::time::Duration::from_secs(20));
        // A call is at most a 10 s send, a 20 s wait for its operation (its last poll up to
        // 10 s more) and a 10 s read: 50 s, inside the worker's 60 s lease.
        let gcp = providers::gcp::Gcp::new(
            config.gcp_endpoint_url.clone(),
            std::time::Duration::from_secs(10),
            std::time::Duration::from_secs(20),
            std::time::Duration::from_millis(config.vm_poll_ms),
        );
        // The same budget: a 10 s request, 20 s following its operation, 10 s reads.
        let azure = providers::azure::Azure::new(
            config.azure_endpoint_url.as_deref(),
            config.azure_authority_url.as_deref(),
            std::time::Duration::from_secs(10),
            std::time::Duration::from_secs(20),
            std::time::Duration::from_millis(config.vm_poll_ms),
        )
        .map_err(|error| config::ConfigError(vec![format!("an Azure URL does not parse: {error}")]))?;
        let providers = providers::Registry::default()
            .with(sandbox.clone())
            .with(std::sync::Arc::new(aws))
            .with(std::sync::Arc::new(gcp))
            .with(std::sync::Arc::new(azure));
        let catalog = costs::catalog::Catalog::load(config.price_catalog.as_deref())?;
        costs::backfill(&db, &catalog).await.map_err(storage::StorageError::CostRollup)?;
        costs::close_days(&db, &catalog, clock.now()).await.map_err(storage::StorageError::CostRollup)?;
        let redis = redis_client(&config)?;
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|source| StartupError::Bind { address: config.bind, source })?;
        let metrics = std::sync::Arc::new(metrics::Metrics::new(
            db.backend().as_str(),
            if redis.is_some() { "redis" } else { "in-process" },
        ));
        let metrics_listener = match config.metrics_bind {
            Some(address) => Some(
                TcpListener::bind(address).await.map_err(|source| StartupError::Bind { address, source })?,
            ),
            None => None,
        };
        let (bus, bus_tasks): (std::sync::Arc<dyn events::EventBus>, _) = match &redis {
            Some(client) => {
                let (bus, tasks) = events::redis::RedisBus::start(
                    client.clone(),
                    &config.redis_prefix,
                    config.event_bus_capacity,
                    metrics.clone(),
                );
                (bus, tasks)
            }
            None => (std::sync::Arc::new(events::LocalBus::new(config.event_bus_capacity)), Vec::new()),
        };
        let events = events::Events::new(bus, metrics.clone());
        let mut bus_tasks = bus_tasks;
        bus_tasks.push(events.forget_revoked_principals());
        let (audit, audit_writer) = audit::AuditRecorder::start(db.clone(), events.clone());
        let config_max_connections = config.max_connections;
        let rate_limiter: std::sync::Arc<dyn rate_limit::RateLimiter> = match &redis {
            Some(client) => std::sync::Arc::new(rate_limit::redis::RedisRateLimiter::new(
                client.clone(),
                &config.redis_prefix,
                clock.clone(),
            )),
            None => std::sync::Arc::new(rate_limit::MemoryRateLimiter::new(clock.clone())),
        };
        if redis.is_some() && db.backend() == storage::Backend::Sqlite {
            tracing::warn!(
                "SKYCLUST_REDIS_URL is set with a SQLite database: replicas cannot share a SQLite file, \
                 so run several replicas on PostgreSQL"
            );
        }
        let shared = if redis.is_some() { "redis" } else { "in-process" };
        tracing::info!(
            rate_limiter = shared,
            event_bus = shared,
            "where limits are counted and how events travel"
        );
        let password_hasher =
            auth::password::Hasher::new(config.password_hash_concurrency, config.password_hash_wait());
        let state = AppState::new(Shared {
            config,
            db,
            jwt,
            redis,
            started: std::time::Instant::now(),
            rate_limiter,
            clock,
            audit,
            key_usage: auth::api_key::UsageTracker::default(),
            vault,
            providers,
            sandbox,
            events,
            catalog,
            shutdown: tokio::sync::watch::Sender::new(false),
            sockets: tokio_util::task::TaskTracker::new(),
            connections: http::serve::ConnectionSlots::new(config_max_connections),
            password_hasher,
            ws_sessions: websocket::sessions::SessionCounts::default(),
            metrics,
            discovery: Default::default(),
        });
        Ok(Server { listener, metrics_listener, state, audit_writer, bus_tasks })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// The metrics listener's address, when `SKYCLUST_METRICS_BIND` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_listener
            .as_ref()
            .map(|listener| listener.local_addr().expect("a bound listener has an address"))
    }

    /// The shared state (tests use it to reach the database and the token keys).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests and closes the pool.
    pub async fn run(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let Server { listener, metrics_listener, state, audit_writer, bus_tasks } = self;
        let mut jobs = jobs::spawn(&state);
        if let Some(listener) = metrics_listener {
            jobs.push(tokio::spawn(metrics::serve(listener, state.clone())));
        }
        let app = http::app(state.clone(), routes::api());
        let stopping = state.shutdown.clone();
        let shutdown = async move {
            shutdown.await;
            // WebSocket sessions are not part of axum's graceful shutdown: tell them (1001).
            stopping.send_replace(true);
        };
        let limits = http::serve::ConnectionLimits {
            max_connections: state.config.max_connections,
            max_per_address: state.config.max_connections_per_address,
            unlimited_peers: state.config.trusted_proxies.clone(),
            header_read_timeout: std::time::Duration::from_secs(state.config.header_read_timeout_secs),
            idle_timeout: std::time::Duration::from_secs(state.config.idle_timeout_secs),
        };
        http::serve::serve(listener, app, limits, state.connections.clone(), shutdown).await;
        state.sockets.close();
        if tokio::time::timeout(std::time::Duration::from_secs(5), state.sockets.wait()).await.is_err() {
            tracing::warn!("some WebSocket sessions did not close within 5s");
        }

        for job in jobs.into_iter().chain(bus_tasks) {
            job.abort();
        }
        state.audit.flush().await;
        audit_writer.abort();
        state.db.close().await;
        Ok(())
    }
}

/// The Redis client of `SKYCLUST_REDIS_URL`, trusting `SKYCLUST_REDIS_CA_CERT` for `rediss://`.
fn redis_client(config: &Config) -> Result<Option<redis::Client>, StartupError> {
    let Some(url) = config.redis_url.as_ref().map(ExposeSecret::expose_secret) else {
        return Ok(None);
    };
    let client = match &config.redis_ca_cert {
        None => redis::Client::open(url),
        Some(path) => {
            let root_cert = std::fs::read(path)
                .map_err(|source| StartupError::RedisCaCert { path: path.clone(), source })?;
            let certificates = redis::TlsCertificates { client_tls: None, root_cert: Some(root_cert) };
            redis::Client::build_with_tls(url, certificates)
        }
    };
    client.map(Some).map_err(StartupError::Redis)
}

/// Completes on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(error = %error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
