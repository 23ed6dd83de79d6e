//! API keys (`X-API-Key`): shown once at creation, stored only as a SHA-256 hash.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::endpoint::Empty;
use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate};

/// An API key as listed: never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "name": "ci-pipeline",
    "prefix": "sk_Ab3dE9xQ",
    "read_only": false,
    "created_at": "2024-01-01T00:00:00Z",
    "expires_at": null,
    "last_used_at": "2024-01-02T08:00:00Z"
}))]
pub struct ApiKey {
    /// The key's id.
    pub id: Uuid,
    /// A name to recognise it by.
    pub name: String,
    /// The first characters of the key, to tell keys apart.
    pub prefix: String,
    /// Whether the key may only read.
    pub read_only: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// `POST /api-keys` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "ci-pipeline", "read_only": true}))]
pub struct CreateApiKeyRequest {
    /// A name to recognise the key by (1–100 characters).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// When the key stops working (must be in the future); never when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// Restrict the key to read operations (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

impl Validate for CreateApiKeyRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        crate::validation::check_display_name(&mut errors, "name", &self.name, 100);
        if let Some(expires_at) = self.expires_at {
            if expires_at <= Utc::now() {
                errors.add("expires_at", "must be in the future");
            } else if !crate::validation::is_storable_time(&expires_at) {
                errors.add("expires_at", "must be before the year 10000");
            }
        }
        errors.into_result()
    }
}

/// `POST /api-keys` answer: the only time the key is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CreatedApiKey {
    /// The secret key (`sk_…`); store it now, it cannot be shown again.
    pub key: String,
    /// The key's record.
    pub api_key: ApiKey,
}

/// How `GET /api-keys` lists (the caller's own keys).
#[derive(Debug)]
pub struct ApiKeyListing;

impl Listing for ApiKeyListing {
    const DEFAULT_LIMIT: u32 = 20;
    const SORTABLE: &'static [&'static str] = &["name", "created_at", "expires_at", "last_used_at"];
    type Filters = Empty;
}

/// `GET /api-keys` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ApiKeyList {
    /// This page of keys.
    pub api_keys: Vec<ApiKey>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for ApiKeyList {
    type Item = ApiKey;
    fn items(&self) -> &[ApiKey] {
        &self.api_keys
    }
    fn into_items(self) -> Vec<ApiKey> {
        self.api_keys
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}
