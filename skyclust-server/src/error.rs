//! The server's one error type, and the one place it becomes an HTTP response.

use std::borrow::Cow;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use skyclust_types::{ErrorCode, ErrorResponse, FieldErrors};

use crate::http::request_id;

/// An error answered to the client in the seed's envelope.
///
/// Internal details never reach the client: [`ApiError::internal`] logs its cause and answers
/// a generic message.
#[derive(Debug)]
pub struct ApiError {
    code: ErrorCode,
    message: Cow<'static, str>,
    data: Option<serde_json::Value>,
    headers: Vec<(header::HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An error with `code` and a client-facing message.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        ApiError { code, message: message.into(), data: None, headers: Vec::new() }
    }

    /// 400 with per-field messages in `data.fields`.
    pub fn validation(fields: FieldErrors) -> Self {
        // The message alone says what is wrong (the first few fields), for clients that show
        // only `error`; `data.fields` has every one.
        const SHOWN: usize = 3;
        let mut summary: Vec<String> =
            fields.fields.iter().take(SHOWN).map(|(field, problem)| format!("{field} {problem}")).collect();
        if fields.fields.len() > SHOWN {
            summary.push(format!("and {} more", fields.fields.len() - SHOWN));
        }
        let message = if summary.is_empty() {
            "Request validation failed".to_owned()
        } else {
            format!("Request validation failed: {}", summary.join("; "))
        };
        Self::new(ErrorCode::ValidationError, message)
            .with_data(serde_json::to_value(&fields).expect("field errors serialize"))
    }

    /// 400 naming one field.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(FieldErrors::single(field, message))
    }

    /// 401.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::Unauthorized, message)
    }

    /// 403.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::Forbidden, message)
    }

    /// 404.
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    /// 409.
    pub fn conflict(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }

    /// 500: logs `cause` (which must not contain secrets) and answers a generic message.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(ErrorCode::InternalError, "Internal server error")
    }

    /// Attaches `data` to the envelope.
    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.data = Some(data);
        self
    }

    /// Adds a response header (e.g. `Retry-After`).
    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The error's code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// The client-facing message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorResponse {
            success: false,
            error: self.message.into_owned(),
            code: self.code,
            data: self.data,
            request_id: request_id::current(),
            timestamp: chrono::Utc::now(),
        };
        let mut response = (status, Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}

/// How the database's refusal to delete a live VM's row begins (migration 0008).
const LIVE_VM_MARKER: &str = "live VM: ";

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                ApiError::conflict("A resource with the same unique value already exists")
            }
            // The database's last line of defence (migration 0008): a delete would have taken a
            // live VM's row with it.
            sqlx::Error::Database(db) if db.message().contains(LIVE_VM_MARKER) => {
                ApiError::conflict("A VM that is not terminated depends on this; terminate it first")
            }
            // A guarded delete won the race against a request referring to what it deleted.
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                ApiError::conflict("Something this request refers to was deleted meanwhile")
            }
            sqlx::Error::PoolTimedOut => {
                tracing::error!(error = %error, "database pool exhausted");
                ApiError::new(ErrorCode::ServiceUnavailable, "The database is busy; retry shortly")
                    .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
            }
            _ => ApiError::internal(format_args!("database: {error}")),
        }
    }
}
