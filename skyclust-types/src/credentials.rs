//! Cloud credentials: stored encrypted, never shown again; answers carry a masked hint.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{IntoParams, PartialSchema, ToSchema};
use uuid::Uuid;

use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate, check_display_name};
use crate::workspaces::NAME_MAX_CHARS;

mod data;
mod rules;

pub use data::{
    AwsCredentialData, AzureCredentialData, CredentialData, GcpCredentialData, SandboxCredentialData,
};
pub use rules::{check_data, is_aws_region, is_gcp_project, is_resource_group};

/// A cloud provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// Amazon Web Services.
    Aws,
    /// Google Cloud.
    Gcp,
    /// Microsoft Azure.
    Azure,
    /// SkyClust's built-in simulated cloud.
    Sandbox,
}

impl Provider {
    /// Every provider.
    pub const ALL: [Provider; 4] = [Provider::Aws, Provider::Gcp, Provider::Azure, Provider::Sandbox];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
            Provider::Sandbox => "sandbox",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Provider> {
        crate::wire::parse(name)
    }
}

/// A stored credential as the API shows it: never its secrets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "9b2e4f1a-6c3d-4e5f-8a7b-1c2d3e4f5a6b",
    "name": "aws-prod",
    "provider": "aws",
    "is_active": true,
    "hint": "AKIA…WXYZ",
    "region": "us-east-1",
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z"
}))]
pub struct Credential {
    /// Id.
    pub id: Uuid,
    /// Name, unique among your credentials.
    pub name: String,
    /// The cloud it is for.
    pub provider: Provider,
    /// Whether VMs may use it.
    pub is_active: bool,
    /// A masked identifier to recognise it by (e.g. `AKIA…WXYZ`), never a secret.
    pub hint: String,
    /// The default region, where the provider has one.
    pub region: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// `POST /credentials` body: `data` holds the provider's fields (see the schema's variants).
/// `Debug` names the fields of `data`, never their values.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCredentialRequest {
    /// 1–255 characters, unique among your credentials.
    pub name: String,
    /// The cloud it is for.
    pub provider: Provider,
    /// The provider's fields.
    pub data: Map<String, Value>,
}

impl CreateCredentialRequest {
    /// A request to store `data` under `name`; the provider is the one `data` is for.
    ///
    /// ```
    /// use skyclust_types::{CreateCredentialRequest, Provider};
    /// use skyclust_types::credentials::AwsCredentialData;
    /// let request = CreateCredentialRequest::new(
    ///     "aws-prod",
    ///     AwsCredentialData::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1"),
    /// );
    /// assert_eq!(request.provider, Provider::Aws);
    /// assert_eq!(request.data["region"], "us-east-1");
    /// ```
    pub fn new(name: impl Into<String>, data: impl Into<CredentialData>) -> Self {
        let data = data.into();
        CreateCredentialRequest { name: name.into(), provider: data.provider(), data: data.into_fields() }
    }
}

impl Validate for CreateCredentialRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", &self.name, NAME_MAX_CHARS);
        check_data(&mut errors, self.provider, &self.data);
        errors.into_result()
    }
}

/// `PUT /credentials/{id}` body: absent fields keep their value; `data` replaces all fields.
/// `Debug` names the fields of `data`, never their values.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "aws-prod-rotated", "data": {
    "access_key": "AKIAIOSFODNN7EXAMPLE",
    "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "region": "us-east-1"
}}))]
pub struct UpdateCredentialRequest {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 255)]
    pub name: Option<String>,
    /// New provider fields, checked against the credential's provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub data: Option<Map<String, Value>>,
    /// Activate or deactivate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl UpdateCredentialRequest {
    /// Replaces all the provider fields with `data` (which must be for the credential's provider).
    ///
    /// ```
    /// use skyclust_types::{AwsCredentialData, UpdateCredentialRequest};
    /// let rotated = AwsCredentialData::new("AKIAIOSFODNN7ROTATED", "a-new-secret-key-0123456789", "us-east-1");
    /// let request = UpdateCredentialRequest::default().with_data(rotated);
    /// assert_eq!(request.data.unwrap()["access_key"], "AKIAIOSFODNN7ROTATED");
    /// ```
    pub fn with_data(mut self, data: impl Into<CredentialData>) -> Self {
        self.data = Some(data.into().into_fields());
        self
    }
}

