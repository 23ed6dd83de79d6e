//! Real-time events over `GET /ws`: what the server pushes, what a client may send.
//!
//! A client connects to `ws://host:port/ws`, sends [`ClientMessage::Auth`] within 10 seconds,
//! and receives [`ControlMessage::AuthSuccess`] (or a close with code 4001). From then on the
//! server pushes every [`Event`] the caller may see; [`ClientMessage::Subscribe`] narrows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{AuditLog, Notification};

/// Close code: authentication missing, late or invalid (also sent after logout or revocation).
pub const CLOSE_UNAUTHORIZED: u16 = 4001;
/// Close code: the client did not read fast enough and its queue overflowed.
pub const CLOSE_TOO_SLOW: u16 = 4008;
/// Close code: the user already holds as many sessions as the server allows
/// (`SKYCLUST_WS_MAX_SESSIONS_PER_USER`); close another one first. (Too many connections from
/// one address are refused before the upgrade, with HTTP 429.)
pub const CLOSE_TOO_MANY_SESSIONS: u16 = 4029;
/// Close code: the server is shutting down.
pub const CLOSE_GOING_AWAY: u16 = 1001;
/// Close code: a message over 64 KiB.
pub const CLOSE_TOO_BIG: u16 = 1009;
/// Close code: a frame that breaks the WebSocket protocol.
pub const CLOSE_PROTOCOL_ERROR: u16 = 1002;

/// The kinds of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// A VM changed status (to users who can see its workspace).
    VmStatusChanged,
    /// A workspace's cost figures changed (to users who can see the workspace).
    CostUpdated,
    /// A notification was created (to its recipient).
    NotificationReceived,
    /// An audit entry was written (to holders of `audit:read`).
    AuditLogCreated,
}

impl EventType {
    /// Every kind of event.
    ///
    /// ```
    /// assert_eq!(skyclust_types::events::EventType::ALL.len(), 4);
    /// ```
    pub const ALL: [EventType; 4] = [
        EventType::VmStatusChanged,
        EventType::CostUpdated,
        EventType::NotificationReceived,
        EventType::AuditLogCreated,
    ];

    /// The wire name, as in the event's `type`.
    ///
    /// ```
    /// assert_eq!(skyclust_types::events::EventType::VmStatusChanged.as_str(), "vm_status_changed");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::VmStatusChanged => "vm_status_changed",
            EventType::CostUpdated => "cost_updated",
            EventType::NotificationReceived => "notification_received",
            EventType::AuditLogCreated => "audit_log_created",
        }
    }
}

/// A VM's lifecycle status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VmStatus {
    /// Accepted; the provider has not been asked yet or is creating it.
    Pending,
    /// Booting.
    Starting,
    /// Running.
    Running,
    /// Shutting down.
    Stopping,
    /// Stopped (still exists).
    Stopped,
    /// Being deleted.
    Terminating,
    /// Deleted.
    Terminated,
    /// Failed; see the VM's `status_reason`.
    Error,
}

/// `vm_status_changed` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VmStatusChange {
    /// The VM.
    pub vm_id: Uuid,
    /// Its workspace.
    pub workspace_id: Uuid,
    /// The new status.
    pub status: VmStatus,
    /// The status before.
    pub previous_status: Option<VmStatus>,
    /// When the change happened.
    pub timestamp: DateTime<Utc>,
}

/// `cost_updated` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CostUpdate {
    /// The workspace whose figures changed.
    pub workspace_id: Uuid,
    /// The period the figure covers, e.g. `30d`.
    pub period: String,
    /// The workspace's total cost over the period.
    pub total_cost: f64,
    /// Currency of `total_cost`.
    pub currency: String,
}

