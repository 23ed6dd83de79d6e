//! The first thing every request meets after its id: who is calling (checked once, kept in
//! the request for the operation's own access check) and whether they are over their rate
//! limit. Every response but the exempt ones carries `X-RateLimit-*`.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use skyclust_types::ErrorCode;

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
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(address)| address.ip());
    let client_ip = client_ip(peer, request.headers(), &state.config.trusted_proxies);
    let authentication = auth::authenticate(&state, request.headers()).await;
    let decision = if is_exempt(request.uri().path()) {
        None
    } else {
        let config = &state.config;
        let (key, limit) = match authentication.principal() {
            Some(principal) => match &principal.api_key {
                Some(key) => (format!("key:{}", key.id), config.rate_limit_api_key),
                None => (format!("user:{}", principal.user.id), config.rate_limit_user),
            },
            // Rejected credentials count against the address, so made-up ones buy nothing.
            None => (
                format!("ip:{}", client_ip.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())),
                config.rate_limit_anonymous,
            ),
        };
        Some(state.rate_limiter.hit(&key, limit, config.rate_limit_window()).await)
    };
    if let Some(decision) = decision.filter(|decision| !decision.allowed) {
        let mut response =
            ApiError::new(ErrorCode::RateLimited, "Rate limit exceeded; retry when the window resets")
                .with_header(header::RETRY_AFTER, HeaderValue::from(decision.retry_after))
                .into_response();
        add_headers(response.headers_mut(), &decision);
        return response;
    }
    request.extensions_mut().insert(ClientIp(client_ip));
    request.extensions_mut().insert(authentication);
    let mut response = next.run(request).await;
    if let Some(decision) = decision {
        add_headers(response.headers_mut(), &decision);
    }
    response
}

/// Operations declared exempt from rate limiting (they have no path parameters).
fn is_exempt(path: &str) -> bool {
    path.strip_prefix(API_PREFIX).is_some_and(|path| {
        skyclust_types::operations::ALL
            .iter()
            .any(|operation| !operation.rate_limited && operation.path == path)
    })
}

/// `X-RateLimit-*` headers describing `decision`.
pub fn add_headers(headers: &mut HeaderMap, decision: &Decision) {
    headers.insert("x-ratelimit-limit", HeaderValue::from(decision.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(decision.remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(decision.reset_at));
}

fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    // The right-most hop not added by a trusted proxy is the client as far as we can tell.
    Some(forwarded.into_iter().rev().find(|hop| !trusted.contains(hop)).unwrap_or(peer))
}

/// The request's authentication as checked by [`guard`].
pub fn authentication_of(extensions: &mut axum::http::Extensions) -> Authentication {
    extensions.remove::<Authentication>().unwrap_or(Authentication::Anonymous)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn health_is_exempt_and_nothing_else() {
        assert!(is_exempt("/api/v1/health"));
        assert!(!is_exempt("/api/v1/health/db"));
        assert!(!is_exempt("/api/v1/auth/login"));
        assert!(!is_exempt("/health"));
    }
}
