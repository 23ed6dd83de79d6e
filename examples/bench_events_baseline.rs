//! The real-time ceiling for `scripts/bench-events.sh --baseline`: a minimal axum + tokio
//! broadcast WebSocket server that does nothing but authenticate and fan out. It answers the
//! few requests the benchmark client makes with SkyClust's own types — registration issues an
//! HS256 JWT, `POST /workspaces` publishes an `audit_log_created` event serialized once — and
//! each socket checks that JWT in its first message, then forwards every event from one tokio
//! broadcast channel, with the same WebSocket buffer settings as the server. No database,
//! sessions, filters, rate limits, revocation or middleware: what SkyClust's delivery p99 is
//! measured against.
//!
//! ```sh
//! SKYCLUST_BIND=127.0.0.1:18091 cargo run --release -p skyclust-examples --example bench_events_baseline
//! ```

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Value, json};
use skyclust_sdk::types::AuditLog;
use skyclust_sdk::types::events::{ControlMessage, Event};
use tokio::sync::broadcast;
use uuid::Uuid;

/// As many events in flight as SkyClust's default bus holds.
const BUS_CAPACITY: usize = 1024;

#[derive(serde::Serialize, serde::Deserialize)]
struct Claims {
    sub: Uuid,
    exp: i64,
}

struct Shared {
    secret: [u8; 32],
    events: broadcast::Sender<Utf8Bytes>,
}

type AppState = Arc<Shared>;

fn envelope(data: Value, message: Option<&str>) -> Value {
    let mut body = json!({
        "success": true, "data": data,
        "request_id": format!("req_{}", Uuid::new_v4().simple()),
        "timestamp": Utc::now(),
    });
    if let Some(message) = message {
        body["message"] = json!(message);
    }
    body
}

fn check(state: &Shared, token: &str) -> Option<Uuid> {
    let key = DecodingKey::from_secret(&state.secret);
    jsonwebtoken::decode::<Claims>(token, &key, &Validation::default()).ok().map(|data| data.claims.sub)
}

async fn register(State(state): State<AppState>, Json(request): Json<Value>) -> impl IntoResponse {
    let user = Uuid::new_v4();
    let expires = Utc::now() + chrono::Duration::hours(24);
    let claims = Claims { sub: user, exp: expires.timestamp() };
    let token = jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(&state.secret))
        .expect("HS256 signs");
    let now = Utc::now();
    let data = json!({
        "token": token, "expires_at": expires,
        "user": {"id": user, "username": request["username"], "email": request["email"], "role": "admin",
                 "is_active": true, "created_at": now, "updated_at": now},
    });
    (StatusCode::CREATED, Json(envelope(data, Some("User registered successfully"))))
}

async fn create_workspace(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(request): Json<Value>,
) -> impl IntoResponse {
    let bearer = headers.get("authorization").and_then(|value| value.to_str().ok());
    let Some(user) =
        bearer.and_then(|value| value.strip_prefix("Bearer ")).and_then(|token| check(&state, token))
    else {
        return (StatusCode::UNAUTHORIZED, Json(json!({"success": false}))).into_response();
    };
    let (id, now) = (Uuid::new_v4(), Utc::now());
    let workspace = json!({
        "id": id, "name": request["name"], "description": "", "owner_id": user, "is_active": true,
        "is_personal": false, "created_at": now, "updated_at": now,
    });
    let entry = AuditLog {
        id: Uuid::new_v4(),
        user_id: Some(user),
        action: "workspace.create".into(),
        resource: "workspace".into(),
        resource_id: Some(id.to_string()),
        success: true,
        ip_address: Some("127.0.0.1".into()),
        user_agent: Some("skyclust-sdk-rust".into()),
        details: None,
        created_at: now,
    };
    let event = Event::AuditLogCreated {
        id: format!("evt_{}", Uuid::new_v4().simple()),
        timestamp: Utc::now(),
        data: entry,
    };
    let json = serde_json::to_string(&event).expect("events serialize");
    let _ = state.events.send(Utf8Bytes::from(json));
    (StatusCode::CREATED, Json(envelope(workspace, Some("Workspace created successfully")))).into_response()
}

async fn socket(State(state): State<AppState>, upgrade: WebSocketUpgrade) -> impl IntoResponse {
    upgrade
        .max_message_size(64 * 1024)
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .on_upgrade(move |socket| serve(state, socket))
}

async fn serve(state: AppState, socket: WebSocket) {
    let (mut sink, mut source) = socket.split();
    let mut events = state.events.subscribe();
    let Some(Ok(Message::Text(first))) = source.next().await else {
        return;
    };
    let token =
        serde_json::from_str::<Value>(&first).ok().and_then(|auth| auth["token"].as_str().map(str::to_owned));
    let Some(user_id) = token.and_then(|token| check(&state, &token)) else {
        let _ = sink.send(Message::Close(None)).await;
        return;
    };
    let welcome = serde_json::to_string(&ControlMessage::AuthSuccess { user_id }).expect("serializes");
    if sink.send(Message::Text(welcome.into())).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(json) => if sink.send(Message::Text(json)).await.is_err() { return },
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            message = source.next() => if !matches!(message, Some(Ok(_))) { return },
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bind = std::env::var("SKYCLUST_BIND").unwrap_or_else(|_| "127.0.0.1:18091".into());
    let mut secret = [0u8; 32];
    secret
        .iter_mut()
        .zip(Uuid::new_v4().as_bytes().iter().cycle())
        .for_each(|(byte, random)| *byte = *random);
    let state = Arc::new(Shared { secret, events: broadcast::channel(BUS_CAPACITY).0 });
    let health = || async {
        let health =
            json!({"status": "healthy", "timestamp": Utc::now(), "uptime": "0h0m0s", "uptime_seconds": 0});
        Json(envelope(health, None))
    };
    let app = Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/auth/register", post(register))
        .route("/api/v1/workspaces", post(create_workspace))
        .route("/ws", get(socket))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
