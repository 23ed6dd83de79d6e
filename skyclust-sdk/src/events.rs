//! The event stream: `client.events().subscribe()`.
//!
//! A background task owns the WebSocket: it authenticates with the client's token or API key,
//! re-sends the subscription, answers the server's pings, and after a dropped connection
//! reconnects with full-jitter exponential backoff, reporting each reconnect as a non-fatal
//! [`Error::Reconnecting`] item. The stream ends after a close with 4001 (credentials no
//! longer valid), yielding the error first. Dropping the stream stops the task.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::{SinkExt, Stream, StreamExt};
use skyclust_types::ErrorCode;
use skyclust_types::events::{
    CLOSE_UNAUTHORIZED, ClientMessage, ControlMessage, Event, EventType, ServerMessage,
};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use uuid::Uuid;

use crate::client::SkyClustClient;
use crate::error::{Error, Result};
use crate::retry::RetryPolicy;

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Real-time events; from [`SkyClustClient::events`].
#[derive(Debug, Clone, Copy)]
pub struct EventsHandle<'a> {
    client: &'a SkyClustClient,
}

/// What to receive, and how to reconnect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// Event types to receive; all when empty.
    pub events: Vec<EventType>,
    /// Only events about this workspace (events about no workspace still arrive).
    pub workspace_id: Option<Uuid>,
    /// Backoff between reconnect attempts (`max_attempts` is ignored: the stream keeps trying).
    pub reconnect: RetryPolicy,
}

impl Default for Subscription {
    fn default() -> Self {
        Subscription {
            events: Vec::new(),
            workspace_id: None,
            reconnect: RetryPolicy {
                base_delay: Duration::from_millis(250),
                max_delay: Duration::from_secs(30),
                ..RetryPolicy::default()
            },
        }
    }
}

impl<'a> EventsHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        EventsHandle { client }
    }

    /// Every event the caller may see.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use futures_util::StreamExt;
    /// let mut events = client.events().subscribe().await?;
    /// while let Some(item) = events.next().await {
    ///     match item {
    ///         Ok(event) => println!("{:?}: {}", event.kind(), event.id()),
    ///         Err(error) if !error.is_fatal() => eprintln!("{error}"),
    ///         Err(error) => return Err(error),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn subscribe(&self) -> Result<EventStream> {
        self.subscribe_with(Subscription::default()).await
    }

    /// The events `subscription` selects. The first connection is made (and authenticated)
    /// before this returns, so bad credentials or an unreachable server fail here.
    pub async fn subscribe_with(&self, subscription: Subscription) -> Result<EventStream> {
        let url = websocket_url(self.client.base_url())?;
        let socket = connect(self.client, &url, &subscription).await?;
        let (items, receiver) = mpsc::channel(256);
        let task = tokio::spawn(run(self.client.clone(), url, subscription, socket, items));
        Ok(EventStream { receiver, task })
    }
}

/// A `Stream` of events; see [`EventsHandle::subscribe`]. `next()` is cancel-safe.
#[derive(Debug)]
pub struct EventStream {
    receiver: mpsc::Receiver<Result<Event>>,
    task: JoinHandle<()>,
}

impl Stream for EventStream {
    type Item = Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.receiver.poll_recv(context)
    }
}

impl Drop for EventStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// `http://host/api/v1` → `ws://host/ws` (any prefix before `/api/v1` is kept).
fn websocket_url(base: &str) -> Result<String> {
    let mut url = url::Url::parse(base).map_err(|error| Error::InvalidRequest(error.to_string()))?;
    let scheme = if url.scheme() == "https" { "wss" } else { "ws" };
    url.set_scheme(scheme).map_err(|_| Error::InvalidRequest("cannot derive the WebSocket URL".into()))?;
    let path = url.path().trim_end_matches('/');
    let prefix = path.strip_suffix(skyclust_types::openapi::BASE_PATH).unwrap_or(path).to_owned();
    url.set_path(&format!("{prefix}{}", skyclust_types::headers::EVENTS_PATH));
    Ok(url.to_string())
}

/// Connects, authenticates and subscribes.
async fn connect(client: &SkyClustClient, url: &str, subscription: &Subscription) -> Result<Socket> {
    let auth = client
        .websocket_auth()
        .ok_or_else(|| Error::InvalidRequest("the event stream needs a token or an API key".into()))?;
    let (mut socket, _) =
        tokio_tungstenite::connect_async(url).await.map_err(|error| Error::WebSocket(error.to_string()))?;
    send(&mut socket, &auth).await?;
    match next_control(&mut socket).await? {
        ControlMessage::AuthSuccess { .. } => {}
        other => return Err(Error::WebSocket(format!("unexpected answer to auth: {other:?}"))),
    }
    if !subscription.events.is_empty() || subscription.workspace_id.is_some() {
        let subscribe = ClientMessage::Subscribe {
            events: subscription.events.clone(),
            workspace_id: subscription.workspace_id,
        };
        send(&mut socket, &subscribe).await?;
        match next_control(&mut socket).await? {
            ControlMessage::Subscribed { .. } => {}
            ControlMessage::Error { code, message } => return Err(api_error(code, message)),
            other => return Err(Error::WebSocket(format!("unexpected answer to subscribe: {other:?}"))),
        }
    }
    Ok(socket)
}

