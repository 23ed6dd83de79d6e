//! The SDK's error type.

use skyclust_types::ErrorCode;

/// Everything a call can fail with.
///
/// ```
/// # use skyclust_sdk::Error;
/// # use skyclust_types::ErrorCode;
/// fn is_conflict(error: &Error) -> bool {
///     matches!(error, Error::Api { code: ErrorCode::Conflict, .. })
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with an error envelope (or a bare error status).
    #[error("{code} ({status}): {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// The envelope's `code` (derived from the status when the body had none).
        code: ErrorCode,
        /// The envelope's `error` message.
        message: String,
        /// The request id, for support requests and log searches.
        request_id: Option<String>,
        /// The envelope's `data`, e.g. `{"fields": {...}}` for validation errors.
        details: Option<serde_json::Value>,
    },
    /// The server refused the request for exceeding a rate limit (after any retries).
    #[error("RATE_LIMITED (429): {message}")]
    RateLimited {
        /// How long the server asked to wait (`Retry-After`).
        retry_after: Option<std::time::Duration>,
        /// The envelope's `error` message.
        message: String,
        /// The request id.
        request_id: Option<String>,
        /// The limit that was hit, from the `X-RateLimit-*` headers.
        rate_limit: Option<crate::RateLimit>,
    },
    /// The request never got an answer: connection refused, timeout, TLS…
    #[error("transport error: {0}")]
    Transport(#[from] reqwest::Error),
    /// The answer could not be understood.
    #[error("cannot decode the response (HTTP {status}): {message}")]
    Decode {
        /// HTTP status of the undecodable answer.
        status: u16,
        /// What went wrong.
        message: String,
    },
    /// The event stream's connection failed or broke.
    #[error("websocket error: {0}")]
    WebSocket(String),
    /// Not fatal: the event stream lost its connection and reconnects after `retry_in`.
    /// Events published while disconnected are not replayed.
    #[error("event stream disconnected ({reason}); reconnect attempt {attempt} in {retry_in:?}")]
    Reconnecting {
        /// Which attempt is next (from 1).
        attempt: u32,
        /// When it will be made.
        retry_in: std::time::Duration,
        /// Why the connection ended.
        reason: String,
    },
    /// A wait (e.g. [`crate::VmsHandle::wait_until`]) ran out of time.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The client is misconfigured or a request could not be built (e.g. a bad base URL).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl Error {
    /// Whether the event stream ends with this error ([`Error::Reconnecting`] is the one that does not).
    pub fn is_fatal(&self) -> bool {
        !matches!(self, Error::Reconnecting { .. })
    }

    /// The API error code, for [`Error::Api`].
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api { code, .. } => Some(*code),
            Error::RateLimited { .. } => Some(ErrorCode::RateLimited),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Transport(error) => error.status().map(|status| status.as_u16()),
            Error::InvalidRequest(_)
            | Error::WebSocket(_)
            | Error::Reconnecting { .. }
            | Error::Timeout(_) => None,
        }
    }

    /// The request id the server assigned, when known.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } | Error::RateLimited { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// How long the server asked to wait before retrying, for [`Error::RateLimited`].
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Per-field validation messages (`data.fields`) of a `VALIDATION_ERROR`.
    pub fn field_errors(&self) -> Option<std::collections::BTreeMap<String, String>> {
        match self {
            Error::Api { details: Some(details), .. } => {
                serde_json::from_value(details.get("fields")?.clone()).ok()
            }
            _ => None,
        }
    }
}

/// Shorthand for SDK results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
