//! State shared by every request.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Instant;

use crate::audit::AuditRecorder;
use crate::auth::api_key::UsageTracker;
use crate::auth::jwt::JwtKeys;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::costs::catalog::Catalog;
use crate::crypto::Vault;
use crate::events::Events;
use crate::providers::Registry;
use crate::providers::sandbox::Sandbox;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;

use crate::rate_limit::RateLimiter;
use crate::storage::Database;

/// Cheap to clone: everything lives behind one `Arc`.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] holds.
#[derive(Debug)]
pub struct Shared {
    /// The configuration the server started with.
    pub config: Config,
    /// The database.
    pub db: Database,
    /// Token signing and checking.
    pub jwt: JwtKeys,
    /// Redis, when configured.
    pub redis: Option<redis::Client>,
    /// When the server started.
    pub started: Instant,
    /// The time source.
    pub clock: SharedClock,
    /// Request counting.
    pub rate_limiter: Arc<dyn RateLimiter>,
    /// The audit log writer.
    pub audit: AuditRecorder,
    /// When API key uses were last written.
    pub key_usage: UsageTracker,
    /// Keys for secrets at rest.
    pub vault: Vault,
    /// The enabled cloud providers.
    pub providers: Registry,
    /// The built-in simulated cloud (also in `providers`), reachable for fault injection.
    pub sandbox: Arc<Sandbox>,
    /// Event publishing.
    pub events: Events,
    /// Prices, for cost analysis.
    pub catalog: Catalog,
    /// Flips to `true` when the server starts shutting down.
    pub shutdown: watch::Sender<bool>,
    /// The open WebSocket sessions.
    pub sockets: TaskTracker,
    /// The open-connection budget.
    pub connections: crate::http::serve::ConnectionSlots,
    /// Password hashing, bounded in concurrency.
    pub password_hasher: crate::auth::password::Hasher,
    /// Open WebSocket sessions per user and per address.
    pub ws_sessions: crate::websocket::sessions::SessionCounts,
    /// What the server counts, for `GET /metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// What providers answered discovery lately.
    pub discovery: crate::vms::discovery::Discovery,
}

impl AppState {
    /// Wraps the shared parts.
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl Shared {
    /// What publishing changes needs, borrowed from here.
    pub fn publisher(&self) -> crate::events::Publisher<'_> {
        crate::events::Publisher {
            db: &self.db,
            catalog: &self.catalog,
            events: &self.events,
            clock: self.clock.as_ref(),
        }
    }
}
