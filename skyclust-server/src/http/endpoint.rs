//! Serving a declared [`Endpoint`]: the route comes from its declaration, and its inputs,
//! access check and success envelope are handled here once for every operation.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use parking_lot::Mutex;
use serde::de::DeserializeOwned;
use skyclust_types::endpoint::is_valid_idempotency_key;
use skyclust_types::headers::IDEMPOTENCY_KEY;
use skyclust_types::{ApiResponse, AuditLog, Endpoint, Method, Payload};
use uuid::Uuid;

use crate::auth::{self, Authentication};
use crate::error::{ApiError, ApiResult};
use crate::http::caller::{self, Anyone, Caller};
use crate::http::guard::{self, ClientIp};
use crate::http::{extract, request_id};
use crate::state::AppState;

/// What a handler knows about its request besides the typed inputs.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Shared server state.
    pub state: AppState,
    /// The client's address.
    pub client_ip: Option<IpAddr>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
    /// The request's `Idempotency-Key`, checked, on operations that take one.
    pub idempotency_key: Option<String>,
    audit: Arc<Mutex<AuditNote>>,
}

/// What a handler adds to its request's audit entry.
#[derive(Debug, Default)]
pub struct AuditNote {
    /// The acting user, when the request authenticated them itself (sign-in, sign-up).
    pub user_id: Option<Uuid>,
    /// The affected resource, when not the path's `id` (e.g. something just created).
    pub resource_id: Option<String>,
    /// More about the action. Never secrets.
    pub details: Option<serde_json::Value>,
}

