//! The HTTP layer: routing from endpoint declarations, input extraction, request ids and
//! the middleware every request passes through.

pub mod caller;
pub mod endpoint;
pub mod extract;
pub mod guard;
pub mod idempotency;
pub mod middleware;
pub mod request_id;
pub mod serve;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;

pub use caller::Anyone;
pub use endpoint::{Api, AuditNote, Ctx, Handler, Input};

use crate::state::AppState;

/// Where the API is mounted.
pub const API_PREFIX: &str = skyclust_types::openapi::BASE_PATH;
/// A contract header name ([`skyclust_types::headers`]) as `http` keeps it: lowercase.
pub fn header_name(name: &'static str) -> axum::http::HeaderName {
    axum::http::HeaderName::from_bytes(name.as_bytes()).expect("the contract's header names are valid")
}

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/api-docs/openapi.json";

/// The whole HTTP application: the API under `/api/v1`, Swagger UI, the OpenAPI document,
/// and the middleware stack.
pub fn app(state: AppState, api: Api) -> Router {
    let limits = middleware::Limits { timeout: state.config.request_timeout() };
    // Shared, not copied, by every answer.
    let document = bytes::Bytes::from(skyclust_types::openapi_json());
    let swagger = utoipa_swagger_ui::SwaggerUi::new(middleware::SWAGGER_UI)
        .config(utoipa_swagger_ui::Config::from(OPENAPI_PATH));
    let router = Router::new()
        .nest(API_PREFIX, api.into_router())
        .route(
            OPENAPI_PATH,
            get(move || {
                let document = document.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], document).into_response() }
            }),
        )
        .route(skyclust_types::headers::EVENTS_PATH, get(crate::websocket::upgrade))
        .merge(swagger)
        .fallback(middleware::not_found)
        .with_state(state.clone());
    with_middleware(router, state, limits)
}

/// Wraps `router` in the middleware stack (separate so tests can wrap routes of their own).
/// Outermost first: request id, log span, time limit and envelope; authentication and rate
/// limiting; panic recovery.
pub fn with_middleware(router: Router, state: AppState, limits: middleware::Limits) -> Router {
    router
        .layer(CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(axum::middleware::from_fn_with_state(
            (limits, state.metrics.clone()),
            middleware::request_context,
        ))
        .layer(middleware::access_log())
        .layer(axum::middleware::from_fn(middleware::with_request_id))
}

#[cfg(test)]
mod tests {
    use skyclust_types::headers::*;

    #[test]
    fn every_contract_header_name_is_valid() {
        let names =
            [API_KEY, REQUEST_ID, IDEMPOTENCY_KEY, RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING, RATE_LIMIT_RESET];
        for name in names.into_iter().chain([RETRY_AFTER]) {
            assert_eq!(super::header_name(name).as_str(), name.to_ascii_lowercase());
        }
    }
}
