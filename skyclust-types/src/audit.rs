//! Audit log entries (`audit:read`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate};

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "6b1c1e2a-1a4f-4c1e-9a55-2b7c9e1d0f11",
    "user_id": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
    "action": "create",
    "resource": "api_key",
    "resource_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "success": true,
    "ip_address": "192.168.1.1",
    "user_agent": "Mozilla/5.0",
    "details": {"name": "ci-pipeline"},
    "created_at": "2024-01-01T00:00:00Z"
}))]
pub struct AuditLog {
    /// The entry's id.
    pub id: Uuid,
    /// Who acted (absent for anonymous attempts).
    pub user_id: Option<Uuid>,
    /// What was done, e.g. `create`, `update`, `delete`, `login`.
    pub action: String,
    /// What kind of thing it was done to, e.g. `user`, `api_key`, `session`.
    pub resource: String,
    /// Which one, when known.
    pub resource_id: Option<String>,
    /// Whether it succeeded.
    pub success: bool,
    /// The client's address.
    pub ip_address: Option<String>,
    /// The client's `User-Agent`.
    pub user_agent: Option<String>,
    /// More about the action (never secrets).
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    /// When it happened.
    pub created_at: DateTime<Utc>,
}

/// How `GET /audit-logs` lists.
#[derive(Debug)]
pub struct AuditLogListing;

impl Listing for AuditLogListing {
    const DEFAULT_LIMIT: u32 = 50;
    const SORTABLE: &'static [&'static str] = &["created_at", "action", "resource"];
    const RANGE_PARAMS: (&'static str, &'static str) = ("start_time", "end_time");
    type Filters = AuditLogFilters;
}

/// Filters of `GET /audit-logs` (each repeatable).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditLogFilters {
    /// Only entries of these users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub user_id: Vec<Uuid>,
    /// Only these actions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub action: Vec<String>,
    /// Only these resource kinds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<String>,
    /// Only successful (`true`) or failed (`false`) actions.
    #[serde(default, deserialize_with = "crate::list::flag", skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
}

impl Validate for AuditLogFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// `GET /audit-logs` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuditLogList {
    /// This page of entries.
    pub audit_logs: Vec<AuditLog>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for AuditLogList {
    type Item = AuditLog;
    fn items(&self) -> &[AuditLog] {
        &self.audit_logs
    }
    fn into_items(self) -> Vec<AuditLog> {
        self.audit_logs
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}