impl Ctx {
    /// Adds to this request's audit entry.
    pub fn audit(&self, note: impl FnOnce(&mut AuditNote)) {
        note(&mut self.audit.lock());
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

/// A function that serves `E`: `async fn(Ctx, Input<E>)`, or `async fn(Ctx, C, Input<E>)`
/// for a [`Caller`] `C` (`M` tells the two shapes apart).
pub trait Handler<E: Endpoint, M>: Clone + Send + Sync + 'static {
    /// The caller argument.
    type Caller: Caller;

    /// Serves one request.
    fn call(
        &self,
        ctx: Ctx,
        caller: Self::Caller,
        input: Input<E>,
    ) -> impl Future<Output = ApiResult<E::Response>> + Send;
}

impl<E, F, Fut> Handler<E, ()> for F
where
    E: Endpoint,
    F: Fn(Ctx, Input<E>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<E::Response>> + Send,
{
    type Caller = Anyone;

    fn call(
        &self,
        ctx: Ctx,
        _: Anyone,
        input: Input<E>,
    ) -> impl Future<Output = ApiResult<E::Response>> + Send {
        self(ctx, input)
    }
}

impl<E, C, F, Fut> Handler<E, (C,)> for F
where
    E: Endpoint,
    C: Caller,
    F: Fn(Ctx, C, Input<E>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ApiResult<E::Response>> + Send,
{
    type Caller = C;

    fn call(
        &self,
        ctx: Ctx,
        caller: C,
        input: Input<E>,
    ) -> impl Future<Output = ApiResult<E::Response>> + Send {
        self(ctx, caller, input)
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
        Api { router: axum::Router::new(), served: Vec::new() }
    }
}

impl Api {
    /// Serves `E` with `handler` at `E::METHOD E::PATH`. A handler asking for a caller that
    /// `E::ACCESS` does not guarantee does not compile.
    pub fn endpoint<E: Endpoint, M: 'static>(self, handler: impl Handler<E, M>) -> Self {
        self.route::<E, M, _>(handler)
    }

    fn route<E: Endpoint, M: 'static, H: Handler<E, M>>(mut self, handler: H) -> Self {
        const {
            assert!(
                caller::supplies(E::ACCESS, <H::Caller as Caller>::KIND),
                "the handler asks for a caller this operation's access does not guarantee"
            )
        };
        let filter = match E::METHOD {
            Method::Get => MethodFilter::GET,
            Method::Post => MethodFilter::POST,
            Method::Put => MethodFilter::PUT,
            Method::Patch => MethodFilter::PATCH,
            Method::Delete => MethodFilter::DELETE,
        };
        // An operation that takes no query parameters ignores a query string (a cache-buster,
        // a probe's marker), as its document declares no 400 for it; one that takes some
        // refuses those its document does not name.
        let parameters: Parameters =
            <E::Query as utoipa::IntoParams>::into_params(|| None).into_iter().map(|p| p.name).collect();
        let route: MethodRouter<AppState> =
            on(filter, move |State(state): State<AppState>, request: Request| {
                let handler = handler.clone();
                let parameters = parameters.clone();
                async move { serve::<E, M, H>(state, request, handler, parameters).await }
            });
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

/// The query parameters an operation's document names.
type Parameters = std::sync::Arc<[String]>;

async fn serve<E, M, H>(state: AppState, request: Request, handler: H, parameters: Parameters) -> Response
where
    E: Endpoint,
    H: Handler<E, M>,
{
    let (mut parts, body) = request.into_parts();
    let authentication = guard::authentication_of(&mut parts.extensions);
    let client_ip = parts.extensions.get::<ClientIp>().and_then(|ClientIp(ip)| *ip);
    let user_agent = user_agent(&parts.headers);
    let note = Arc::new(Mutex::new(AuditNote::default()));
    let ctx = Ctx { state: state.clone(), client_ip, user_agent, idempotency_key: None, audit: note.clone() };
    let result = run::<E, M, H>(ctx.clone(), &authentication, (&mut parts, body, &parameters), handler).await;
    if let Some(audit) = E::AUDIT {
        let note = std::mem::take(&mut *note.lock());
        let resource_id = match note.resource_id {
            Some(id) => Some(id),
            None => path_id(&mut parts).await,
        };
        let entry = AuditLog {
            id: Uuid::new_v4(),
            user_id: note.user_id.or(authentication.principal().map(|principal| principal.user.id)),
            action: audit.action.to_owned(),
            resource: audit.resource.to_owned(),
            resource_id,
            success: result.is_ok(),
            ip_address: ctx.client_ip.map(|ip| ip.to_string()),
            user_agent: ctx.user_agent.clone(),
            details: with_error(note.details, result.as_ref().err()),
            created_at: crate::clock::real_now(),
        };
        // A success is only reported once its entry is stored; failures need not wait.
        if result.is_ok() {
            state.audit.record_durably(entry).await;
        } else {
            state.audit.record(entry).await;
        }
    }
    match result {
        Ok(data) => {
            let status = StatusCode::from_u16(E::STATUS).unwrap_or(StatusCode::OK);
            let envelope = ApiResponse {
                success: true,
                message: E::MESSAGE.map(str::to_owned),
                data: E::Response::PRESENT.then_some(data),
                request_id: request_id::current(),
                timestamp: crate::clock::real_now(),
            };
            (status, Json(envelope)).into_response()
        }
        Err(error) => error.into_response(),
    }
}

async fn run<E, M, H>(
    mut ctx: Ctx,
    authentication: &Authentication,
    (parts, body, parameters): (&mut Parts, Body, &[String]),
    handler: H,
) -> ApiResult<E::Response>
where
    E: Endpoint,
    H: Handler<E, M>,
{
    // Access is decided before any input is looked at, so callers without it learn nothing.
    let principal = auth::authorize(authentication, E::ACCESS, E::METHOD)?;
    let caller = H::Caller::from_authorized(principal)
        .ok_or_else(|| ApiError::unauthorized("Authentication required"))?;
    let path = if E::PATH.contains('{') {
        Path::<E::Path>::from_request_parts(parts, &ctx.state).await.map_err(extract::path_error)?.0
    } else {
        empty::<E::Path>()?
    };
    let query = if parameters.is_empty() {
        empty::<E::Query>()?
    } else {
        extract::query::<E::Query>(parts.uri.query(), parameters)?
    };
    if E::IDEMPOTENT_WITH_KEY {
        ctx.idempotency_key = idempotency_key(&parts.headers)?;
    }
    let body = if E::Body::PRESENT {
        extract::json_body::<E::Body>(&parts.headers, body, ctx.state.config.max_body_bytes).await?
    } else {
        extract::no_body(&parts.headers, body, ctx.state.config.max_body_bytes).await?;
        empty::<E::Body>()?
    };
    handler.call(ctx, caller, Input { path, query, body }).await
}

fn idempotency_key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let mut values = headers.get_all(IDEMPOTENCY_KEY).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    // Two keys would leave it open which request this one repeats.
    if values.next().is_some() {
        return Err(ApiError::invalid_field(IDEMPOTENCY_KEY, "must be sent once"));
    }
    match value.to_str() {
        Ok(key) if is_valid_idempotency_key(key) => Ok(Some(key.to_owned())),
        _ => Err(ApiError::invalid_field(IDEMPOTENCY_KEY, "must be 1 to 255 visible ASCII characters")),
    }
}

/// The path's `id` parameter, for the audit entry.
async fn path_id(parts: &mut Parts) -> Option<String> {
    let params = axum::extract::RawPathParams::from_request_parts(parts, &()).await.ok()?;
    params.iter().find(|(name, _)| *name == "id").map(|(_, value)| value.to_owned())
}

/// Adds the error code of a failed request to its audit details.
fn with_error(details: Option<serde_json::Value>, error: Option<&ApiError>) -> Option<serde_json::Value> {
    let Some(error) = error else {
        return details;
    };
    let mut details = match details {
        Some(serde_json::Value::Object(map)) => map,
        Some(other) => serde_json::Map::from_iter([("details".to_owned(), other)]),
        None => serde_json::Map::new(),
    };
    details.insert("error_code".to_owned(), error.code().as_str().into());
    Some(details.into())
}

/// The value of an input type that carries nothing ([`skyclust_types::Empty`]).
fn empty<T: DeserializeOwned>() -> ApiResult<T> {
    serde_json::from_value(serde_json::json!({})).map_err(|error| {
        ApiError::internal(format_args!("an operation without inputs has a non-empty input type: {error}"))
    })
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.chars().take(512).collect())
}
