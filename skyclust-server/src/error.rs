//! The server's one error type, and the one place it becomes an HTTP response.

use std::borrow::Cow;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use skyclust_types::{ErrorCode, ErrorResponse, FieldErrors};

use crate::http::request_id;
use crate::metrics::DatabaseFailure;
use crate::storage::{Conflict, DbError};

/// What a handler (or anything on its way to an answer) returns.
pub type ApiResult<T> = Result<T, ApiError>;

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
    /// Set when the database caused it; the response carries it for the request metrics.
    database: Option<DatabaseFailure>,
}

impl ApiError {
    /// An error with `code` and a client-facing message.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        ApiError { code, message: message.into(), data: None, headers: Vec::new(), database: None }
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

    /// `503 SERVICE_UNAVAILABLE` for something that passes (a busy or unreachable dependency),
    /// with `Retry-After: 1`.
    pub fn unavailable(message: impl Into<Cow<'static, str>>) -> Self {
        ApiError::new(ErrorCode::ServiceUnavailable, message)
            .with_header(header::RETRY_AFTER, HeaderValue::from_static("1"))
    }

    /// Adds a response header (e.g. `Retry-After`).
    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Marks the error as the database's doing, for the request metrics.
    pub fn caused_by(mut self, failure: DatabaseFailure) -> Self {
        self.database = Some(failure);
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
            timestamp: crate::clock::real_now(),
        };
        let mut response = (status, Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        if let Some(failure) = self.database {
            response.extensions_mut().insert(failure);
        }
        response
    }
}

impl From<DbError> for ApiError {
    fn from(error: DbError) -> Self {
        let failure = DatabaseFailure::of(&error);
        ApiError { database: failure, ..answer_for(error) }
    }
}

fn answer_for(error: DbError) -> ApiError {
    match error {
        DbError::Conflict { kind: Conflict::Unique, .. } => {
            ApiError::conflict("A resource with the same unique value already exists")
        }
        // The database's last line of defence (migration 0008): a delete would have taken a
        // live VM's row with it.
        DbError::Conflict { kind: Conflict::LiveVm, .. } => {
            ApiError::conflict("A VM that is not terminated depends on this; terminate it first")
        }
        // A guarded delete won the race against a request referring to what it deleted.
        DbError::Conflict { kind: Conflict::ForeignKey, .. } => {
            ApiError::conflict("Something this request refers to was deleted meanwhile")
        }
        // Read a moment ago, deleted since by another request.
        DbError::NotFound => ApiError::not_found("It was deleted meanwhile"),
        DbError::Unavailable(sqlx::Error::PoolTimedOut) => {
            tracing::error!("no database connection within the acquire timeout");
            ApiError::unavailable("The database is busy or unavailable; retry shortly")
        }
        // The database went away under the request (stopped, restarted, its connection
        // killed) or cannot write: nothing was committed, and the pool reconnects by itself.
        DbError::Unavailable(error) => {
            tracing::error!(error = %error, "the database is unavailable");
            ApiError::unavailable("The database is unavailable; retry shortly")
        }
        error => ApiError::internal(format_args!("{error}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_failures_answer_by_meaning() {
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        for error in [sqlx::Error::Io(refused), sqlx::Error::PoolClosed, sqlx::Error::PoolTimedOut] {
            assert_eq!(ApiError::from(DbError::from(error)).code, ErrorCode::ServiceUnavailable);
        }
        for kind in [Conflict::Unique, Conflict::ForeignKey, Conflict::LiveVm] {
            let refused = DbError::Conflict { kind, constraint: None, message: String::new() };
            assert_eq!(ApiError::from(refused).code, ErrorCode::Conflict);
        }
        assert_eq!(ApiError::from(DbError::NotFound).code, ErrorCode::NotFound);
        let other = ApiError::from(DbError::from(sqlx::Error::ColumnNotFound("x".into())));
        assert_eq!(other.code, ErrorCode::InternalError);
    }
}
