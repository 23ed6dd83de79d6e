//! The seed's response envelope, shared by every endpoint.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ErrorCode;

/// A successful response: `{success: true, message?, data?, request_id, timestamp}`.
///
/// ```
/// use skyclust_types::ApiResponse;
/// let body: ApiResponse<u32> = serde_json::from_str(
///     r#"{"success":true,"data":7,"request_id":"req_1","timestamp":"2024-01-01T00:00:00Z"}"#,
/// ).unwrap();
/// assert_eq!(body.data, Some(7));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiResponse<T> {
    /// Always `true`.
    pub success: bool,
    /// A human-readable summary of what happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The payload; absent for operations that return nothing.
    #[serde(default = "Option::default", skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    /// The request id, also sent as the `X-Request-ID` header.
    pub request_id: String,
    /// When the response was produced.
    pub timestamp: DateTime<Utc>,
}

/// An error response: `{success: false, error, code, data?, request_id, timestamp}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "success": false,
    "error": "Request validation failed: email must be a valid email address",
    "code": "VALIDATION_ERROR",
    "data": {"fields": {"email": "must be a valid email address"}},
    "request_id": "req_3f0c2a9d8e7b4c61a5d4e3f2b1a09876",
    "timestamp": "2024-01-01T00:00:00Z"
}))]
pub struct ErrorResponse {
    /// Always `false`.
    pub success: bool,
    /// A human-readable message. Never contains secrets.
    pub error: String,
    /// The machine-readable code.
    pub code: ErrorCode,
    /// Details, e.g. `{"fields": {"email": "…"}}` for validation errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
    /// The request id, also sent as the `X-Request-ID` header.
    pub request_id: String,
    /// When the response was produced.
    pub timestamp: DateTime<Utc>,
}
