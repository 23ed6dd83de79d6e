//! Server configuration: `SKYCLUST_*` environment variables with matching CLI flags.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use secrecy::{ExposeSecret, SecretString};

/// A setting that is a secret, or may hold one (a URL with a password): `Debug` shows
/// `[REDACTED]`, and the value is wiped from memory when dropped.
fn secret(value: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(value.to_owned()))
}

/// Where the server runs and what it connects to.
#[derive(Debug, Clone, Parser)]
#[command(name = "skyclust-server", version, about = "SkyClust API server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "SKYCLUST_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Where to serve Prometheus metrics (`GET /metrics`, no authentication), e.g.
    /// `127.0.0.1:9464`; not served when unset. Bind it to an address only the monitoring
    /// system reaches.
    #[arg(long, env = "SKYCLUST_METRICS_BIND")]
    pub metrics_bind: Option<SocketAddr>,

    /// Database URL: `sqlite://FILE` (the embedded default) or `postgres://…`.
    #[arg(
        long,
        env = "SKYCLUST_DATABASE_URL",
        default_value = "sqlite://skyclust.db",
        hide_env_values = true,
        value_parser = secret
    )]
    pub database_url: SecretString,

    /// Largest database connection pool.
    #[arg(long, env = "SKYCLUST_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// How long a request waits for a database connection before it is answered
    /// `503 SERVICE_UNAVAILABLE`, in milliseconds: while the database is down or every
    /// connection is busy, requests fail fast instead of hanging.
    #[arg(long, env = "SKYCLUST_DB_ACQUIRE_TIMEOUT_MS", default_value_t = 3000)]
    pub db_acquire_timeout_ms: u64,

    /// `development` generates missing secrets; `production` refuses to start without them.
    #[arg(long = "env", env = "SKYCLUST_ENV", value_enum, default_value_t = Environment::Development)]
    pub environment: Environment,

    /// HS256 signing secret for JWTs (at least 32 bytes in production).
    #[arg(long, env = "SKYCLUST_JWT_SECRET", hide_env_values = true, value_parser = secret)]
    pub jwt_secret: Option<SecretString>,

    /// Lifetime of issued JWTs, in seconds.
    #[arg(long, env = "SKYCLUST_JWT_TTL_SECS", default_value_t = 24 * 3600)]
    pub jwt_ttl_secs: u64,

    /// The JWT `iss` claim issued and required.
    #[arg(long, env = "SKYCLUST_JWT_ISSUER", default_value = "skyclust")]
    pub jwt_issuer: String,

    /// AES-256-GCM key for credentials at rest: base64 of 32 bytes.
    #[arg(long, env = "SKYCLUST_ENCRYPTION_KEY", hide_env_values = true, value_parser = secret)]
    pub encryption_key: Option<SecretString>,

    /// The version number of `encryption_key`, recorded with everything it encrypts.
    #[arg(long, env = "SKYCLUST_ENCRYPTION_KEY_VERSION", default_value_t = 1)]
    pub encryption_key_version: u32,

    /// Earlier keys still needed to decrypt, as comma-separated `version:base64`.
    #[arg(long, env = "SKYCLUST_ENCRYPTION_OLD_KEYS", value_delimiter = ',', hide_env_values = true, value_parser = secret)]
    pub encryption_old_keys: Vec<SecretString>,

    /// Redis URL; without one, everything runs in-process.
    #[arg(long, env = "SKYCLUST_REDIS_URL", hide_env_values = true, value_parser = secret)]
    pub redis_url: Option<SecretString>,

    /// A PEM file of the certificate authority that signed the Redis server's certificate, for
    /// `rediss://` URLs to a Redis with a private CA (the system's roots are used otherwise).
    #[arg(long, env = "SKYCLUST_REDIS_CA_CERT")]
    pub redis_ca_cert: Option<std::path::PathBuf>,

    /// Prefix of every key SkyClust writes to Redis (replicas of one deployment share it).
    #[arg(long, env = "SKYCLUST_REDIS_PREFIX", default_value = "skyclust:")]
    pub redis_prefix: String,

    /// Whether anyone may register (the very first user always may).
    #[arg(long, env = "SKYCLUST_ALLOW_REGISTRATION", default_value_t = true, action = clap::ArgAction::Set)]
    pub allow_registration: bool,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "SKYCLUST_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    /// Longest a request may take before it is answered with an error, in seconds.
    #[arg(long, env = "SKYCLUST_REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Requests per window from one client IP without credentials.
    #[arg(long, env = "SKYCLUST_RATE_LIMIT_ANONYMOUS", default_value_t = 100)]
    pub rate_limit_anonymous: u32,

    /// Requests per window of one user signed in with a JWT.
    #[arg(long, env = "SKYCLUST_RATE_LIMIT_USER", default_value_t = 1000)]
    pub rate_limit_user: u32,

    /// Requests per window of one API key.
    #[arg(long, env = "SKYCLUST_RATE_LIMIT_API_KEY", default_value_t = 10_000)]
    pub rate_limit_api_key: u32,

    /// Requests per window from one client address to the API documentation (the Swagger UI
    /// page and its assets, `/api-docs/openapi.json`), counted apart from the API's budgets so
    /// reading the docs never locks anyone out of signing in.
    #[arg(long, env = "SKYCLUST_RATE_LIMIT_DOCS", default_value_t = 1000)]
    pub rate_limit_docs: u32,

    /// Length of a rate-limit window, in seconds.
    #[arg(long, env = "SKYCLUST_RATE_LIMIT_WINDOW_SECS", default_value_t = 3600)]
    pub rate_limit_window_secs: u64,

    /// Failed sign-ins per email before further attempts are refused for the window.
    #[arg(long, env = "SKYCLUST_LOGIN_FAILURE_LIMIT", default_value_t = 10)]
    pub login_failure_limit: u32,

    /// The window of failed sign-ins, in seconds.
    #[arg(long, env = "SKYCLUST_LOGIN_FAILURE_WINDOW_SECS", default_value_t = 900)]
    pub login_failure_window_secs: u64,

    /// Proxies whose `X-Forwarded-For` is believed (comma-separated IPs); none by default.
    #[arg(long, env = "SKYCLUST_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Seconds a WebSocket client has to authenticate.
    #[arg(long, env = "SKYCLUST_WS_AUTH_TIMEOUT_SECS", default_value_t = 10)]
    pub ws_auth_timeout_secs: u64,

    /// Seconds between server pings; a peer that misses one is dropped.
    #[arg(long, env = "SKYCLUST_WS_PING_INTERVAL_SECS", default_value_t = 30)]
    pub ws_ping_interval_secs: u64,

    /// Messages queued for one WebSocket client before it is closed as too slow (4008).
    #[arg(long, env = "SKYCLUST_WS_QUEUE", default_value_t = 256)]
    pub ws_queue: usize,

    /// Events buffered on the bus for the slowest socket before it is closed as too slow.
    #[arg(long, env = "SKYCLUST_EVENT_BUS_CAPACITY", default_value_t = 16_384)]
    pub event_bus_capacity: usize,

    /// How long the sandbox cloud takes to boot an instance, in milliseconds (stops and
    /// terminations take half as long).
    #[arg(long, env = "SKYCLUST_SANDBOX_DELAY_MS", default_value_t = 3000)]
    pub sandbox_delay_ms: u64,

    /// How often the VM worker looks for due operations, in milliseconds.
    #[arg(long, env = "SKYCLUST_WORKER_POLL_MS", default_value_t = 500)]
    pub worker_poll_ms: u64,

    /// VM operations (of different VMs) the worker runs at once.
    #[arg(long, env = "SKYCLUST_WORKER_CONCURRENCY", default_value_t = 8)]
    pub worker_concurrency: usize,

    /// How often a VM in transition is re-read from its provider, in milliseconds (also how
    /// often a GCP zone operation is polled).
    #[arg(long, env = "SKYCLUST_VM_POLL_MS", default_value_t = 2000)]
    pub vm_poll_ms: u64,

    /// EC2 endpoint to use instead of the SDK's own resolution (which follows
    /// `AWS_ENDPOINT_URL_EC2` / `AWS_ENDPOINT_URL`), e.g. an EC2-compatible test server.
    #[arg(long, env = "SKYCLUST_AWS_ENDPOINT_URL")]
    pub aws_endpoint_url: Option<String>,

    /// Compute Engine endpoint root to use instead of `https://compute.googleapis.com/` (the
    /// client appends `/compute/v1/projects/…`), e.g. a private endpoint or a test server.
    #[arg(long, env = "SKYCLUST_GCP_ENDPOINT_URL")]
    pub gcp_endpoint_url: Option<String>,

    /// Azure Resource Manager endpoint to use instead of `https://management.azure.com/`, e.g.
    /// a sovereign cloud's (`https://management.usgovcloudapi.net/`) or a test server. Tokens
    /// are requested for its origin (`<origin>/.default`).
    #[arg(long, env = "SKYCLUST_AZURE_ENDPOINT_URL")]
    pub azure_endpoint_url: Option<String>,

    /// Microsoft Entra ID authority to take Azure tokens from instead of
    /// `https://login.microsoftonline.com/`, e.g. `https://login.microsoftonline.us/`.
    #[arg(long, env = "SKYCLUST_AZURE_AUTHORITY_URL")]
    pub azure_authority_url: Option<String>,

    /// A price catalog file to use instead of the one built in (same format as
    /// `skyclust-server/catalog/prices.json`).
    #[arg(long, env = "SKYCLUST_PRICE_CATALOG")]
    pub price_catalog: Option<std::path::PathBuf>,

    /// How often live VMs are reconciled with their provider, in seconds.
    #[arg(long, env = "SKYCLUST_RECONCILE_SECS", default_value_t = 60)]
    pub reconcile_secs: u64,

    /// How often the accounts of active credentials are read for instances tagged for VMs that
    /// do not exist (reported once each to the credential's owner), in seconds.
    #[arg(long, env = "SKYCLUST_DRIFT_SECS", default_value_t = 3600)]
    pub drift_secs: u64,

    /// Password hashes (argon2id, 19 MiB each) computed at once; 0 means one per CPU core.
    #[arg(long, env = "SKYCLUST_PASSWORD_HASH_CONCURRENCY", default_value_t = 0)]
    pub password_hash_concurrency: usize,

    /// How long a sign-in or sign-up waits for a free hashing slot before it is answered 503,
    /// in milliseconds.
    #[arg(long, env = "SKYCLUST_PASSWORD_HASH_WAIT_MS", default_value_t = 1000)]
    pub password_hash_wait_ms: u64,

    /// Open connections served at once; further clients wait in the listen backlog.
    #[arg(long, env = "SKYCLUST_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Open connections one client address may hold (trusted proxies excepted); more are
    /// closed as soon as they are accepted.
    #[arg(long, env = "SKYCLUST_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = 128)]
    pub max_connections_per_address: usize,

    /// Seconds a new connection has to send a complete request head (and a keep-alive
    /// connection between requests); slower ones are closed.
    #[arg(long, env = "SKYCLUST_HEADER_READ_TIMEOUT_SECS", default_value_t = 10)]
    pub header_read_timeout_secs: u64,

    /// Seconds a connection may go without a request in progress before it is closed.
    #[arg(long, env = "SKYCLUST_IDLE_TIMEOUT_SECS", default_value_t = 60)]
    pub idle_timeout_secs: u64,

    /// Open WebSocket sessions per user; more are closed with 4029.
    #[arg(long, env = "SKYCLUST_WS_MAX_SESSIONS_PER_USER", default_value_t = 16)]
    pub ws_max_sessions_per_user: usize,

    /// Open WebSocket connections per client address; more are refused with 429.
    #[arg(long, env = "SKYCLUST_WS_MAX_SESSIONS_PER_ADDRESS", default_value_t = 64)]
    pub ws_max_sessions_per_address: usize,

    /// Messages a WebSocket client may send per minute (in bursts of up to this many); the
    /// excess is answered with a `RATE_LIMITED` error and not processed.
    #[arg(long, env = "SKYCLUST_WS_MESSAGES_PER_MINUTE", default_value_t = 60)]
    pub ws_messages_per_minute: u32,

    /// API keys one user may hold at once.
    #[arg(long, env = "SKYCLUST_MAX_API_KEYS_PER_USER", default_value_t = 25)]
    pub max_api_keys_per_user: u32,

    /// Lets development mode (generated secrets kept in the database) listen on a non-loopback
    /// address. Never set this in a real deployment: use `SKYCLUST_ENV=production`.
    #[arg(long, env = "SKYCLUST_ALLOW_DEVELOPMENT_ON_NETWORK", default_value_t = false, action = clap::ArgAction::Set)]
    pub allow_development_on_network: bool,

    /// Log format.
    #[arg(long, env = "SKYCLUST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// An OpenTelemetry collector's OTLP/HTTP base URL (e.g. `http://collector:4318`): the
    /// spans of requests and VM operations, each carrying its `request_id`, are exported to
    /// `<url>/v1/traces` as protobuf. Off when unset.
    #[arg(long, env = "SKYCLUST_OTLP_ENDPOINT")]
    pub otlp_endpoint: Option<url::Url>,
}

