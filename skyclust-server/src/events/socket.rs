//! `GET /ws`: authenticate within a deadline, then receive the events you may see.
//!
//! One task per connection reads client messages, bus messages and heartbeats; a second task
//! writes to the socket from a bounded queue. A client whose queue fills up (or whose bus
//! receiver falls too far behind) is closed with 4008 rather than buffered without bound.

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use skyclust_types::events::{
    CLOSE_GOING_AWAY, CLOSE_PROTOCOL_ERROR, CLOSE_TOO_BIG, CLOSE_TOO_SLOW, CLOSE_UNAUTHORIZED, ClientMessage,
    ControlMessage, EventType,
};
use skyclust_types::{ErrorCode, Role};
use tokio::sync::{broadcast, mpsc, oneshot};
use uuid::Uuid;

use super::BusMessage;
use crate::auth::{self, Authentication, Principal};
use crate::state::AppState;
use crate::storage::workspaces;

/// The path of the endpoint.
pub const PATH: &str = "/ws";

/// The largest message a client may send; anything bigger closes the connection with 1009.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// Upgrades the request and serves the socket.
pub async fn upgrade(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> Response {
    // Small per-connection buffers: tungstenite's defaults (128 KiB each way) would dominate the
    // memory of ten thousand idle sessions; messages here are a few hundred bytes.
    let upgrade = upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0);

    upgrade.on_upgrade(move |socket| {
        let tracker = state.sockets.clone();
        tracker.track_future(serve(state, socket))
    })
}

/// Why a session ended, and the close frame to send (if any).
enum Ending {
    Close(u16, &'static str),
    Gone,
}

async fn serve(state: AppState, socket: WebSocket) {
    let (sink, mut stream) = socket.split();
    let (outbound, queue) = mpsc::channel::<Message>(state.config.ws_queue.max(1));
    let (close, closing) = oneshot::channel::<(u16, &'static str)>();
    let writer = tokio::spawn(write(sink, queue, closing));
    let mut shutdown = state.shutdown.subscribe();
    // Subscribing before authenticating: nothing published after the `auth_success` is missed.
    let bus = state.events.bus().subscribe();

    let ending = tokio::select! {
        ending = session(&state, &mut stream, &outbound, bus) => ending,
        _ = shutdown.wait_for(|stopping| *stopping) => Ending::Close(CLOSE_GOING_AWAY, "server shutting down"),
    };
    if let Ending::Close(code, reason) = ending {
        let _ = close.send((code, reason));
    }
    drop(outbound);
    let _ = writer.await;
}

async fn session(
    state: &AppState,
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
    outbound: &mpsc::Sender<Message>,
    mut bus: broadcast::Receiver<BusMessage>,
) -> Ending {
    let deadline = Duration::from_secs(state.config.ws_auth_timeout_secs);
    let mut principal = match tokio::time::timeout(deadline, authenticate(state, stream)).await {
        Ok(Ok(principal)) => principal,
        Ok(Err(message)) => {
            let _ = send(outbound, &error(ErrorCode::Unauthorized, message));
            return Ending::Close(CLOSE_UNAUTHORIZED, message);
        }
        Err(_) => return Ending::Close(CLOSE_UNAUTHORIZED, "authentication timed out"),
    };
    if send(outbound, &ControlMessage::AuthSuccess { user_id: principal.user.id }).is_err() {
        return Ending::Close(CLOSE_TOO_SLOW, "too slow");
    }

    let mut filter = Filter::default();
    let period = Duration::from_secs(state.config.ws_ping_interval_secs.max(1));
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    let mut awaiting_pong = false;
    loop {
        tokio::select! {
            incoming = stream.next() => match incoming {
                Some(Ok(Message::Text(text))) => {
                    let reply = handle(state, &principal, &mut filter, &text).await;
                    if send(outbound, &reply).is_err() {
                        return Ending::Close(CLOSE_TOO_SLOW, "too slow");
                    }
                }
                Some(Ok(Message::Pong(_))) => awaiting_pong = false,
                Some(Ok(Message::Binary(_))) => {
                    let reply = error(ErrorCode::ValidationError, "binary frames are not supported; send JSON text");
                    if send(outbound, &reply).is_err() {
                        return Ending::Close(CLOSE_TOO_SLOW, "too slow");
                    }
                }
                Some(Ok(Message::Close(_))) | None => return Ending::Gone,
                Some(Err(error)) => return read_failure(error),
                Some(Ok(Message::Ping(_))) => {}
            },
            message = bus.recv() => match message {
                Ok(BusMessage::Event(event)) => {
                    if filter.admits(event.kind, event.workspace_id) && event.is_visible_to(&principal)
                        && outbound.try_send(Message::Text(event.json.clone())).is_err()
                    {
                        return Ending::Close(CLOSE_TOO_SLOW, "client too slow");
                    }
                }
                Ok(BusMessage::Revoked(revocation)) if revocation.applies_to(&principal) => {
                    return Ending::Close(CLOSE_UNAUTHORIZED, "credentials revoked");
                }
                Ok(BusMessage::Revoked(_)) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => return Ending::Close(CLOSE_TOO_SLOW, "client too slow"),
                Err(broadcast::error::RecvError::Closed) => return Ending::Close(CLOSE_GOING_AWAY, "server shutting down"),
            },
            _ = heartbeat.tick() => {
                if awaiting_pong {
                    tracing::debug!(user_id = %principal.user.id, "dropping a WebSocket peer that stopped answering");
                    return Ending::Gone;
                }
                match auth::revalidate(state, &principal).await {
                    Ok(Some(current)) => principal = current,
                    Ok(None) => return Ending::Close(CLOSE_UNAUTHORIZED, "credentials no longer valid"),
                    Err(error) => tracing::warn!(error = %error, "re-checking a WebSocket session failed"),
                }
                if outbound.try_send(Message::Ping(Default::default())).is_err() {
                    return Ending::Close(CLOSE_TOO_SLOW, "client too slow");
                }
                awaiting_pong = true;
            }
        }
    }
}

/// The close for a frame that could not be read: too big (1009) or malformed (1002).
fn read_failure(error: axum::Error) -> Ending {
    let too_big = error
        .into_inner()
        .downcast::<tokio_tungstenite::tungstenite::Error>()
        .is_ok_and(|error| matches!(*error, tokio_tungstenite::tungstenite::Error::Capacity(_)));
    if too_big {
        Ending::Close(CLOSE_TOO_BIG, "message too big")
    } else {
        Ending::Close(CLOSE_PROTOCOL_ERROR, "protocol error")
    }
}

/// Waits for the first message, which must authenticate.
async fn authenticate(
    state: &AppState,
    stream: &mut futures_util::stream::SplitStream<WebSocket>,
) -> Result<Principal, &'static str> {
    loop {
        let text = match stream.next().await {
            Some(Ok(Message::Text(text))) => text,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            _ => return Err("expected an auth message"),
        };
        let authentication = match serde_json::from_str::<ClientMessage>(&text) {
            Ok(ClientMessage::Auth { token: Some(token), api_key: None }) => {
                auth::authenticate_token(state, &token).await
            }
            Ok(ClientMessage::Auth { token: None, api_key: Some(key) }) => {
                auth::authenticate_api_key(state, &key).await
            }
            Ok(ClientMessage::Auth { .. }) => return Err("send exactly one of token or api_key"),
            _ => return Err("the first message must be {\"type\":\"auth\",...}"),
        };
        return match authentication {
            Authentication::Authenticated(principal) => Ok(*principal),
            Authentication::Rejected(reason) => Err(reason),
            Authentication::Anonymous | Authentication::Failed => Err("credentials cannot be checked"),
        };
    }
}

/// The reply to one client message.
async fn handle(state: &AppState, principal: &Principal, filter: &mut Filter, text: &str) -> ControlMessage {
    match serde_json::from_str::<ClientMessage>(text) {
        Ok(ClientMessage::Ping) => ControlMessage::Pong,
        Ok(ClientMessage::Subscribe { events, workspace_id }) => {
            if let Some(workspace) = workspace_id
                && !can_see_workspace(state, principal, workspace).await
            {
                return error(ErrorCode::NotFound, "No such workspace");
            }
            *filter = Filter { events: events.iter().copied().collect(), workspace_id };
            ControlMessage::Subscribed { events, workspace_id }
        }
        Ok(ClientMessage::Auth { .. }) => error(ErrorCode::ValidationError, "already authenticated"),
        Err(_) => error(
            ErrorCode::ValidationError,
            "not a valid message: expected {\"type\":\"subscribe\"|\"ping\",...}",
        ),
    }
}

async fn can_see_workspace(state: &AppState, principal: &Principal, workspace: Uuid) -> bool {
    match workspaces::find_with_role(&state.db, workspace, principal.user.id).await {
        Ok(Some((record, role))) => {
            principal.role() == Role::Admin || record.owner_id == principal.user.id || role.is_some()
        }
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(error = %error, "checking a subscription's workspace failed");
            false
        }
    }
}

