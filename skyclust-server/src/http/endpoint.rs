//! Serving a declared [`Endpoint`]: the route comes from its declaration, and its inputs,
//! access check and success envelope are handled here once for every operation.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use serde::de::DeserializeOwned;
use skyclust_types::{Access, ApiResponse, Endpoint, Method, Payload};

use crate::auth::{self, Principal};
use crate::error::ApiError;
use crate::http::{extract, request_id};
use crate::state::AppState;

/// What a handler knows about its request besides the typed inputs.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Shared server state.
    pub state: AppState,
    /// The caller, when authenticated.
    pub principal: Option<Principal>,
    /// The client's address.
    pub client_ip: Option<IpAddr>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
}

impl Ctx {
    /// The authenticated caller (always present for operations that require authentication).
    pub fn principal(&self) -> Result<&Principal, ApiError> {
        self.principal
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("Authentication required"))
    }
}

/// An operation's typed inputs.
#[derive(Debug)]
pub struct Input<E: Endpoint> {
    /// Path parameters.
    pub path: E::Path,
    /// Query parameters.
    pub query: E::Query,
    /// The request body.
    pub body: E::Body,
}

/// A function that serves `E`.
pub trait Handler<E: Endpoint>: Clone + Send + Sync + 'static {
    /// Serves one request.
    fn call(
        &self,
        ctx: Ctx,
        input: Input<E>,
    ) -> impl Future<Output = Result<E::Response, ApiError>> + Send;
}

impl<E, F, Fut> Handler<E> for F
where
    E: Endpoint,
    F: Fn(Ctx, Input<E>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<E::Response, ApiError>> + Send,
{
    fn call(
        &self,
        ctx: Ctx,
        input: Input<E>,
    ) -> impl Future<Output = Result<E::Response, ApiError>> + Send {
        self(ctx, input)
    }
}

/// The API's routes, built only from endpoint declarations.
#[derive(Debug)]
pub struct Api {
    router: axum::Router<AppState>,
    served: Vec<&'static str>,
}

impl Default for Api {
    fn default() -> Self {
        Api {
            router: axum::Router::new(),
            served: Vec::new(),
        }
    }
}

impl Api {
    /// Serves `E` with `handler` at `E::METHOD E::PATH`.
    pub fn endpoint<E, H>(mut self, handler: H) -> Self
    where
        E: Endpoint,
        H: Handler<E>,
    {
        let filter = match E::METHOD {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Put => MethodFilter::PUT,
            Method::Patch => MethodFilter::PATCH,
            Method::Delete => MethodFilter::DELETE,
        };
        let route: MethodRouter<AppState> = on(
            filter,
            move |State(state): State<AppState>, request: Request| {
                let handler = handler.clone();
                async move {
                    match serve::<E, H>(state, request, handler).await {
                        Ok(response) => response,
                        Err(error) => error.into_response(),
                    }
                }
            },
        );
        self.router = self.router.route(E::PATH, route);
        self.served.push(E::ID);
        self
    }

    /// Adds every operation of `other`.
    pub fn merge(mut self, other: Api) -> Self {
        self.router = self.router.merge(other.router);
        self.served.extend(other.served);
        self
    }

    /// The ids of the operations served, in registration order.
    pub fn served(&self) -> &[&'static str] {
        &self.served
    }

    /// The routes.
    pub fn into_router(self) -> axum::Router<AppState> {
        self.router
    }
}

async fn serve<E, H>(state: AppState, request: Request, handler: H) -> Result<Response, ApiError>
where
    E: Endpoint,
    H: Handler<E>,
{
    let (mut parts, body) = request.into_parts();
    // Authentication comes first so that anonymous callers learn nothing from validation.
    let principal = auth::authenticate(&state, &parts.headers, E::ACCESS).await?;
    let path = if E::PATH.contains('{') {
        Path::<E::Path>::from_request_parts(&mut parts, &state)
            .await
            .map_err(extract::path_error)?
            .0
    } else {
        empty::<E::Path>()?
    };
    let query = extract::query::<E::Query>(parts.uri.query())?;
    let body = if E::Body::PRESENT {
        extract::json_body::<E::Body>(&parts.headers, body, state.config.max_body_bytes).await?
    } else {
        empty::<E::Body>()?
    };
    let ctx = Ctx {
        client_ip: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip()),
        user_agent: user_agent(&parts.headers),
        principal,
        state,
    };
    debug_assert!(
        !matches!(E::ACCESS, Access::Authenticated(_)) || ctx.principal.is_some(),
        "authenticate() guarantees a principal"
    );
    let data = handler.call(ctx, Input { path, query, body }).await?;
    let status = StatusCode::from_u16(E::STATUS).unwrap_or(StatusCode::OK);
    let envelope = ApiResponse {
        success: true,
        message: E::MESSAGE.map(str::to_owned),
        data: E::Response::PRESENT.then_some(data),
        request_id: request_id::current(),
        timestamp: chrono::Utc::now(),
    };
    Ok((status, Json(envelope)).into_response())
}

/// The value of an input type that carries nothing ([`skyclust_types::Empty`]).
fn empty<T: DeserializeOwned>() -> Result<T, ApiError> {
    serde_json::from_value(serde_json::json!({})).map_err(|error| {
        ApiError::internal(format_args!(
            "an operation without inputs has a non-empty input type: {error}"
        ))
    })
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.chars().take(512).collect())
}