/// Settings the server refuses to start with, each with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration: {}", .0.join("; "))]
pub struct ConfigError(pub Vec<String>);

fn distinct(bytes: &[u8]) -> usize {
    bytes.iter().collect::<std::collections::HashSet<_>>().len()
}

/// Deployment mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    /// Local use: missing secrets are generated, persisted and announced.
    Development,
    /// Refuses to start without explicitly configured secrets.
    Production,
}

impl Environment {
    /// The name reported by `/health`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Production => "production",
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Config {
    /// The defaults, as if started with no flags and no environment (for tests and embedding).
    pub fn defaults() -> Config {
        Config::parse_from_env_free()
    }

    /// A configuration for `database_url` with every other setting at its default and the
    /// server on an ephemeral loopback port.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: database_url.into().into(),
            ..Config::defaults()
        }
    }

    /// How long a request may run.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }

    /// The rate-limit window.
    pub fn rate_limit_window(&self) -> Duration {
        Duration::from_secs(self.rate_limit_window_secs)
    }

    /// The failed sign-in window.
    pub fn login_failure_window(&self) -> Duration {
        Duration::from_secs(self.login_failure_window_secs)
    }

    /// How long a sign-in may wait for a hashing slot.
    pub fn password_hash_wait(&self) -> Duration {
        Duration::from_millis(self.password_hash_wait_ms)
    }

    /// Refuses settings the server cannot run with safely: values out of range (a huge JWT
    /// lifetime once made every sign-in panic), weak secrets in production, and development
    /// mode — whose generated secrets live in the database beside the data — on a network
    /// address.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        let mut within = |name: &str, value: u64, range: std::ops::RangeInclusive<u64>| {
            if !range.contains(&value) {
                problems.push(format!(
                    "{name} must be between {} and {} (got {value})",
                    range.start(),
                    range.end()
                ));
            }
        };
        const DAY: u64 = 24 * 3600;
        within("SKYCLUST_JWT_TTL_SECS", self.jwt_ttl_secs, 60..=30 * DAY);
        within("SKYCLUST_DB_MAX_CONNECTIONS", u64::from(self.db_max_connections), 1..=1000);
        within("SKYCLUST_DB_ACQUIRE_TIMEOUT_MS", self.db_acquire_timeout_ms, 100..=60_000);
        within("SKYCLUST_MAX_BODY_BYTES", self.max_body_bytes as u64, 1024..=64 * 1024 * 1024);
        within("SKYCLUST_REQUEST_TIMEOUT_SECS", self.request_timeout_secs, 1..=3600);
        within(
            "SKYCLUST_RATE_LIMIT_ANONYMOUS",
            u64::from(self.rate_limit_anonymous),
            1..=u64::from(u32::MAX),
        );
        within("SKYCLUST_RATE_LIMIT_USER", u64::from(self.rate_limit_user), 1..=u64::from(u32::MAX));
        within("SKYCLUST_RATE_LIMIT_API_KEY", u64::from(self.rate_limit_api_key), 1..=u64::from(u32::MAX));
        within("SKYCLUST_RATE_LIMIT_DOCS", u64::from(self.rate_limit_docs), 1..=u64::from(u32::MAX));
        within("SKYCLUST_RATE_LIMIT_WINDOW_SECS", self.rate_limit_window_secs, 1..=30 * DAY);
        within("SKYCLUST_LOGIN_FAILURE_LIMIT", u64::from(self.login_failure_limit), 1..=1_000_000);
        within("SKYCLUST_LOGIN_FAILURE_WINDOW_SECS", self.login_failure_window_secs, 1..=30 * DAY);
        within("SKYCLUST_WS_AUTH_TIMEOUT_SECS", self.ws_auth_timeout_secs, 1..=300);
        within("SKYCLUST_WS_PING_INTERVAL_SECS", self.ws_ping_interval_secs, 1..=3600);
        within("SKYCLUST_WS_QUEUE", self.ws_queue as u64, 1..=1_000_000);
        within("SKYCLUST_EVENT_BUS_CAPACITY", self.event_bus_capacity as u64, 1..=10_000_000);
        within("SKYCLUST_SANDBOX_DELAY_MS", self.sandbox_delay_ms, 0..=600_000);
        within("SKYCLUST_WORKER_POLL_MS", self.worker_poll_ms, 1..=DAY * 1000);
        within("SKYCLUST_WORKER_CONCURRENCY", self.worker_concurrency as u64, 1..=1024);
        within("SKYCLUST_VM_POLL_MS", self.vm_poll_ms, 1..=DAY * 1000);
        within("SKYCLUST_RECONCILE_SECS", self.reconcile_secs, 1..=DAY);
        within("SKYCLUST_DRIFT_SECS", self.drift_secs, 60..=7 * DAY);
        within("SKYCLUST_PASSWORD_HASH_CONCURRENCY", self.password_hash_concurrency as u64, 0..=1024);
        within("SKYCLUST_PASSWORD_HASH_WAIT_MS", self.password_hash_wait_ms, 0..=60_000);
        within("SKYCLUST_MAX_CONNECTIONS", self.max_connections as u64, 1..=1_000_000);
        within(
            "SKYCLUST_MAX_CONNECTIONS_PER_ADDRESS",
            self.max_connections_per_address as u64,
            1..=1_000_000,
        );
        within("SKYCLUST_HEADER_READ_TIMEOUT_SECS", self.header_read_timeout_secs, 1..=3600);
        within("SKYCLUST_IDLE_TIMEOUT_SECS", self.idle_timeout_secs, 1..=DAY);
        within("SKYCLUST_WS_MAX_SESSIONS_PER_USER", self.ws_max_sessions_per_user as u64, 1..=100_000);
        within(
            "SKYCLUST_WS_MAX_SESSIONS_PER_ADDRESS",
            self.ws_max_sessions_per_address as u64,
            1..=1_000_000,
        );
        within("SKYCLUST_WS_MESSAGES_PER_MINUTE", u64::from(self.ws_messages_per_minute), 1..=100_000);
        within("SKYCLUST_MAX_API_KEYS_PER_USER", u64::from(self.max_api_keys_per_user), 1..=10_000);
        let endpoints = [
            ("SKYCLUST_GCP_ENDPOINT_URL", &self.gcp_endpoint_url),
            ("SKYCLUST_AZURE_ENDPOINT_URL", &self.azure_endpoint_url),
            ("SKYCLUST_AZURE_AUTHORITY_URL", &self.azure_authority_url),
        ];
        for (name, endpoint) in endpoints {
            let Some(endpoint) = endpoint else { continue };
            let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"].iter().any(|prefix| {
                endpoint
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
            });
            let parses = url::Url::parse(endpoint).is_ok_and(|url| url.has_host());
            if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) || !parses {
                problems.push(format!("{name} must be an http(s) URL (got {endpoint})"));
            } else if self.environment == Environment::Production
                && !endpoint.starts_with("https://")
                && !loopback
            {
                // A bearer token or a client secret would cross the network in the clear.
                problems.push(format!("{name} must be https:// in production (or on loopback)"));
            }
        }
        match self.environment {
            Environment::Production => {
                if let Some(secret) = &self.jwt_secret
                    && distinct(secret.expose_secret().as_bytes()) < 8
                {
                    problems.push(
                        "SKYCLUST_JWT_SECRET is trivially weak: use 32 or more random bytes".to_owned(),
                    );
                }
                let weak_key = |encoded: &str| {
                    use base64::Engine;
                    base64::engine::general_purpose::STANDARD
                        .decode(encoded.trim())
                        .is_ok_and(|key| key.len() == 32 && distinct(&key) < 12)
                };
                if self.encryption_key.as_ref().is_some_and(|key| weak_key(key.expose_secret())) {
                    problems.push(
                        "SKYCLUST_ENCRYPTION_KEY is trivially weak: use 32 random bytes, base64-encoded"
                            .to_owned(),
                    );
                }
            }
            Environment::Development => {
                if !self.bind.ip().is_loopback() && !self.allow_development_on_network {
                    problems.push(format!(
                        "development mode keeps generated secrets in the database and must not listen on {}: \
                         run with SKYCLUST_ENV=production, SKYCLUST_JWT_SECRET and SKYCLUST_ENCRYPTION_KEY, or bind \
                         to 127.0.0.1 (SKYCLUST_ALLOW_DEVELOPMENT_ON_NETWORK=true overrides this, for throwaway setups)",
                        self.bind
                    ));
                }
            }
        }
        if let Some(metrics) = self.metrics_bind
            && metrics.port() != 0
            && metrics.port() == self.bind.port()
            && (metrics.ip() == self.bind.ip()
                || metrics.ip().is_unspecified()
                || self.bind.ip().is_unspecified())
        {
            problems.push(format!(
                "SKYCLUST_METRICS_BIND ({metrics}) must be another address than SKYCLUST_BIND ({}): metrics have a \
                 listener of their own",
                self.bind
            ));
        }
        if let Some(endpoint) = &self.otlp_endpoint
            && !matches!(endpoint.scheme(), "http" | "https")
        {
            problems.push(format!(
                "SKYCLUST_OTLP_ENDPOINT must be an http:// or https:// URL (got {endpoint}), e.g. http://collector:4318"
            ));
        }
        if problems.is_empty() { Ok(()) } else { Err(ConfigError(problems)) }
    }

    fn parse_from_env_free() -> Config {
        // Parsing an empty command line with env lookups disabled yields clap's defaults,
        // so the defaults live in one place: the attributes above.
        let mut command = <Config as clap::CommandFactory>::command();
        command = command.mut_args(|arg| arg.env(None::<&str>));
        let matches = command.get_matches_from(["skyclust-server"]);
        <Config as clap::FromArgMatches>::from_arg_matches(&matches).expect("defaults are valid")
    }
}

#[cfg(test)]
mod tests;
