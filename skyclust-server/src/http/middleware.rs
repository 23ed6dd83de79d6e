//! What wraps every request: its id, the access log (tower-http's `TraceLayer`), a time limit,
//! panic recovery, and the envelope for errors produced outside our handlers (axum's 405,
//! unknown routes…).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use skyclust_types::ErrorCode;
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::error::ApiError;
use crate::http::request_id;
use crate::metrics::{DatabaseFailure, Metrics};

/// Per-request settings of [`request_context`].
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest a request may run.
    pub timeout: Duration,
}

/// Gives the request its id (SPEC §2), the one place that does: a valid `X-Request-ID` is kept,
/// anything else replaced by a fresh id, which is set on the request (the access log's span
/// reads it there), scoped to the request's task (envelopes, audit entries, queued operations)
/// and echoed on the response.
pub async fn with_request_id(mut request: Request, next: Next) -> Response {
    let id = request_id::from_headers(request.headers());
    let value = HeaderValue::from_str(&id).ok();
    if let Some(value) = &value {
        request.headers_mut().insert(&*request_id::HEADER, value.clone());
    }
    let mut response = request_id::scope(id, next.run(request)).await;
    if let Some(value) = value {
        response.headers_mut().insert(&*request_id::HEADER, value);
    }
    response
}

/// The access log (tower-http's `TraceLayer`): each request's span — its id, operation,
/// method and path, exported over OTLP when configured — and one line when it is answered.
pub type AccessLog = TraceLayer<
    SharedClassifier<ServerErrorsAsFailures>,
    fn(&Request) -> Span,
    (),
    fn(&Response, Duration, &Span),
    (),
    (),
    (),
>;

/// The [`AccessLog`] layer.
pub fn access_log() -> AccessLog {
    TraceLayer::new_for_http()
        .make_span_with(request_span as fn(&Request) -> Span)
        .on_request(())
        .on_response(log_answer as fn(&Response, Duration, &Span))
        .on_body_chunk(())
        .on_eos(())
        .on_failure(())
}

fn request_span(request: &Request) -> Span {
    // Set by `with_request_id`, outside this layer.
    let id = request.headers().get(&*request_id::HEADER).and_then(|id| id.to_str().ok()).unwrap_or_default();
    let operation = crate::metrics::operation_of(request.method(), request.uri().path());
    tracing::info_span!(
        "request",
        "otel.name" = operation,
        "otel.kind" = "server",
        request_id = %id,
        operation,
        method = %request.method(),
        path = %request.uri().path(),
    )
}

fn log_answer(response: &Response, latency: Duration, _: &Span) {
    let status = response.status().as_u16();
    let latency_ms = latency.as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(status, latency_ms, "request failed");
    } else {
        tracing::info!(status, latency_ms, "request completed");
    }
}

/// Runs the request within its time limit, makes sure every error response carries the
/// envelope, and counts the request in the metrics.
pub async fn request_context(
    State((limits, metrics)): State<(Limits, Arc<Metrics>)>,
    request: Request,
    next: Next,
) -> Response {
    let surface = Surface::of(request.uri().path());
    let operation = crate::metrics::operation_of(request.method(), request.uri().path());
    let started = Instant::now();
    let mut response = match tokio::time::timeout(limits.timeout, next.run(request)).await {
        Ok(response) => envelope_foreign_error(response),
        Err(_) => {
            tracing::warn!(timeout = ?limits.timeout, "request timed out");
            ApiError::unavailable("The request took too long; retry shortly").into_response()
        }
    };
    metrics.request(operation, response.status().as_u16(), started.elapsed());
    if let Some(failure) = response.extensions().get::<DatabaseFailure>() {
        metrics.database_error(*failure);
    }
    secure_headers(surface, response.headers_mut());
    response
}

/// Which part of the server a request is for, as far as its response headers go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    Api,
    SwaggerUi,
    Other,
}

impl Surface {
    fn of(path: &str) -> Surface {
        if path.starts_with(crate::http::API_PREFIX) || path == skyclust_types::headers::EVENTS_PATH {
            Surface::Api
        } else if path.starts_with(SWAGGER_UI) {
            Surface::SwaggerUi
        } else {
            Surface::Other
        }
    }
}

/// Headers every response gets: no MIME sniffing anywhere; API answers (which carry tokens,
/// keys and private data) are never stored by a cache; the Swagger UI page runs only its own
/// scripts and cannot be framed.
fn secure_headers(surface: Surface, headers: &mut axum::http::HeaderMap) {
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    match surface {
        Surface::Api => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        Surface::SwaggerUi => {
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(SWAGGER_UI_CSP));
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        }
        Surface::Other => {}
    }
}

/// Where Swagger UI is served.
pub const SWAGGER_UI: &str = "/swagger-ui";

/// Swagger UI's own files only; inline styles are what its stylesheet injects, and `data:`
/// images its icons.
const SWAGGER_UI_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// Rewrites an error response that is not already an envelope (e.g. axum's 405 with `Allow`),
/// keeping its status and headers.
fn envelope_foreign_error(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let code = ErrorCode::from_status(status.as_u16());
    let message = match code {
        ErrorCode::MethodNotAllowed => "Method not allowed for this path",
        ErrorCode::NotFound => "No such route",
        ErrorCode::PayloadTooLarge => "The request body is too large",
        _ => code.description(),
    };
    let (mut parts, _) = response.into_parts();
    let envelope = ApiError::new(code, message).into_response();
    let (envelope_parts, body) = envelope.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.extend(envelope_parts.headers);
    parts.status = envelope_parts.status;
    Response::from_parts(parts, Body::new(body))
}

/// The answer to a handler panic: 500 in the envelope; the panic itself goes to the log.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    ApiError::internal(format_args!("handler panicked: {detail}")).into_response()
}

/// The answer for a path no route matches; outside `/api/v1` it names the likely mistake (a
/// client's base URL without its `/api/v1`).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let message = if uri.path().starts_with("/api/v1/") {
        "No such route"
    } else {
        "No such route: API paths start with /api/v1 (does the client's base URL end in /api/v1?)"
    };
    ApiError::new(ErrorCode::NotFound, message).into_response()
}
