//! The transport ceiling for `scripts/bench-api.sh`: a bare axum server that answers the
//! benchmark's requests with envelopes of the same shape and size as SkyClust's, built from
//! memory — no authentication, rate limiting, database or middleware. Each answer is serialized
//! per request with a fresh request id and timestamp, as the real server does.
//!
//! ```sh
//! cargo run --release -p skyclust-examples --example bench_bare -- 127.0.0.1:18090
//! ```

use axum::Json;
use axum::Router;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};

fn workspace(id: &str, name: &str) -> Value {
    json!({
        "id": id, "name": name, "description": "Customer-facing services",
        "owner_id": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a", "is_active": true, "is_personal": false,
        "created_at": "2026-01-01T00:00:00.000000Z", "updated_at": "2026-01-01T00:00:00.000000Z"
    })
}

fn envelope(data: Value, message: Option<&str>) -> Value {
    let mut body = json!({
        "success": true, "data": data,
        "request_id": format!("req_{}", uuid::Uuid::new_v4().simple()),
        "timestamp": chrono::Utc::now(),
    });
    if let Some(message) = message {
        body["message"] = json!(message);
    }
    body
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bind = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18090".into());
    let app = Router::new()
        .route("/api/v1/health", get(|| async { Json(envelope(json!({"status": "healthy"}), None)) }))
        .route(
            "/api/v1/workspaces/{id}",
            get(|Path(id): Path<String>| async move { Json(envelope(workspace(&id, "production"), None)) }),
        )
        .route(
            "/api/v1/workspaces",
            get(|| async {
                let page: Vec<Value> = (0..10)
                    .map(|i| workspace(&uuid::Uuid::new_v4().to_string(), &format!("workspace-{i}")))
                    .collect();
                let pagination =
                    json!({"limit": 10, "offset": 0, "total": 25, "has_next": true, "has_prev": false});
                Json(envelope(json!({"workspaces": page, "pagination": pagination}), None))
            })
            .post(|Json(request): Json<Value>| async move {
                let name = request["name"].as_str().unwrap_or_default().to_owned();
                let created = workspace(&uuid::Uuid::new_v4().to_string(), &name);
                (StatusCode::CREATED, Json(envelope(created, Some("Workspace created successfully"))))
            }),
        );
    let listener = tokio::net::TcpListener::bind(&bind).await?;
    println!("bare handler listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
