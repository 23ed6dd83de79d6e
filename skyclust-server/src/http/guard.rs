//! The first thing every request meets after its id: who is calling (checked once, kept in
//! the request for the operation's own access check) and whether they are over their rate
//! limit. Every response but the exempt ones carries `X-RateLimit-*`.

use std::net::{IpAddr, SocketAddr};
use std::sync::LazyLock;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use skyclust_types::endpoint::Operation;
use skyclust_types::{Access, ErrorCode};

use crate::auth::{self, Authentication};
use crate::error::ApiError;
use crate::http::API_PREFIX;
use crate::rate_limit::Decision;
use crate::state::AppState;

/// The client's address: the peer, or the first untrusted hop of `X-Forwarded-For` when the
/// peer is a trusted proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub Option<IpAddr>);

/// Authenticates, rate-limits, and annotates the request for the operation.
///
/// Whom a request is charged to:
/// - public operations (sign-in, sign-up) always to the client address: credentials sent with
///   them are not even looked at, so they cannot move a guesser onto another budget;
/// - an API key to the key's own budget **and** its owner's user budget, so minting keys does
///   not multiply what a user may send;
/// - a signed-in user to their budget; anything else, rejected credentials included, to the
///   client address.
///
/// `GET /health` is exempt, but only without credentials: a request that carries some has
/// them checked (a database lookup) and is counted like any other. The API documentation is
/// counted per address on a budget of its own, credentials unread.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip());
    let client_ip = client_ip(peer, request.headers(), &state.config.trusted_proxies);
    let operation = unparameterised_operation(request.method(), request.uri().path());
    let documentation = is_documentation(request.uri().path());
    let public = documentation || operation.is_some_and(|operation| operation.access == Access::Public);
    let authentication =
        if public { Authentication::Anonymous } else { auth::authenticate(&state, request.headers()).await };
    let exempt = operation.is_some_and(|operation| !operation.rate_limited)
        && matches!(authentication, Authentication::Anonymous);
    let decision = if exempt {
        None
    } else if documentation {
        Some(charge_documentation(&state, client_ip).await)
    } else {
        Some(charge(&state, &authentication, client_ip).await)
    };
    if let Some(charged) = decision.filter(|charged| !charged.decision.allowed) {
        return refusal(&state, &charged);
    }
    request.extensions_mut().insert(ClientIp(client_ip));
    request.extensions_mut().insert(authentication);
    let mut response = next.run(request).await;
    if let Some(decision) = decision {
        add_headers(response.headers_mut(), &decision.decision);
    }
    response
}

/// A rate-limit decision, the budget (tier) it was made on and the setting that sizes it.
#[derive(Clone, Copy)]
struct Charged {
    decision: Decision,
    tier: &'static str,
    setting: &'static str,
}

/// The 429: which budget ran out, how big it is, when it refills and which setting raises it.
fn refusal(state: &AppState, charged: &Charged) -> Response {
    state.metrics.rate_limited(match charged.setting {
        "SKYCLUST_RATE_LIMIT_DOCS" => "documentation",
        "SKYCLUST_RATE_LIMIT_ANONYMOUS" => "anonymous",
        "SKYCLUST_RATE_LIMIT_API_KEY" => "api_key",
        _ => "user",
    });
    let Decision { limit, retry_after, .. } = charged.decision;
    let window = state.config.rate_limit_window_secs;
    let message = format!(
        "Rate limit of the {} budget exceeded ({limit} requests per {window} s); retry in {retry_after} s, \
         or raise {}",
        charged.tier, charged.setting
    );
    let data = serde_json::json!({
        "tier": charged.tier, "limit": limit, "window_secs": window,
        "retry_after": retry_after, "setting": charged.setting,
    });
    let mut response = ApiError::new(ErrorCode::RateLimited, message)
        .with_data(data)
        .with_header(header::RETRY_AFTER, HeaderValue::from(retry_after))
        .into_response();
    add_headers(response.headers_mut(), &charged.decision);
    response
}

