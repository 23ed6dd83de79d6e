//! The event bus: one publish call for every feature, delivered to WebSocket clients
//! ([`crate::websocket`]) that are allowed to see each event.
//!
//! [`EventBus`] is a trait so a Redis pub/sub implementation can replace the in-process one
//! without touching publishers or the socket code. Who may see an event is decided when it is
//! published ([`Audience`]), so delivery to each socket is an in-memory check.

pub mod redis;

use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;

use skyclust_types::events::{CostUpdate, Event, EventType, VmStatusChange};
use skyclust_types::{AuditLog, Notification, Permission, Role};
use tokio::sync::broadcast;
use uuid::Uuid;

use crate::auth::Principal;
use crate::auth::principals::PrincipalCache;
use crate::metrics::Metrics;

/// Who may receive an event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// These users, and system admins when `admins` is set.
    Users {
        /// The users.
        users: Vec<Uuid>,
        /// Whether system admins see it too.
        admins: bool,
    },
    /// Everyone whose role grants the permission.
    Permission(Permission),
}

/// An event on its way to sockets, serialized once.
#[derive(Debug)]
pub struct Published {
    /// The event's kind.
    pub kind: EventType,
    /// The workspace it is about.
    pub workspace_id: Option<Uuid>,
    /// Who may see it.
    pub audience: Audience,
    /// Its JSON, as sent: shared by every socket, never copied.
    pub json: Utf8Bytes,
}

impl Published {
    /// Whether `principal` may receive this event.
    pub fn is_visible_to(&self, principal: &Principal) -> bool {
        match &self.audience {
            Audience::Users { users, admins } => {
                users.contains(&principal.user.id) || (*admins && principal.role() == Role::Admin)
            }
            Audience::Permission(permission) => principal.holds(*permission),
        }
    }
}

/// Credentials that stopped being valid: sockets authenticated with them close with 4001.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Revocation {
    /// A logged-out token, by `jti`.
    Token(String),
    /// A revoked API key.
    ApiKey(Uuid),
    /// A deactivated or deleted user: all their sockets.
    User(Uuid),
}

impl Revocation {
    /// Whether this revocation ends `principal`'s sessions.
    pub fn applies_to(&self, principal: &Principal) -> bool {
        match self {
            Revocation::Token(jti) => principal.token.as_ref().is_some_and(|claims| &claims.jti == jti),
            Revocation::ApiKey(id) => principal.api_key.as_ref().is_some_and(|key| &key.id == id),
            Revocation::User(id) => &principal.user.id == id,
        }
    }
}

/// What travels on the bus.
#[derive(Debug, Clone)]
pub enum BusMessage {
    /// An event.
    Event(Arc<Published>),
    /// A revocation.
    Revoked(Arc<Revocation>),
}

/// Carries events and revocations to every socket.
pub trait EventBus: Send + Sync + std::fmt::Debug {
    /// Sends `message` to every current subscriber (none is fine).
    fn send(&self, message: BusMessage);

    /// A receiver of everything sent from now on.
    fn subscribe(&self) -> broadcast::Receiver<BusMessage>;

    /// How events travel, as `GET /health/redis` reports it.
    fn describe(&self) -> &'static str {
        "in-process"
    }

    /// Whether revocations made on other replicas reach this one now.
    fn carries_revocations(&self) -> bool {
        true
    }

    /// Whether this replica hears the other replicas now (`None`: there are none to hear).
    fn is_connected(&self) -> Option<bool> {
        None
    }
}

/// The in-process bus of a single server.
#[derive(Debug)]
pub struct LocalBus {
    sender: broadcast::Sender<BusMessage>,
}

impl LocalBus {
    /// A bus buffering up to `capacity` messages for its slowest subscriber.
    pub fn new(capacity: usize) -> LocalBus {
        LocalBus { sender: broadcast::channel(capacity.max(16)).0 }
    }
}

impl EventBus for LocalBus {
    fn send(&self, message: BusMessage) {
        // No subscriber is not an error: nobody is listening.
        let _ = self.sender.send(message);
    }

    fn subscribe(&self) -> broadcast::Receiver<BusMessage> {
        self.sender.subscribe()
    }
}

