//! Server configuration: `SKYCLUST_*` environment variables with matching CLI flags.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, ValueEnum};

/// Where the server runs and what it connects to.
#[derive(Debug, Clone, Parser)]
#[command(name = "skyclust-server", version, about = "SkyClust API server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "SKYCLUST_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,

    /// Database URL: `sqlite://FILE` (the embedded default) or `postgres://…`.
    #[arg(long, env = "SKYCLUST_DATABASE_URL", default_value = "sqlite://skyclust.db")]
    pub database_url: String,

    /// Largest database connection pool.
    #[arg(long, env = "SKYCLUST_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// `development` generates missing secrets; `production` refuses to start without them.
    #[arg(long = "env", env = "SKYCLUST_ENV", value_enum, default_value_t = Environment::Development)]
    pub environment: Environment,

    /// HS256 signing secret for JWTs (at least 32 bytes in production).
    #[arg(long, env = "SKYCLUST_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Lifetime of issued JWTs, in seconds.
    #[arg(long, env = "SKYCLUST_JWT_TTL_SECS", default_value_t = 24 * 3600)]
    pub jwt_ttl_secs: u64,

    /// The JWT `iss` claim issued and required.
    #[arg(long, env = "SKYCLUST_JWT_ISSUER", default_value = "skyclust")]
    pub jwt_issuer: String,

    /// AES-256-GCM key for credentials at rest: base64 of 32 bytes.
    #[arg(long, env = "SKYCLUST_ENCRYPTION_KEY", hide_env_values = true)]
    pub encryption_key: Option<String>,

    /// The version number of `encryption_key`, recorded with everything it encrypts.
    #[arg(long, env = "SKYCLUST_ENCRYPTION_KEY_VERSION", default_value_t = 1)]
    pub encryption_key_version: u32,

    /// Earlier keys still needed to decrypt, as comma-separated `version:base64`.
    #[arg(long, env = "SKYCLUST_ENCRYPTION_OLD_KEYS", value_delimiter = ',', hide_env_values = true)]
    pub encryption_old_keys: Vec<String>,

    /// Redis URL; without one, everything runs in-process.
    #[arg(long, env = "SKYCLUST_REDIS_URL", hide_env_values = true)]
    pub redis_url: Option<String>,

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

    /// How often a VM in transition is re-read from its provider, in milliseconds.
    #[arg(long, env = "SKYCLUST_VM_POLL_MS", default_value_t = 2000)]
    pub vm_poll_ms: u64,

    /// EC2 endpoint to use instead of the SDK's own resolution (which follows
    /// `AWS_ENDPOINT_URL_EC2` / `AWS_ENDPOINT_URL`), e.g. an EC2-compatible test server.
    #[arg(long, env = "SKYCLUST_AWS_ENDPOINT_URL")]
    pub aws_endpoint_url: Option<String>,

    /// A price catalog file to use instead of the one built in (same format as
    /// `skyclust-server/catalog/prices.json`).
    #[arg(long, env = "SKYCLUST_PRICE_CATALOG")]
    pub price_catalog: Option<std::path::PathBuf>,

    /// How often live VMs are reconciled with their provider, in seconds.
    #[arg(long, env = "SKYCLUST_RECONCILE_SECS", default_value_t = 60)]
    pub reconcile_secs: u64,

    /// Log format.
    #[arg(long, env = "SKYCLUST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
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
            database_url: database_url.into(),
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
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documented_ones() {
        let config = Config::defaults();
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.database_url, "sqlite://skyclust.db");
        assert_eq!(config.environment, Environment::Development);
        assert!(config.jwt_secret.is_none());
        assert!(config.allow_registration);
        assert_eq!(
            (config.rate_limit_anonymous, config.rate_limit_user, config.rate_limit_api_key),
            (100, 1000, 10_000)
        );
        assert!(config.trusted_proxies.is_empty());
    }

    #[test]
    fn flags_parse() {
        let config = Config::try_parse_from([
            "skyclust-server",
            "--bind",
            "0.0.0.0:9000",
            "--env",
            "production",
            "--allow-registration",
            "false",
            "--trusted-proxies",
            "10.0.0.1,::1",
        ])
        .unwrap();
        assert_eq!(config.bind.port(), 9000);
        assert_eq!(config.environment, Environment::Production);
        assert!(!config.allow_registration);
        assert_eq!(config.trusted_proxies.len(), 2);
    }
}