fn error(code: ErrorCode, message: &str) -> ControlMessage {
    ControlMessage::Error { code, message: message.to_owned() }
}

fn send(outbound: &mpsc::Sender<Message>, message: &ControlMessage) -> Result<(), ()> {
    let json = serde_json::to_string(message).expect("control messages serialize");
    outbound.try_send(Message::Text(Utf8Bytes::from(json))).map_err(|_| ())
}

/// What a client subscribed to.
#[derive(Debug, Default)]
struct Filter {
    events: HashSet<EventType>,
    workspace_id: Option<Uuid>,
}

impl Filter {
    fn admits(&self, kind: EventType, workspace: Option<Uuid>) -> bool {
        (self.events.is_empty() || self.events.contains(&kind))
            && match (self.workspace_id, workspace) {
                (Some(wanted), Some(actual)) => wanted == actual,
                _ => true,
            }
    }
}

/// How long a closing connection may take to deliver what is queued and its close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// Writes queued messages. On a close request it delivers what is already queued (an auth
/// error, say) and the close frame within [`CLOSE_GRACE`], then stops — even when the peer has
/// stopped reading and a write is stuck.
async fn write(
    mut sink: futures_util::stream::SplitSink<WebSocket, Message>,
    mut queue: mpsc::Receiver<Message>,
    mut closing: oneshot::Receiver<(u16, &'static str)>,
) {
    let close = loop {
        tokio::select! {
            biased;
            close = &mut closing => break close.ok(),
            message = queue.recv() => match message {
                Some(message) => tokio::select! {
                    biased;
                    close = &mut closing => break close.ok(),
                    sent = sink.send(message) => if sent.is_err() { return },
                },
                // The session ended; a close request, if any, follows at once.
                None => break tokio::time::timeout(Duration::from_millis(100), &mut closing).await.ok().and_then(Result::ok),
            },
        }
    };
    if let Some((code, reason)) = close {
        let frame = Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }));
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            while let Ok(message) = queue.try_recv() {
                if sink.send(message).await.is_err() {
                    return;
                }
            }
            let _ = sink.send(frame).await;
        })
        .await;
    }
    let _ = tokio::time::timeout(CLOSE_GRACE, sink.close()).await;
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
}
