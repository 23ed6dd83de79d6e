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
use crate::validation::{FieldErrors, Sent, Validate, check_display_name};
use crate::workspaces::NAME_MAX_CHARS;

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateCredentialRequest {
    /// 1–255 characters, unique among your credentials.
    pub name: String,
    /// The cloud it is for.
    pub provider: Provider,
    /// The provider's fields.
    pub data: Map<String, Value>,
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
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
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

impl Validate for UpdateCredentialRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Some(name) = &self.name {
            check_display_name(&mut errors, "name", name, NAME_MAX_CHARS);
        }
        errors.into_result()
    }
}

/// A provider field: its name, whether it must be present, and its rule.
struct Field {
    name: &'static str,
    required: bool,
    rule: Rule,
}

#[derive(Clone, Copy)]
enum Rule {
    /// `^[A-Z0-9]{16,128}$`
    AccessKey,
    /// 16–256 characters.
    Secret,
    /// `^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`
    AwsRegion,
    /// 1–4096 characters.
    Text,
    /// A UUID.
    Uuid,
    /// An email address.
    Email,
    /// A PEM private key.
    PrivateKey,
    /// Exactly `service_account`.
    ServiceAccount,
    /// A Google Cloud project id: `^[a-z][a-z0-9-]{4,28}[a-z0-9]$`.
    GcpProject,
    /// An `https://` (or `http://`) URL of up to 2048 characters.
    Url,
    /// Exactly `googleapis.com`: SkyClust calls Google Cloud's public universe.
    GoogleUniverse,
    /// An Azure resource group name: 1–90 letters, digits, `_`, `-`, `.`, `(`, `)`, not
    /// ending with `.`.
    ResourceGroup,
}

const AWS: &[Field] = &[
    Field { name: "access_key", required: true, rule: Rule::AccessKey },
    Field { name: "secret_key", required: true, rule: Rule::Secret },
    Field { name: "region", required: true, rule: Rule::AwsRegion },
    Field { name: "session_token", required: false, rule: Rule::Text },
];
// The service-account key file exactly as Google Cloud's console downloads it.
const GCP: &[Field] = &[
    Field { name: "type", required: true, rule: Rule::ServiceAccount },
    Field { name: "project_id", required: true, rule: Rule::GcpProject },
    Field { name: "private_key_id", required: true, rule: Rule::Text },
    Field { name: "private_key", required: true, rule: Rule::PrivateKey },
    Field { name: "client_email", required: true, rule: Rule::Email },
    Field { name: "client_id", required: false, rule: Rule::Text },
    Field { name: "auth_uri", required: false, rule: Rule::Url },
    Field { name: "token_uri", required: false, rule: Rule::Url },
    Field { name: "auth_provider_x509_cert_url", required: false, rule: Rule::Url },
    Field { name: "client_x509_cert_url", required: false, rule: Rule::Url },
    Field { name: "universe_domain", required: false, rule: Rule::GoogleUniverse },
];
const AZURE: &[Field] = &[
    Field { name: "tenant_id", required: true, rule: Rule::Uuid },
    Field { name: "client_id", required: true, rule: Rule::Uuid },
    Field { name: "client_secret", required: true, rule: Rule::Secret },
    Field { name: "subscription_id", required: true, rule: Rule::Uuid },
    Field { name: "resource_group", required: true, rule: Rule::ResourceGroup },
];
const SANDBOX: &[Field] = &[Field { name: "region", required: false, rule: Rule::Text }];

fn fields(provider: Provider) -> &'static [Field] {
    match provider {
        Provider::Aws => AWS,
        Provider::Gcp => GCP,
        Provider::Azure => AZURE,
        Provider::Sandbox => SANDBOX,
    }
}

/// Checks `data` against `provider`'s fields, naming each problem as `data.<field>`.
pub fn check_data(errors: &mut FieldErrors, provider: Provider, data: &Map<String, Value>) {
    let known = fields(provider);
    let unknown: Vec<&String> =
        data.keys().filter(|key| !known.iter().any(|field| field.name == *key)).collect();
    let message = format!("is not a field of {} credentials", provider.as_str());
    let named: Vec<String> =
        unknown.iter().take(crate::validation::UNKNOWN_FIELDS_NAMED).map(|key| key.to_string()).collect();
    errors.add_unknown(Sent::Object("data"), &named, unknown.len(), &message, &message);
    for field in known {
        let path = format!("data.{}", field.name);
        match data.get(field.name) {
            None if field.required => errors.add(path, "is required"),
            None => {}
            Some(Value::String(value)) => {
                if let Some(problem) = field.rule.check(value) {
                    errors.add(path, problem);
                }
            }
            Some(_) => errors.add(path, "must be a string"),
        }
    }
}

