//! The header names and the WebSocket path of the contract, spelled as the API document spells
//! them. HTTP compares header names case-insensitively; `http::HeaderName::from_static` takes
//! only lowercase, so build names from these with `HeaderName::from_bytes`.
//!
//! ```
//! use skyclust_types::headers;
//! assert_eq!(headers::API_KEY.to_ascii_lowercase(), "x-api-key");
//! ```

/// An API key, for service-to-service calls (instead of `Authorization: Bearer <jwt>`).
pub const API_KEY: &str = "X-API-Key";
/// The request id: taken from the request when well-formed, echoed on every response.
pub const REQUEST_ID: &str = "X-Request-ID";
/// The key that makes a repeated `POST` answer like the first
/// ([`crate::Endpoint::IDEMPOTENT_WITH_KEY`]).
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";
/// Requests allowed in the current rate-limit window.
pub const RATE_LIMIT_LIMIT: &str = "X-RateLimit-Limit";
/// Requests left in the current rate-limit window.
pub const RATE_LIMIT_REMAINING: &str = "X-RateLimit-Remaining";
/// When the current rate-limit window resets, in unix seconds.
pub const RATE_LIMIT_RESET: &str = "X-RateLimit-Reset";
/// Seconds to wait before retrying, on `429` and `503` answers.
pub const RETRY_AFTER: &str = "Retry-After";

/// Where the real-time event stream is served (a WebSocket, outside the `/api/v1` prefix).
pub const EVENTS_PATH: &str = "/ws";
