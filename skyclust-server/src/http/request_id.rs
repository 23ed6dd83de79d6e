//! Request ids (SPEC §2): a valid incoming `X-Request-ID` is kept, otherwise `req_<uuid>` is
//! generated. The id is scoped to the request's task so every envelope and log line can carry it.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderName};

tokio::task_local! {
    static CURRENT: String;
}

/// The header carrying the id in both directions ([`skyclust_types::headers::REQUEST_ID`]).
pub static HEADER: LazyLock<HeaderName> =
    LazyLock::new(|| super::header_name(skyclust_types::headers::REQUEST_ID));

/// The caller's id when valid (≤ 128 chars of `[A-Za-z0-9._-]`), else a fresh one.
pub fn from_headers(headers: &HeaderMap) -> String {
    headers
        .get(&*HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|id| is_valid(id))
        .map(str::to_owned)
        .unwrap_or_else(generate)
}

/// A fresh `req_<uuid-simple>` id.
pub fn generate() -> String {
    format!("req_{}", uuid::Uuid::new_v4().simple())
}

fn is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Runs `future` with `id` as the current request id.
pub async fn scope<F: Future>(id: String, future: F) -> F::Output {
    CURRENT.scope(id, future).await
}

/// The current request's id, `None` outside a request.
pub fn in_scope() -> Option<String> {
    CURRENT.try_with(Clone::clone).ok()
}

/// The current request's id; a fresh one outside a request.
pub fn current() -> String {
    CURRENT.try_with(Clone::clone).unwrap_or_else(|_| generate())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_valid_ids_and_replaces_others() {
        let mut headers = HeaderMap::new();
        headers.insert(&*HEADER, "abc-123_X.y".parse().unwrap());
        assert_eq!(from_headers(&headers), "abc-123_X.y");
        for bad in ["has space", "semi;colon", &"a".repeat(129)] {
            headers.insert(&*HEADER, bad.parse().unwrap());
            let id = from_headers(&headers);
            assert!(id.starts_with("req_") && id.len() == 36, "{id}");
        }
    }
}
