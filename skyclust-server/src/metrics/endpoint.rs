//! Serving `GET /metrics` on its own listener, and the bounded `operation` label of a request.

use super::*;

/// How many file descriptors are open, from `/proc/self/fd` (Linux only).
pub(super) fn open_fds() -> Option<i64> {
    let entries = std::fs::read_dir("/proc/self/fd").ok()?;
    i64::try_from(entries.count()).ok()
}

/// The operation id a request is for, from its method and path, for the `operation` label:
/// one of the contract's operation ids, `websocket`, `documentation` or `unmatched` — never
/// the path itself, whose ids would make the label unbounded.
pub fn operation_of(method: &axum::http::Method, path: &str) -> &'static str {
    if path == skyclust_types::headers::EVENTS_PATH {
        return "websocket";
    }
    if path == crate::http::OPENAPI_PATH || path.starts_with(crate::http::middleware::SWAGGER_UI) {
        return "documentation";
    }
    let Some(path) = path.strip_prefix(crate::http::API_PREFIX) else {
        return "unmatched";
    };
    // axum answers HEAD with the GET route.
    let method = if method == axum::http::Method::HEAD { "GET" } else { method.as_str() };
    let segments: Vec<&str> = path.split('/').collect();
    // Where a literal segment and a parameter could both match (`/vms/import`, `/vms/{id}`),
    // the route with the literal segment earlier is the one axum's router picks.
    TEMPLATES
        .iter()
        .filter(|(operation_method, template, _)| {
            *operation_method == method && template.len() == segments.len()
        })
        .filter_map(|(_, template, id)| {
            let mut literals = Vec::with_capacity(template.len());
            for (expected, actual) in template.iter().zip(&segments) {
                match expected {
                    Some(expected) if expected == actual => literals.push(true),
                    None if !actual.is_empty() => literals.push(false),
                    _ => return None,
                }
            }
            Some((literals, *id))
        })
        .max_by(|(a, _), (b, _)| a.cmp(b))
        .map_or("unmatched", |(_, id)| id)
}

/// Each operation's method, path segments (`None` for a parameter) and id, split once.
type Template = (&'static str, Vec<Option<&'static str>>, &'static str);

static TEMPLATES: std::sync::LazyLock<Vec<Template>> = std::sync::LazyLock::new(|| {
    skyclust_types::operations::ALL
        .iter()
        .map(|operation| {
            let segments = operation
                .path
                .split('/')
                .map(|segment| (!segment.starts_with('{')).then_some(segment))
                .collect();
            (operation.method.as_str(), segments, operation.id)
        })
        .collect()
});

/// Serves `GET /metrics` on `listener` until the server shuts down: no authentication (bind
/// it to an address only Prometheus reaches), few connections, one scrape at a time.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) {
    let mut stopping = state.shutdown.subscribe();
    let shutdown = async move {
        let _ = stopping.wait_for(|stopping| *stopping).await;
    };
    let limits = crate::http::serve::ConnectionLimits {
        max_connections: 8,
        max_per_address: 4,
        unlimited_peers: Vec::new(),
        header_read_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(60),
    };
    let slots = crate::http::serve::ConnectionSlots::new(limits.max_connections);
    let app = Router::new()
        .route(PATH, get(scrape))
        .fallback(|| async { (axum::http::StatusCode::NOT_FOUND, "only /metrics is served here\n") })
        .with_state(state);
    crate::http::serve::serve(listener, app, limits, slots, shutdown).await;
}

async fn scrape(State(state): State<AppState>) -> Response {
    let text = state.metrics.render(&state).await;
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], text).into_response()
}
