//! `GET /ws`: authenticate within a deadline, then receive the events you may see.
//!
//! Each connection has two tasks. The *writer* owns the socket's sending half and this
//! connection's place on the event bus: it delivers each event it may (one task wake-up per
//! delivery, which is what keeps fan-out to thousands of sockets cheap) and answers for the
//! control messages the reader hands it. The *reader* handles what the client sends, the
//! heartbeat, re-checks of the credentials, and shutdown. A client that falls more than
//! `ws_queue` events behind on the bus is closed with 4008 rather than buffered without bound.

mod control;
pub mod sessions;

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::response::Response;
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{FutureExt, SinkExt, StreamExt};
use parking_lot::RwLock;
use skyclust_types::ErrorCode;
use skyclust_types::events::{
    CLOSE_GOING_AWAY, CLOSE_PROTOCOL_ERROR, CLOSE_TOO_BIG, CLOSE_TOO_MANY_SESSIONS, CLOSE_TOO_SLOW,
    CLOSE_UNAUTHORIZED, ClientMessage, ControlMessage, EventType,
};
use tokio::sync::{broadcast, mpsc, watch};

use crate::auth::{self, Authentication, Principal};
use crate::error::ApiError;
use crate::events::BusMessage;
use crate::http::guard::ClientIp;
use crate::metrics::{DropReason, Metrics};
use crate::state::AppState;
use control::{Filter, error, handle};
use sessions::{Holder, MessageBudget};

/// How long a reply to the client's own message may wait for the client to read earlier ones.
const REPLY_WAIT: Duration = Duration::from_secs(10);

/// The largest message a client may send; anything bigger closes the connection with 1009.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// How long a closing connection may take to deliver its close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(5);

/// How often a writer stuck on a peer that stopped reading checks whether it fell behind.
const LAG_CHECK: Duration = Duration::from_millis(100);

/// Upgrades the request and serves the socket, unless its address already holds as many
/// connections as allowed (429, before any upgrade work).
pub async fn upgrade(
    State(state): State<AppState>,
    client_ip: Option<Extension<ClientIp>>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    let upgrade = match upgrade {
        Ok(upgrade) => upgrade,
        // axum's own words (what is missing), which quote nothing the client sent.
        Err(refused) => {
            let why = format!("GET /ws takes a WebSocket upgrade ({})", refused.body_text());
            return ApiError::invalid_field("upgrade", why).into_response();
        }
    };
    let address = client_ip.and_then(|Extension(ClientIp(ip))| ip).map(crate::http::guard::address_bucket);
    let max = state.config.ws_max_sessions_per_address;
    let Some(address_slot) = state.ws_sessions.open(Holder::Address(address), max) else {
        return ApiError::new(
            ErrorCode::RateLimited,
            format!(
                "This address already holds {max} WebSocket connections, the most allowed \
                 (SKYCLUST_WS_MAX_SESSIONS_PER_ADDRESS); close one first"
            ),
        )
        .with_header(header::RETRY_AFTER, HeaderValue::from_static("5"))
        .into_response();
    };
    // Small per-connection buffers: tungstenite's defaults (128 KiB each way) would dominate the
    // memory of ten thousand idle sessions; messages here are a few hundred bytes.
    let upgrade = upgrade
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0);
    upgrade.on_upgrade(move |socket| {
        let tracker = state.sockets.clone();
        tracker.track_future(async move {
            serve(state, socket).await;
            drop(address_slot);
        })
    })
}

type Sink = SplitSink<WebSocket, Message>;
type Source = SplitStream<WebSocket>;