/// What publishing a change reads and writes: the database (who may hear it, notifications),
/// prices and the server clock (cost figures), and the bus. Feature code takes this rather
/// than the whole application state.
#[derive(Debug, Clone, Copy)]
pub struct Publisher<'a> {
    /// The database.
    pub db: &'a crate::storage::Database,
    /// Prices.
    pub catalog: &'a crate::costs::catalog::Catalog,
    /// The event bus.
    pub events: &'a Events,
    /// The server clock.
    pub clock: &'a dyn crate::clock::Clock,
}

/// Publishes events. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Events {
    bus: Arc<dyn EventBus>,
    principals: Arc<PrincipalCache>,
    metrics: Arc<Metrics>,
}

impl Events {
    /// Publishing onto `bus`, counted in `metrics`.
    pub fn new(bus: Arc<dyn EventBus>, metrics: Arc<Metrics>) -> Events {
        let principals =
            Arc::new(PrincipalCache::new(crate::auth::principals::TTL, crate::auth::principals::CAPACITY));
        Events { bus, principals, metrics }
    }

    /// Callers checked a moment ago, which revocations make this replica forget.
    pub fn principals(&self) -> &PrincipalCache {
        &self.principals
    }

    /// Makes this replica forget the callers revocations end, as they arrive on the bus from
    /// any replica; a subscriber that fell behind may have missed one, so it forgets everything.
    pub fn forget_revoked_principals(&self) -> tokio::task::JoinHandle<()> {
        let mut receiver = self.bus.subscribe();
        let principals = self.principals.clone();
        tokio::spawn(async move {
            loop {
                match receiver.recv().await {
                    Ok(BusMessage::Revoked(revocation)) => principals.forget(&revocation),
                    Ok(BusMessage::Event(_)) => {}
                    Err(broadcast::error::RecvError::Lagged(_)) => principals.clear(),
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        })
    }

    /// The bus, for sockets to subscribe to.
    pub fn bus(&self) -> &Arc<dyn EventBus> {
        &self.bus
    }

    fn publish(&self, event: Event, audience: Audience) {
        let published = Published {
            kind: event.kind(),
            workspace_id: event.workspace_id(),
            audience,
            json: Utf8Bytes::from(serde_json::to_string(&event).expect("events serialize")),
        };
        self.metrics.event_published(published.kind);
        self.bus.send(BusMessage::Event(Arc::new(published)));
    }

    /// `notification_received`, to the notification's recipient.
    pub fn notification_received(&self, recipient: Uuid, notification: Notification) {
        let event = Event::NotificationReceived {
            id: event_id(),
            timestamp: crate::clock::real_now(),
            data: notification,
        };
        self.publish(event, Audience::Users { users: vec![recipient], admins: false });
    }

    /// `audit_log_created`, to holders of `audit:read`.
    pub fn audit_log_created(&self, entry: AuditLog) {
        let event =
            Event::AuditLogCreated { id: event_id(), timestamp: crate::clock::real_now(), data: entry };
        self.publish(event, Audience::Permission(Permission::AuditRead));
    }

    /// `vm_status_changed`, to `viewers` (the workspace's owner and members) and admins.
    pub fn vm_status_changed(&self, viewers: Vec<Uuid>, change: VmStatusChange) {
        let event =
            Event::VmStatusChanged { id: event_id(), timestamp: crate::clock::real_now(), data: change };
        self.publish(event, Audience::Users { users: viewers, admins: true });
    }

    /// `cost_updated`, to `viewers` (the workspace's owner and members) and admins.
    pub fn cost_updated(&self, viewers: Vec<Uuid>, update: CostUpdate) {
        let event = Event::CostUpdated { id: event_id(), timestamp: crate::clock::real_now(), data: update };
        self.publish(event, Audience::Users { users: viewers, admins: true });
    }

    /// Ends the sessions `revocation` applies to, and (first, so this replica's next request
    /// already sees it) forgets the callers it ends.
    pub fn revoke(&self, revocation: Revocation) {
        self.principals.forget(&revocation);
        self.bus.send(BusMessage::Revoked(Arc::new(revocation)));
    }
}

fn event_id() -> String {
    format!("evt_{}", Uuid::new_v4().simple())
}
