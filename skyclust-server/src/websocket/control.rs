//! What a client may send on `/ws` once authenticated (`ping`, `subscribe`) and the replies.

use std::collections::HashSet;

use parking_lot::RwLock;
use skyclust_types::ErrorCode;
use skyclust_types::events::{ClientMessage, ControlMessage, EventType};
use uuid::Uuid;

use super::Session;
use crate::auth::Principal;
use crate::storage::Database;

/// The reply to one client message.
pub(super) async fn handle(db: &Database, session: &RwLock<Session>, text: &str) -> ControlMessage {
    match serde_json::from_str::<ClientMessage>(text) {
        Ok(ClientMessage::Ping {}) => ControlMessage::Pong,
        Ok(ClientMessage::Subscribe { events, workspace_id }) => {
            let principal = session.read().principal.clone();
            if let Some(workspace) = workspace_id
                && !can_see_workspace(db, &principal, workspace).await
            {
                return error(ErrorCode::NotFound, "No such workspace");
            }
            session.write().filter = Filter { events: events.iter().copied().collect(), workspace_id };
            ControlMessage::Subscribed { events, workspace_id }
        }
        Ok(ClientMessage::Auth { .. }) => error(ErrorCode::ValidationError, "already authenticated"),
        Err(problem) => {
            // serde names what is wrong (an unknown event type, a missing field); what it
            // quotes is shortened, as it may be anything the client sent (a token, even).
            let mut problem = shorten_quoted(&problem.to_string());
            if let Some((cut, _)) = problem.char_indices().nth(300) {
                problem.truncate(cut);
                problem.push('…');
            }
            error(
                ErrorCode::ValidationError,
                &format!("not a valid message ({problem}): expected {{\"type\":\"subscribe\"|\"ping\",...}}"),
            )
        }
    }
}

/// `text` with every `quoted` value over 32 characters cut to its first 8 (`abcdefgh…`): an
/// event type is short, a pasted token is not. The whole is made printable: a backtick the
/// client sent could make any part look unquoted.
fn shorten_quoted(text: &str) -> String {
    let mut parts: Vec<String> = text.split('`').map(str::to_owned).collect();
    for part in parts.iter_mut().skip(1).step_by(2) {
        if part.chars().count() > 32 {
            *part = format!("{}…", part.chars().take(8).collect::<String>());
        }
    }
    skyclust_types::validation::printable(&parts.join("`"))
}

async fn can_see_workspace(db: &Database, principal: &Principal, workspace: Uuid) -> bool {
    match crate::access::can_read(db, principal, workspace).await {
        Ok(visible) => visible,
        Err(error) => {
            tracing::warn!(error = %error, "checking a subscription's workspace failed");
            false
        }
    }
}

pub(super) fn error(code: ErrorCode, message: &str) -> ControlMessage {
    ControlMessage::Error { code, message: message.to_owned() }
}

/// What a client subscribed to.
#[derive(Debug, Default, Clone)]
pub(super) struct Filter {
    events: HashSet<EventType>,
    workspace_id: Option<Uuid>,
}

impl Filter {
    pub(super) fn admits(&self, kind: EventType, workspace: Option<Uuid>) -> bool {
        (self.events.is_empty() || self.events.contains(&kind))
            && match (self.workspace_id, workspace) {
                (Some(wanted), Some(actual)) => wanted == actual,
                _ => true,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_narrow_by_type_and_workspace() {
        let workspace = Uuid::new_v4();
        let all = Filter::default();
        assert!(all.admits(EventType::AuditLogCreated, None));
        let narrow = Filter { events: [EventType::VmStatusChanged].into(), workspace_id: Some(workspace) };
        assert!(narrow.admits(EventType::VmStatusChanged, Some(workspace)));
        assert!(!narrow.admits(EventType::VmStatusChanged, Some(Uuid::new_v4())));
        assert!(!narrow.admits(EventType::CostUpdated, Some(workspace)));
        let by_workspace = Filter { events: HashSet::new(), workspace_id: Some(workspace) };
        assert!(by_workspace.admits(EventType::NotificationReceived, None), "events about no workspace pass");
    }

    #[test]
    fn what_a_client_sent_is_quoted_short_and_printable() {
        let token = "x".repeat(40);
        assert_eq!(shorten_quoted(&format!("unknown variant `{token}`")), "unknown variant `xxxxxxxx…`");
        // A backtick of the client's own cannot leave a control character unescaped.
        let sent = serde_json::json!({"type": "subscribe", "events": ["a`\u{202e}\u{1b}[2J\n"]});
        let problem = serde_json::from_value::<ClientMessage>(sent).unwrap_err().to_string();
        let shown = shorten_quoted(&problem);
        assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202e}'), "{shown}");
        assert!(shown.contains("\\u{202e}"), "{shown}");
    }
}