/// A close code and reason.
type Close = (u16, &'static str);

/// What the writer needs to know about the session, kept current by the reader.
#[derive(Debug)]
struct Session {
    principal: Principal,
    filter: Filter,
}

async fn serve(state: AppState, socket: WebSocket) {
    let (mut sink, mut source) = socket.split();
    // Subscribing before authenticating: nothing published after `auth_success` is missed.
    let bus = state.events.bus().subscribe();
    let deadline = Duration::from_secs(state.config.ws_auth_timeout_secs);
    let principal = match tokio::time::timeout(deadline, authenticate(&state, &mut source)).await {
        Ok(Ok(principal)) => principal,
        Ok(Err(message)) => {
            let _ = tokio::time::timeout(CLOSE_GRACE, async {
                let _ = sink.send(text(&error(ErrorCode::Unauthorized, message))).await;
                let _ = sink.send(close_frame((CLOSE_UNAUTHORIZED, message))).await;
            })
            .await;
            return;
        }
        Err(_) => {
            let _ = tokio::time::timeout(
                CLOSE_GRACE,
                sink.send(close_frame((CLOSE_UNAUTHORIZED, "authentication timed out"))),
            )
            .await;
            return;
        }
    };
    let max = state.config.ws_max_sessions_per_user;
    let Some(_user_slot) = state.ws_sessions.open(Holder::User(principal.user.id), max) else {
        let _ = tokio::time::timeout(CLOSE_GRACE, async {
            let message = "too many WebSocket sessions for this user (SKYCLUST_WS_MAX_SESSIONS_PER_USER)";
            let _ = sink.send(text(&error(ErrorCode::RateLimited, message))).await;
            let _ = sink.send(close_frame((CLOSE_TOO_MANY_SESSIONS, "too many sessions"))).await;
        })
        .await;
        return;
    };
    if sink.send(text(&ControlMessage::AuthSuccess { user_id: principal.user.id })).await.is_err() {
        return;
    }

    let session = Arc::new(RwLock::new(Session { principal, filter: Filter::default() }));
    let (control, controls) = mpsc::channel::<Message>(16);
    let (close, closing) = watch::channel::<Option<Close>>(None);
    let writer = tokio::spawn(write(
        sink,
        bus,
        session.clone(),
        controls,
        closing,
        state.config.ws_queue.max(1),
        state.metrics.clone(),
    ));
    let mut shutdown = state.shutdown.subscribe();
    let mut writer_done = writer;
    let ending = tokio::select! {
        ending = read(&state, &mut source, &session, &control) => ending,
        _ = shutdown.wait_for(|stopping| *stopping) => Some((CLOSE_GOING_AWAY, "server shutting down")),
        // The writer closed the connection itself (revoked credentials, too slow).
        _ = &mut writer_done => return,
    };
    close.send_replace(Some(ending.unwrap_or((0, ""))));
    let _ = writer_done.await;
}

/// Handles what the client sends and the heartbeat; returns the close to send (`None`: the
/// peer is gone, send nothing).
async fn read(
    state: &AppState,
    source: &mut Source,
    session: &RwLock<Session>,
    control: &mpsc::Sender<Message>,
) -> Option<Close> {
    let period = Duration::from_secs(state.config.ws_ping_interval_secs.max(1));
    let mut heartbeat = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    // A tick missed while a reply waited is not made up in a burst (that would ping twice and
    // drop a peer whose pong is merely on its way).
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut awaiting_pong = false;
    let mut budget = MessageBudget::new(state.config.ws_messages_per_minute);
    loop {
        let outgoing = tokio::select! {
            incoming = source.next() => match incoming {
                // Over budget, a message is answered without being looked at (no database work).
                Some(Ok(Message::Text(_) | Message::Binary(_) | Message::Ping(_))) if !budget.take() => Some(error(
                    ErrorCode::RateLimited,
                    "too many messages: this message was not processed (SKYCLUST_WS_MESSAGES_PER_MINUTE)",
                )),
                Some(Ok(Message::Text(text))) => Some(handle(&state.db, session, &text).await),
                Some(Ok(Message::Binary(_))) => {
                    Some(error(ErrorCode::ValidationError, "binary frames are not supported; send JSON text"))
                }
                Some(Ok(Message::Pong(_))) => {
                    awaiting_pong = false;
                    None
                }
                Some(Ok(Message::Ping(_))) => None,
                Some(Ok(Message::Close(_))) | None => return None,
                Some(Err(error)) => return Some(read_failure(error)),
            },
            _ = heartbeat.tick() => {
                if awaiting_pong {
                    tracing::debug!("dropping a WebSocket peer that stopped answering");
                    return None;
                }
                let current = session.read().principal.clone();
                match auth::revalidate(state, &current).await {
                    Ok(Some(principal)) => session.write().principal = principal,
                    Ok(None) => return Some((CLOSE_UNAUTHORIZED, "credentials no longer valid")),
                    Err(error) => tracing::warn!(error = %error, "re-checking a WebSocket session failed"),
                }
                let ping = control.send(Message::Ping(Default::default()));
                if !matches!(tokio::time::timeout(REPLY_WAIT, ping).await, Ok(Ok(()))) {
                    return Some((CLOSE_TOO_SLOW, "client too slow"));
                }
                awaiting_pong = true;
                None
            }
        };
        // A reply waits for room (the client reads its replies at its own pace, and this
        // loop reads no more of its messages meanwhile); one not taken within REPLY_WAIT is a
        // client that stopped reading.
        if let Some(message) = outgoing
            && !matches!(tokio::time::timeout(REPLY_WAIT, control.send(text(&message))).await, Ok(Ok(())))
        {
            return Some((CLOSE_TOO_SLOW, "client too slow"));
        }
    }
}

/// The close for a frame that could not be read: too big (1009) or malformed (1002).
fn read_failure(error: axum::Error) -> Close {
    let too_big = error
        .into_inner()
        .downcast::<tokio_tungstenite::tungstenite::Error>()
        .is_ok_and(|error| matches!(*error, tokio_tungstenite::tungstenite::Error::Capacity(_)));
    if too_big { (CLOSE_TOO_BIG, "message too big") } else { (CLOSE_PROTOCOL_ERROR, "protocol error") }
}

/// Waits for the first message, which must authenticate.
async fn authenticate(state: &AppState, stream: &mut Source) -> Result<Principal, &'static str> {
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
            Err(error) if error.to_string().starts_with("unknown field") => {
                return Err("auth takes only type and one of token or api_key");
            }
            _ => return Err("the first message must be {\"type\":\"auth\",...}"),
        };
        return match authentication {
            Authentication::Authenticated(principal) => Ok(*principal),
            Authentication::Rejected(reason) => Err(reason),
            Authentication::Anonymous | Authentication::Failed(_) => Err("credentials cannot be checked"),
        };
    }
}