/// An event: `{type, id, timestamp, data}`.
///
/// ```
/// use skyclust_types::events::Event;
/// let json = r#"{"type":"notification_received","id":"evt_1","timestamp":"2024-01-01T00:00:00Z",
///   "data":{"id":"5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d","title":"t","message":"m","type":"info",
///   "priority":"low","is_read":false,"created_at":"2024-01-01T00:00:00Z","read_at":null}}"#;
/// let event: Event = serde_json::from_str(json).unwrap();
/// assert_eq!(event.id(), "evt_1");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A VM changed status.
    VmStatusChanged {
        /// Unique event id.
        id: String,
        /// When it was published.
        timestamp: DateTime<Utc>,
        /// What changed.
        data: VmStatusChange,
    },
    /// A workspace's cost figures changed.
    CostUpdated {
        /// Unique event id.
        id: String,
        /// When it was published.
        timestamp: DateTime<Utc>,
        /// The new figures.
        data: CostUpdate,
    },
    /// A notification for you.
    NotificationReceived {
        /// Unique event id.
        id: String,
        /// When it was published.
        timestamp: DateTime<Utc>,
        /// The notification.
        data: Notification,
    },
    /// An audit entry was written.
    AuditLogCreated {
        /// Unique event id.
        id: String,
        /// When it was published.
        timestamp: DateTime<Utc>,
        /// The entry.
        data: AuditLog,
    },
}

impl Event {
    /// The event's kind.
    pub fn kind(&self) -> EventType {
        match self {
            Event::VmStatusChanged { .. } => EventType::VmStatusChanged,
            Event::CostUpdated { .. } => EventType::CostUpdated,
            Event::NotificationReceived { .. } => EventType::NotificationReceived,
            Event::AuditLogCreated { .. } => EventType::AuditLogCreated,
        }
    }

    /// The event's id.
    pub fn id(&self) -> &str {
        match self {
            Event::VmStatusChanged { id, .. }
            | Event::CostUpdated { id, .. }
            | Event::NotificationReceived { id, .. }
            | Event::AuditLogCreated { id, .. } => id,
        }
    }

    /// The workspace the event is about, when it is about one.
    pub fn workspace_id(&self) -> Option<Uuid> {
        match self {
            Event::VmStatusChanged { data, .. } => Some(data.workspace_id),
            Event::CostUpdated { data, .. } => Some(data.workspace_id),
            _ => None,
        }
    }
}

/// Messages a client sends. A field the message does not take is refused, as in HTTP bodies: a
/// misspelt filter (`workspace` for `workspace_id`) would otherwise widen the subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Authenticate with a JWT or an API key (exactly one).
    Auth {
        /// A JWT.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// An API key.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        api_key: Option<String>,
    },
    /// Receive only these event types and/or events of this workspace (replaces any earlier filter).
    Subscribe {
        /// Event types to receive; all when absent or empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        events: Vec<EventType>,
        /// Only events about this workspace (events about no workspace still arrive).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        workspace_id: Option<Uuid>,
    },
    /// Ask for a `pong`. (A struct variant, so that serde refuses unknown fields here too.)
    Ping {},
}

/// Messages the server sends besides events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ControlMessage {
    /// Authentication succeeded.
    AuthSuccess {
        /// Who you are.
        user_id: Uuid,
    },
    /// A subscription took effect.
    Subscribed {
        /// Event types you will receive (all when empty).
        events: Vec<EventType>,
        /// The workspace you narrowed to, if any.
        workspace_id: Option<Uuid>,
    },
    /// The answer to `ping`.
    Pong,
    /// Something you sent was not understood or not allowed.
    Error {
        /// An API error code, e.g. `VALIDATION_ERROR` or `UNAUTHORIZED`.
        code: crate::ErrorCode,
        /// What went wrong.
        message: String,
    },
}

/// Anything the server sends on `/ws`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ServerMessage {
    /// A control message.
    Control(ControlMessage),
    /// An event.
    Event(Event),
}

#[cfg(test)]
mod tests {
    use super::EventType;

    #[test]
    fn event_type_names_are_their_wire_names() {
        for kind in EventType::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }
}