impl Rule {
    fn check(self, value: &str) -> Option<&'static str> {
        let length = value.chars().count();
        let ok = match self {
            Rule::AccessKey => {
                (16..=128).contains(&value.len())
                    && value.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            Rule::Secret => (16..=256).contains(&length),
            Rule::AwsRegion => is_aws_region(value),
            Rule::Text => (1..=4096).contains(&length),
            Rule::Uuid => Uuid::parse_str(value).is_ok() && value.len() == 36,
            Rule::Email => {
                let mut errors = FieldErrors::default();
                crate::validation::check_email(&mut errors, "email", value);
                errors.is_empty()
            }
            // 4096 characters hold a 4096-bit RSA key in PKCS#8 PEM (about 3,300) and bound the
            // signature a stored key costs to check.
            Rule::PrivateKey => {
                length <= 4096
                    && value
                        .find("-----BEGIN")
                        .is_some_and(|start| value[start + "-----BEGIN".len()..].contains("PRIVATE KEY-----"))
            }

            Rule::ServiceAccount => value == "service_account",
            Rule::GcpProject => is_gcp_project(value),
            Rule::GoogleUniverse => value == "googleapis.com",
            Rule::ResourceGroup => is_resource_group(value),
            Rule::Url => {
                value.len() <= 2048
                    && (value.starts_with("https://") || value.starts_with("http://"))
                    && !value.chars().any(|c| c.is_whitespace() || c.is_control())
            }
        };
        (!ok).then_some(match self {
            Rule::AccessKey => "must be 16 to 128 upper-case letters and digits",
            Rule::Secret => "must be between 16 and 256 characters",
            Rule::AwsRegion => "must be an AWS region such as us-east-1",
            Rule::Text => "must be between 1 and 4096 characters",
            Rule::Uuid => "must be a UUID",
            Rule::Email => "must be a valid email address",
            Rule::PrivateKey => "must be a PEM private key",
            Rule::ServiceAccount => "must be \"service_account\"",
            Rule::GcpProject => {
                "must be a Google Cloud project id (6 to 30 lower-case letters, digits and '-')"
            }
            Rule::Url => "must be an http(s) URL",
            Rule::GoogleUniverse => "must be \"googleapis.com\"",
            Rule::ResourceGroup => {
                "must be an Azure resource group name (1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.')"
            }
        })
    }

    fn schema(self) -> ObjectBuilder {
        let string = ObjectBuilder::new().schema_type(Type::String);
        match self {
            Rule::AccessKey => string.pattern(Some("^[A-Z0-9]{16,128}$")),
            Rule::Secret => string.min_length(Some(16)).max_length(Some(256)),
            Rule::AwsRegion => string.pattern(Some("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")),
            Rule::Text => string.min_length(Some(1)).max_length(Some(4096)),
            Rule::Uuid => string
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Uuid))),
            Rule::Email => string.format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Email,
            ))),
            Rule::PrivateKey => {
                string.pattern(Some("-----BEGIN[\\s\\S]*PRIVATE KEY-----")).max_length(Some(4096))
            }
            Rule::ServiceAccount => string.enum_values(Some(["service_account"])),
            Rule::GcpProject => string.pattern(Some("^[a-z][a-z0-9-]{4,28}[a-z0-9]$")),
            Rule::Url => string.pattern(Some("^https?://[^\\s]+$")).max_length(Some(2048)),
            Rule::GoogleUniverse => string.enum_values(Some(["googleapis.com"])),
            Rule::ResourceGroup => string.pattern(Some("^[-A-Za-z0-9_.()]{0,89}[-A-Za-z0-9_()]$")),
        }
    }
}

/// Whether `value` has the shape of an AWS region name (`us-east-1`, `ap-southeast-2`,
/// `us-gov-west-1`).
///
/// ```
/// use skyclust_types::credentials::is_aws_region;
/// assert!(is_aws_region("eu-west-1"));
/// assert!(!is_aws_region("Mars"));
/// ```
pub fn is_aws_region(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let lower = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase());
    parts.len() >= 3
        && parts[0].len() == 2
        && lower(parts[0])
        && parts[1..parts.len() - 1].iter().all(|part| lower(part))
        && parts
            .last()
            .is_some_and(|last| (1..=2).contains(&last.len()) && last.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `value` is a Google Cloud project id: 6–30 characters, lower-case letters, digits
/// and hyphens, starting with a letter and not ending with a hyphen.
///
/// ```
/// use skyclust_types::credentials::is_gcp_project;
/// assert!(is_gcp_project("my-project-123"));
/// assert!(!is_gcp_project("My Project"));
/// ```
pub fn is_gcp_project(value: &str) -> bool {
    let bytes = value.as_bytes();
    (6..=30).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes.last().is_some_and(|last| *last != b'-')
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// Whether `name` can be an Azure resource group: 1–90 letters, digits, `_`, `-`, `.`, `(`,
/// `)`, not ending with `.`.
///
/// ```
/// use skyclust_types::credentials::is_resource_group;
/// assert!(is_resource_group("skyclust-prod"));
/// assert!(!is_resource_group("bad/group"));
/// ```
pub fn is_resource_group(name: &str) -> bool {
    (1..=90).contains(&name.len())
        && !name.ends_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.()".contains(&b))
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
            let mut data = ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(format!("The fields of {} credentials.", provider.as_str())))
                .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
            for field in fields(provider) {
                data = data.property(field.name, field.rule.schema());
                if field.required {
                    data = data.required(field.name);
                }
            }
            let data_name = format!("{}CredentialData", capitalized(provider.as_str()));
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
            schemas.push((data_name, data.into()));
            schemas.push((variant_name(provider), variant.into()));
        }
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