/// Delivers events and control messages until the session ends, then sends the close frame.
async fn write(
    mut sink: Sink,
    mut bus: broadcast::Receiver<BusMessage>,
    session: Arc<RwLock<Session>>,
    mut controls: mpsc::Receiver<Message>,
    mut closing: watch::Receiver<Option<Close>>,
    max_behind: usize,
    metrics: Arc<Metrics>,
) {
    // The event being written, counted as delivered once the write completes.
    let mut in_flight: Option<EventType>;
    let close = loop {
        in_flight = None;
        let message = tokio::select! {
            biased;
            _ = closing.changed() => break *closing.borrow(),
            control = controls.recv() => match control {
                Some(message) => message,
                None => break *closing.borrow(),
            },
            delivery = bus.recv() => match delivery {
                Ok(BusMessage::Event(event)) => {
                    let wanted = {
                        let session = session.read();
                        session.filter.admits(event.kind, event.workspace_id) && event.is_visible_to(&session.principal)
                    };
                    if !wanted {
                        continue;
                    }
                    in_flight = Some(event.kind);
                    Message::Text(event.json.clone())
                }
                Ok(BusMessage::Revoked(revocation)) => {
                    let applies = revocation.applies_to(&session.read().principal);
                    if applies {
                        break Some((CLOSE_UNAUTHORIZED, "credentials revoked"));
                    }
                    continue;
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    metrics.events_dropped("unknown", DropReason::SlowClient, missed);
                    break Some((CLOSE_TOO_SLOW, "client too slow"));
                }
                Err(broadcast::error::RecvError::Closed) => break Some((CLOSE_GOING_AWAY, "server shutting down")),
            },
        };
        // While a send is stuck on a peer that stopped reading, keep an eye on how far behind
        // the bus this connection has fallen, and on close requests.
        let sent = {
            let send = sink.send(message);
            tokio::pin!(send);
            // Almost every send completes at once; only a stuck one needs the timer.
            if let Some(sent) = (&mut send).now_or_never() {
                if sent.is_err() {
                    return;
                }
                if let Some(kind) = in_flight.take() {
                    metrics.event_delivered(kind);
                }
                if bus.len() > max_behind {
                    break Some((CLOSE_TOO_SLOW, "client too slow"));
                }
                continue;
            }
            let mut lag_check = tokio::time::interval(LAG_CHECK);
            loop {
                tokio::select! {
                    biased;
                    sent = &mut send => break Ok(sent.is_ok()),
                    _ = closing.changed() => break Err(*closing.borrow()),
                    _ = lag_check.tick() => if bus.len() > max_behind {
                        break Err(Some((CLOSE_TOO_SLOW, "client too slow")));
                    },
                }
            }
        };
        if matches!(sent, Ok(true))
            && let Some(kind) = in_flight.take()
        {
            metrics.event_delivered(kind);
        }
        match sent {
            Ok(true) if bus.len() > max_behind => break Some((CLOSE_TOO_SLOW, "client too slow")),
            Ok(true) => {}
            Ok(false) => return,
            Err(close) => break close,
        }
    };
    if close.is_some_and(|(code, _)| code == CLOSE_TOO_SLOW) {
        count_dropped(&metrics, &mut bus, &session, in_flight);
    }
    if let Some(close) = close.filter(|(code, _)| *code != 0) {
        let _ = tokio::time::timeout(CLOSE_GRACE, sink.send(close_frame(close))).await;
    }
    let _ = tokio::time::timeout(CLOSE_GRACE, sink.close()).await;
}

