//! The event bus shared by every replica: each message is delivered to this replica's sockets
//! at once and published on a Redis channel; every other replica delivers what it hears there
//! to its own sockets. A replica ignores its own messages when they come back, so each socket
//! gets each message exactly once.
//!
//! Redis going away never stops local delivery: messages keep reaching this replica's sockets,
//! cross-replica delivery resumes when the subscription is re-established (with backoff), the
//! outage is logged once, and `GET /health/redis` shows it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use skyclust_types::events::EventType;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::{Audience, BusMessage, EventBus, LocalBus, Published, Revocation};
use crate::metrics::{DropReason, Metrics};

/// Messages waiting to be published; beyond this (Redis far behind) they reach local sockets
/// only, and the drop is logged.
const OUTGOING: usize = 4096;

/// The longest wait between two attempts to reach Redis again.
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// What travels on the Redis channel.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Wire {
    Event { origin: Uuid, kind: EventType, workspace_id: Option<Uuid>, audience: Audience, json: String },
    Revoked { origin: Uuid, revocation: Revocation },
}

/// A bus spanning every replica connected to one Redis.
#[derive(Debug)]
pub struct RedisBus {
    local: LocalBus,
    origin: Uuid,
    /// Messages to publish, with their type for the metrics.
    outgoing: mpsc::Sender<(&'static str, String)>,
    connected: Arc<AtomicBool>,
    /// Whether events are being dropped from the full publishing queue.
    dropping: AtomicBool,
    metrics: Arc<Metrics>,
}

impl RedisBus {
    /// Starts publishing to and listening on `<prefix>events` in the Redis of `client`;
    /// `capacity` sizes the local bus as for [`LocalBus`]. The returned tasks run until aborted.
    pub fn start(
        client: redis::Client,
        prefix: &str,
        capacity: usize,
        metrics: Arc<Metrics>,
    ) -> (Arc<RedisBus>, Vec<JoinHandle<()>>) {
        let channel = format!("{prefix}events");
        let (outgoing, queue) = mpsc::channel(OUTGOING);
        let bus = Arc::new(RedisBus {
            local: LocalBus::new(capacity),
            origin: Uuid::new_v4(),
            outgoing,
            connected: Arc::new(AtomicBool::new(false)),
            dropping: AtomicBool::new(false),
            metrics: metrics.clone(),
        });
        let publisher = tokio::spawn(publish(client.clone(), channel.clone(), queue, metrics));
        let listener = tokio::spawn(listen(client, channel, bus.clone()));
        (bus, vec![publisher, listener])
    }

    /// Whether this replica currently hears the others.
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Relaxed)
    }

    fn wire(&self, message: &BusMessage) -> Wire {
        match message {
            BusMessage::Event(event) => Wire::Event {
                origin: self.origin,
                kind: event.kind,
                workspace_id: event.workspace_id,
                audience: event.audience.clone(),
                json: event.json.as_str().to_owned(),
            },
            BusMessage::Revoked(revocation) => {
                Wire::Revoked { origin: self.origin, revocation: Revocation::clone(revocation) }
            }
        }
    }

    /// A message heard on Redis, unless it is this replica's own.
    fn heard(&self, payload: &str) -> Option<BusMessage> {
        let wire = match serde_json::from_str::<Wire>(payload) {
            Ok(wire) => wire,
            Err(error) => {
                tracing::warn!(error = %error, "ignoring a malformed message on the Redis event channel");
                return None;
            }
        };
        match wire {
            Wire::Event { origin, .. } | Wire::Revoked { origin, .. } if origin == self.origin => None,
            Wire::Event { kind, workspace_id, audience, json, .. } => {
                Some(BusMessage::Event(Arc::new(Published {
                    kind,
                    workspace_id,
                    audience,
                    json: json.into(),
                })))
            }
            Wire::Revoked { revocation, .. } => Some(BusMessage::Revoked(Arc::new(revocation))),
        }
    }
}