/// The Swagger UI page, its assets and the OpenAPI document: static, and not API calls.
fn is_documentation(path: &str) -> bool {
    let swagger = super::middleware::SWAGGER_UI;
    path == super::OPENAPI_PATH
        || path.strip_prefix(swagger).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The budget key of a client address (its IPv4 address or IPv6 /64) under `prefix`.
fn address_key(prefix: &str, client_ip: Option<IpAddr>) -> String {
    format!(
        "{prefix}:{}",
        client_ip.map_or_else(|| "unknown".to_owned(), |ip| address_bucket(ip).to_string())
    )
}

async fn charge_documentation(state: &AppState, client_ip: Option<IpAddr>) -> Charged {
    let key = address_key("docs", client_ip);
    let decision =
        state.rate_limiter.hit(&key, state.config.rate_limit_docs, state.config.rate_limit_window()).await;
    Charged { decision, tier: "documentation", setting: "SKYCLUST_RATE_LIMIT_DOCS" }
}

const USER: &str = "signed-in user";
const KEY: &str = "API key";

async fn charge(state: &AppState, authentication: &Authentication, client_ip: Option<IpAddr>) -> Charged {
    let config = &state.config;
    let window = config.rate_limit_window();
    let limiter = &state.rate_limiter;
    let Some(principal) = authentication.principal() else {
        // Rejected credentials count against the address, so made-up ones buy nothing.
        let key = address_key("ip", client_ip);
        let decision = limiter.hit(&key, config.rate_limit_anonymous, window).await;
        return Charged {
            decision,
            tier: "anonymous (per address)",
            setting: "SKYCLUST_RATE_LIMIT_ANONYMOUS",
        };
    };
    let user_key = format!("user:{}", principal.user.id);
    let Some(api_key) = &principal.api_key else {
        let decision = limiter.hit(&user_key, config.rate_limit_user, window).await;
        return Charged { decision, tier: USER, setting: "SKYCLUST_RATE_LIMIT_USER" };
    };
    let key_budget = format!("key:{}", api_key.id);
    let key = limiter.hit(&key_budget, config.rate_limit_api_key, window).await;
    if !key.allowed {
        return Charged { decision: key, tier: KEY, setting: "SKYCLUST_RATE_LIMIT_API_KEY" };
    }
    let user = limiter.hit(&user_key, config.rate_limit_user, window).await;
    if !user.allowed {
        // Refused on the owner's budget: the key's own count gives the request back.
        limiter.refund(&key_budget, key.reset_at).await;
        return Charged { decision: user, tier: USER, setting: "SKYCLUST_RATE_LIMIT_USER" };
    }
    // The headers describe whichever budget runs out first.
    if user.remaining < key.remaining {
        Charged { decision: user, tier: USER, setting: "SKYCLUST_RATE_LIMIT_USER" }
    } else {
        Charged { decision: key, tier: KEY, setting: "SKYCLUST_RATE_LIMIT_API_KEY" }
    }
}

/// The declared operation for `method` at `path`, among those without path parameters (the
/// only ones that are public or exempt from limits).
fn unparameterised_operation(method: &axum::http::Method, path: &str) -> Option<&'static Operation> {
    let path = path.strip_prefix(API_PREFIX)?;
    // axum answers HEAD with the GET route (load balancers probe health that way).
    let method = if method == axum::http::Method::HEAD { "GET" } else { method.as_str() };
    skyclust_types::operations::ALL
        .iter()
        .find(|operation| operation.path == path && operation.method.as_str() == method)
}

/// `X-RateLimit-*` headers describing `decision`.
pub fn add_headers(headers: &mut HeaderMap, decision: &Decision) {
    static NAMES: LazyLock<[HeaderName; 3]> = LazyLock::new(|| {
        use skyclust_types::headers::{RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING, RATE_LIMIT_RESET};
        [RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING, RATE_LIMIT_RESET].map(crate::http::header_name)
    });
    let [limit, remaining, reset] = &*NAMES;
    headers.insert(limit, HeaderValue::from(decision.limit));
    headers.insert(remaining, HeaderValue::from(decision.remaining));
    headers.insert(reset, HeaderValue::from(decision.reset_at));
}

fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    if !is_trusted(peer, trusted) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .map(|hop| hop.to_canonical())
        .collect();
    // The right-most hop not added by a trusted proxy is the client as far as we can tell.
    Some(forwarded.into_iter().rev().find(|hop| !is_trusted(*hop, trusted)).unwrap_or(peer))
}

/// Whether `address` is one of the `trusted` proxies (an IPv4 peer of a dual-stack listener
/// arrives as `::ffff:a.b.c.d` and still matches `a.b.c.d`).
pub fn is_trusted(address: IpAddr, trusted: &[IpAddr]) -> bool {
    let address = address.to_canonical();
    trusted.iter().any(|proxy| proxy.to_canonical() == address)
}

/// What per-address limits count a client by: its IPv4 address, or its IPv6 /64 — one
/// subscriber's usual allocation, which would otherwise offer 2^64 fresh addresses.
pub fn address_bucket(address: IpAddr) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !u128::from(u64::MAX))),
        v4 => v4,
    }
}

/// The request's authentication as checked by [`guard`].
pub fn authentication_of(extensions: &mut axum::http::Extensions) -> Authentication {
    extensions.remove::<Authentication>().unwrap_or(Authentication::Anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_counted_by_ipv4_address_or_ipv6_slash_64() {
        let bucket = |text: &str| address_bucket(text.parse().unwrap()).to_string();
        assert_eq!(bucket("203.0.113.7"), "203.0.113.7");
        assert_eq!(bucket("::ffff:203.0.113.7"), "203.0.113.7", "IPv4 on a dual-stack listener");
        assert_eq!(bucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::");
        assert_eq!(bucket("2001:db8:1:2::1"), bucket("2001:db8:1:2:ffff::9"), "one /64, one budget");
        assert_ne!(bucket("2001:db8:1:2::1"), bucket("2001:db8:1:3::1"));
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(is_trusted("::ffff:10.0.0.1".parse().unwrap(), &[proxy]));
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "198.51.100.9, 203.0.113.7".parse().unwrap());
        assert_eq!(client_ip(Some(proxy), &headers, &[]), Some(proxy), "untrusted peer: header ignored");
        assert_eq!(client_ip(Some(proxy), &headers, &[proxy]), Some(client), "right-most untrusted hop");
        headers.insert("x-forwarded-for", "203.0.113.7, 10.0.0.2".parse().unwrap());
        let second: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(client_ip(Some(proxy), &headers, &[proxy, second]), Some(client));
        headers.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(client_ip(Some(proxy), &headers, &[proxy]), Some(proxy));
    }

    #[test]
    fn health_is_exempt_and_sign_in_public() {
        use axum::http::Method;
        let exempt = |method, path| {
            unparameterised_operation(&method, path).is_some_and(|operation| !operation.rate_limited)
        };
        assert!(exempt(Method::GET, "/api/v1/health"));
        assert!(!exempt(Method::POST, "/api/v1/health"), "only the declared method");
        assert!(exempt(Method::HEAD, "/api/v1/health"), "HEAD is served by GET");
        assert!(!exempt(Method::GET, "/api/v1/health/db"));
        assert!(!exempt(Method::POST, "/api/v1/auth/login"));
        assert!(!exempt(Method::GET, "/health"));
        let public = |method, path| {
            unparameterised_operation(&method, path)
                .is_some_and(|operation| operation.access == Access::Public)
        };
        assert!(public(Method::POST, "/api/v1/auth/login") && public(Method::POST, "/api/v1/auth/register"));
        assert!(!public(Method::GET, "/api/v1/auth/login"));
        assert!(!public(Method::GET, "/api/v1/auth/me") && !public(Method::GET, "/api/v1/health"));
    }
}