/// Counts a 4008 close and the events it leaves undelivered: the one being written (which may
/// yet have reached the client's buffer) and those queued that the session would have
/// received; events the bus overwrote first are counted without their type.
fn count_dropped(
    metrics: &Metrics,
    bus: &mut broadcast::Receiver<BusMessage>,
    session: &RwLock<Session>,
    in_flight: Option<EventType>,
) {
    const KINDS: [EventType; 4] = EventType::ALL;
    metrics.slow_close();
    let (filter, principal) = {
        let session = session.read();
        (session.filter.clone(), session.principal.clone())
    };
    let mut dropped = [0_u64; KINDS.len()];
    let mut overwritten = 0;
    if let Some(kind) = in_flight {
        dropped[KINDS.iter().position(|known| *known == kind).unwrap_or(0)] += 1;
    }
    // What was queued at the close, not what is published meanwhile.
    for _ in 0..bus.len() {
        match bus.try_recv() {
            Ok(BusMessage::Event(event))
                if filter.admits(event.kind, event.workspace_id) && event.is_visible_to(&principal) =>
            {
                dropped[KINDS.iter().position(|known| *known == event.kind).unwrap_or(0)] += 1;
            }
            Ok(_) => {}
            Err(broadcast::error::TryRecvError::Lagged(missed)) => overwritten += missed,
            Err(_) => break,
        }
    }
    for (kind, count) in KINDS.into_iter().zip(dropped) {
        if count > 0 {
            metrics.events_dropped(kind.as_str(), DropReason::SlowClient, count);
        }
    }
    if overwritten > 0 {
        metrics.events_dropped("unknown", DropReason::SlowClient, overwritten);
    }
}

fn close_frame((code, reason): Close) -> Message {
    Message::Close(Some(CloseFrame { code, reason: Utf8Bytes::from_static(reason) }))
}

fn text(message: &ControlMessage) -> Message {
    Message::Text(Utf8Bytes::from(serde_json::to_string(message).expect("control messages serialize")))
}