// The provider fields hold secrets: only their names are printed.
fn field_names(data: &Map<String, Value>) -> Vec<&str> {
    data.keys().map(String::as_str).collect()
}

impl std::fmt::Debug for CreateCredentialRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateCredentialRequest")
            .field("name", &self.name)
            .field("provider", &self.provider)
            .field("data", &field_names(&self.data))
            .finish()
    }
}

impl std::fmt::Debug for UpdateCredentialRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateCredentialRequest")
            .field("name", &self.name)
            .field("data", &self.data.as_ref().map(field_names))
            .field("is_active", &self.is_active)
            .finish()
    }
}

impl Validate for UpdateCredentialRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Some(name) = &self.name {
            check_display_name(&mut errors, "name", name, NAME_MAX_CHARS);
        }
        errors.into_result()
    }
}

// The request is documented as one variant per provider (`AwsCredentialRequest`…), each pairing
// its `provider` value with its own `data` schema (`AwsCredentialData`…), so generated clients and
// fuzzers build only consistent requests.
impl PartialSchema for CreateCredentialRequest {
    fn schema() -> RefOr<Schema> {
        let mut variants = OneOfBuilder::new()
            .description(Some("A credential for one provider; `data` holds that provider's fields."));
        for provider in Provider::ALL {
            variants =
                variants.item(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(variant_name(provider))));
        }
        variants
            .examples([serde_json::json!({
                "name": "aws-prod",
                "provider": "aws",
                "data": {
                    "access_key": "AKIAIOSFODNN7EXAMPLE",
                    "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "region": "us-east-1"
                }
            })])
            .into()
    }
}

impl ToSchema for CreateCredentialRequest {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("CreateCredentialRequest")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        for provider in Provider::ALL {
            let (data_name, data) = data_schema(provider);
            let variant = ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(format!("A {} credential to store.", provider.as_str())))
                .property(
                    "name",
                    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(255)),
                )
                .required("name")
                .property(
                    "provider",
                    ObjectBuilder::new().schema_type(Type::String).enum_values(Some([provider.as_str()])),
                )
                .required("provider")
                .property("data", RefOr::Ref(utoipa::openapi::Ref::from_schema_name(data_name.clone())))
                .required("data");
            schemas.push((data_name, data));
            schemas.push((variant_name(provider), variant.into()));
        }
    }
}

/// The name and schema of `provider`'s data, derived from its struct.
fn data_schema(provider: Provider) -> (String, RefOr<Schema>) {
    fn of<T: ToSchema>() -> (String, RefOr<Schema>) {
        (T::name().into_owned(), T::schema())
    }
    match provider {
        Provider::Aws => of::<AwsCredentialData>(),
        Provider::Gcp => of::<GcpCredentialData>(),
        Provider::Azure => of::<AzureCredentialData>(),
        Provider::Sandbox => of::<SandboxCredentialData>(),
    }
}

fn variant_name(provider: Provider) -> String {
    format!("{}CredentialRequest", capitalized(provider.as_str()))
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// How `GET /credentials` lists: your own credentials.
#[derive(Debug)]
pub struct CredentialListing;

impl Listing for CredentialListing {
    const DEFAULT_LIMIT: u32 = 20;
    const SORTABLE: &'static [&'static str] = &["name", "provider", "created_at", "updated_at"];
    type Filters = CredentialFilters;
}

/// Filters of `GET /credentials`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CredentialFilters {
    /// Only credentials for these providers (repeatable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provider: Vec<Provider>,
    /// Only active (`true`) or inactive (`false`) credentials.
    #[serde(default, deserialize_with = "crate::list::flag", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl Validate for CredentialFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// `GET /credentials` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CredentialList {
    /// This page of credentials.
    pub credentials: Vec<Credential>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for CredentialList {
    type Item = Credential;
    fn items(&self) -> &[Credential] {
        &self.credentials
    }
    fn into_items(self) -> Vec<Credential> {
        self.credentials
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}

#[cfg(test)]
mod tests;