impl EventBus for RedisBus {
    fn send(&self, message: BusMessage) {
        let wire = self.wire(&message);
        let kind = match &message {
            BusMessage::Event(event) => event.kind.as_str(),
            BusMessage::Revoked(_) => "revocation",
        };
        self.local.send(message);
        match serde_json::to_string(&wire) {
            Ok(payload) => match self.outgoing.try_send((kind, payload)) {
                Ok(()) => self.dropping.store(false, Ordering::Relaxed),
                Err(_) => {
                    self.metrics.events_dropped(kind, DropReason::RedisQueueFull, 1);
                    // Logged once per spell of drops, not once per event.
                    if !self.dropping.swap(true, Ordering::Relaxed) {
                        tracing::warn!(
                            "the Redis event queue is full: events reach only this replica's sockets"
                        );
                    }
                }
            },
            Err(error) => tracing::error!(error = %error, "an event could not be encoded for Redis"),
        }
    }

    fn subscribe(&self) -> broadcast::Receiver<BusMessage> {
        self.local.subscribe()
    }

    fn describe(&self) -> &'static str {
        if self.is_connected() { "redis" } else { "redis (unreachable: this replica's sockets only)" }
    }

    fn carries_revocations(&self) -> bool {
        self.is_connected()
    }

    fn is_connected(&self) -> Option<bool> {
        Some(RedisBus::is_connected(self))
    }
}

/// Publishes queued messages, reconnecting as needed; while Redis is away they are dropped
/// (they already reached this replica's sockets) and counted.
async fn publish(
    client: redis::Client,
    channel: String,
    mut queue: mpsc::Receiver<(&'static str, String)>,
    metrics: Arc<Metrics>,
) {
    let mut connection: Option<redis::aio::MultiplexedConnection> = None;
    while let Some((kind, payload)) = queue.recv().await {
        if connection.is_none() {
            // A Redis that does not answer at all must not hold the queue for long.
            let connecting = client.get_multiplexed_async_connection();
            connection =
                tokio::time::timeout(Duration::from_secs(2), connecting).await.ok().and_then(Result::ok);
        }
        let Some(open) = connection.as_mut() else {
            metrics.events_dropped(kind, DropReason::RedisUnavailable, 1);
            continue;
        };
        let published: Result<i64, _> =
            redis::cmd("PUBLISH").arg(&channel).arg(payload).query_async(open).await;
        if published.is_err() {
            metrics.events_dropped(kind, DropReason::RedisUnavailable, 1);
            connection = None;
        }
    }
}

/// Listens on the channel and delivers other replicas' messages locally; re-subscribes with
/// full-jitter backoff whenever the subscription is lost.
async fn listen(client: redis::Client, channel: String, bus: Arc<RedisBus>) {
    let mut failures: u32 = 0;
    let mut outage_logged = false;
    loop {
        let subscribed = async {
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(&channel).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        match tokio::time::timeout(Duration::from_secs(2), subscribed).await {
            Ok(Ok(pubsub)) => {
                bus.connected.store(true, Ordering::Relaxed);
                if outage_logged {
                    tracing::info!("Redis answers again: events reach every replica");
                    outage_logged = false;
                }
                failures = 0;
                let mut messages = pubsub.into_on_message();
                while let Some(message) = messages.next().await {
                    let Ok(payload) = message.get_payload::<String>() else {
                        continue;
                    };
                    if let Some(heard) = bus.heard(&payload) {
                        bus.local.send(heard);
                    }
                }
            }
            Ok(Err(error)) => {
                tracing::debug!(error = %error, "subscribing to the Redis event channel failed")
            }
            Err(_) => tracing::debug!("subscribing to the Redis event channel timed out"),
        }
        bus.connected.store(false, Ordering::Relaxed);
        if !outage_logged {
            tracing::warn!(
                "lost the Redis event channel: events reach only this replica's sockets until it is back"
            );
            outage_logged = true;
        }
        failures = failures.saturating_add(1);
        let ceiling = Duration::from_millis(100).saturating_mul(1 << failures.min(6)).min(MAX_BACKOFF);
        tokio::time::sleep(ceiling.mul_f64(rand::random::<f64>())).await;
    }
}