async fn send(socket: &mut Socket, message: &ClientMessage) -> Result<()> {
    let json = serde_json::to_string(message).expect("client messages serialize");
    socket.send(Message::Text(json.into())).await.map_err(|error| Error::WebSocket(error.to_string()))
}

/// The next control message; a close with 4001 (or an `UNAUTHORIZED` error) is an API error.
async fn next_control(socket: &mut Socket) -> Result<ControlMessage> {
    loop {
        match socket.next().await {
            Some(Ok(Message::Text(text))) => match serde_json::from_str::<ServerMessage>(&text) {
                Ok(ServerMessage::Control(ControlMessage::Error {
                    code: ErrorCode::Unauthorized,
                    message,
                })) => {
                    return Err(api_error(ErrorCode::Unauthorized, message));
                }
                Ok(ServerMessage::Control(control)) => return Ok(control),
                Ok(ServerMessage::Event(_)) => continue,
                Err(error) => return Err(Error::Decode { status: 101, message: error.to_string() }),
            },
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) =
                    frame.map(|f| (u16::from(f.code), f.reason.to_string())).unwrap_or((1005, String::new()));
                return Err(if code == CLOSE_UNAUTHORIZED {
                    api_error(ErrorCode::Unauthorized, reason)
                } else {
                    Error::WebSocket(format!("closed with {code} {reason}"))
                });
            }
            Some(Ok(_)) => continue,
            Some(Err(error)) => return Err(Error::WebSocket(error.to_string())),
            None => return Err(Error::WebSocket("connection closed".into())),
        }
    }
}

fn api_error(code: ErrorCode, message: String) -> Error {
    Error::Api { status: code.status(), code, message, request_id: None, details: None }
}

/// How a connection ended.
enum Ended {
    /// Credentials are no longer accepted: stop.
    Unauthorized(String),
    /// Anything else: reconnect.
    Dropped(String),
    /// Nobody is listening any more.
    Abandoned,
}

async fn run(
    client: SkyClustClient,
    url: String,
    subscription: Subscription,
    mut socket: Socket,
    items: mpsc::Sender<Result<Event>>,
) {
    loop {
        let reason = match pump(&mut socket, &items).await {
            Ended::Abandoned => return,
            Ended::Unauthorized(reason) => {
                let _ = items.send(Err(api_error(ErrorCode::Unauthorized, reason))).await;
                return;
            }
            Ended::Dropped(reason) => reason,
        };
        let mut attempt = 1;
        let mut reason = reason;
        socket = loop {
            let retry_in = subscription.reconnect.delay(attempt, None);
            let notice = Error::Reconnecting { attempt, retry_in, reason: reason.clone() };
            if items.send(Err(notice)).await.is_err() {
                return;
            }
            tokio::time::sleep(retry_in).await;
            match connect(&client, &url, &subscription).await {
                Ok(socket) => break socket,
                Err(Error::Api { code: ErrorCode::Unauthorized, message, .. }) => {
                    let _ = items.send(Err(api_error(ErrorCode::Unauthorized, message))).await;
                    return;
                }
                Err(error) => {
                    reason = error.to_string();
                    attempt += 1;
                }
            }
        };
    }
}

/// Forwards events until the connection ends.
async fn pump(socket: &mut Socket, items: &mpsc::Sender<Result<Event>>) -> Ended {
    loop {
        let message = tokio::select! {
            message = socket.next() => message,
            () = items.closed() => return Ended::Abandoned,
        };
        match message {
            Some(Ok(Message::Text(text))) => {
                if let Ok(ServerMessage::Event(event)) = serde_json::from_str::<ServerMessage>(&text)
                    && items.send(Ok(event)).await.is_err()
                {
                    return Ended::Abandoned;
                }
            }
            Some(Ok(Message::Close(frame))) => {
                let (code, reason) = frame
                    .map(|f| (f.code, f.reason.to_string()))
                    .unwrap_or((CloseCode::Status, String::new()));
                return if u16::from(code) == CLOSE_UNAUTHORIZED {
                    Ended::Unauthorized(reason)
                } else {
                    Ended::Dropped(format!("closed with {} {reason}", u16::from(code)))
                };
            }
            Some(Ok(_)) => {}
            Some(Err(error)) => return Ended::Dropped(error.to_string()),
            None => return Ended::Dropped("connection closed".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websocket_urls_follow_the_api_url() {
        assert_eq!(websocket_url("http://127.0.0.1:8080/api/v1").unwrap(), "ws://127.0.0.1:8080/ws");
        assert_eq!(
            websocket_url("https://example.com/skyclust/api/v1/").unwrap(),
            "wss://example.com/skyclust/ws"
        );
    }
}
