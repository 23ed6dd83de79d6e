//! The error codes of the API and the HTTP status each one travels with.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// A machine-readable error code, sent as `code` in every error envelope.
///
/// The first eight are the seed document's; the rest are SkyClust additions for
/// situations the seed leaves open (SPEC §2).
///
/// ```
/// use skyclust_types::ErrorCode;
/// assert_eq!(ErrorCode::Conflict.status(), 409);
/// assert_eq!(ErrorCode::Conflict.as_str(), "CONFLICT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ErrorCode {
    /// 400: the request failed validation; `data.fields` names the offending fields.
    ValidationError,
    /// 401: authentication is missing or invalid.
    Unauthorized,
    /// 403: authenticated, but not allowed to do this.
    Forbidden,
    /// 404: no such resource (or one the caller may not see).
    NotFound,
    /// 405: the path exists, the method does not; see the `Allow` header.
    MethodNotAllowed,
    /// 409: the request conflicts with the current state (duplicates, last admin…).
    Conflict,
    /// 413: the request body is larger than the server accepts.
    PayloadTooLarge,
    /// 429: too many requests; see `Retry-After`.
    RateLimited,
    /// 500: an unexpected server error; details are in the server log only.
    InternalError,
    /// 502: a cloud provider failed.
    ProviderError,
    /// 503: a dependency of the server is unavailable.
    ServiceUnavailable,
    /// A code this version of the contract does not know (sent by a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code a server of this version can send.
    pub const ALL: [ErrorCode; 11] = [
        ErrorCode::ValidationError,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::RateLimited,
        ErrorCode::InternalError,
        ErrorCode::ProviderError,
        ErrorCode::ServiceUnavailable,
    ];

    /// The HTTP status code that carries this error.
    pub const fn status(self) -> u16 {
        match self {
            ErrorCode::ValidationError => 400,
            ErrorCode::Unauthorized => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::RateLimited => 429,
            ErrorCode::InternalError | ErrorCode::Unknown => 500,
            ErrorCode::ProviderError => 502,
            ErrorCode::ServiceUnavailable => 503,
        }
    }

    /// The code as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::ValidationError => "VALIDATION_ERROR",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::MethodNotAllowed => "METHOD_NOT_ALLOWED",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::InternalError => "INTERNAL_ERROR",
            ErrorCode::ProviderError => "PROVIDER_ERROR",
            ErrorCode::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            ErrorCode::Unknown => "UNKNOWN",
        }
    }

    /// The code a bare HTTP status stands for, used when a response carries no code of its own.
    pub fn from_status(status: u16) -> ErrorCode {
        ErrorCode::ALL.into_iter().find(|code| code.status() == status).unwrap_or(if status >= 500 {
            ErrorCode::InternalError
        } else {
            ErrorCode::ValidationError
        })
    }

    /// A short English description, used in the OpenAPI document.
    pub const fn description(self) -> &'static str {
        match self {
            ErrorCode::ValidationError => "The request failed validation",
            ErrorCode::Unauthorized => "Authentication is missing or invalid",
            ErrorCode::Forbidden => "The caller is not allowed to do this",
            ErrorCode::NotFound => "The resource does not exist",
            ErrorCode::MethodNotAllowed => "The method is not allowed on this path",
            ErrorCode::Conflict => "The request conflicts with the current state",
            ErrorCode::PayloadTooLarge => "The request body is too large",
            ErrorCode::RateLimited => "Too many requests",
            ErrorCode::InternalError => "Internal server error",
            ErrorCode::ProviderError => "A cloud provider failed",
            ErrorCode::ServiceUnavailable => "A dependency is unavailable",
            ErrorCode::Unknown => "Unknown error",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// Written by hand so the document lists only the codes a server sends, not `Unknown`.
impl PartialSchema for ErrorCode {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("Machine-readable error code"))
            .enum_values(Some(ErrorCode::ALL.iter().map(|code| code.as_str())))
            .into()
    }
}

impl ToSchema for ErrorCode {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("ErrorCode")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
            assert_eq!(ErrorCode::from_status(code.status()), code);
        }
        let unknown: ErrorCode = serde_json::from_str("\"TEAPOT\"").unwrap();
        assert_eq!(unknown, ErrorCode::Unknown);
    }
}
