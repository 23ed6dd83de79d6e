//! What each provider's credentials hold: one typed struct per provider (the schemas
//! `AwsCredentialData`… in `openapi.json` derive from them) and the rule table that checks a
//! request's `data`, reporting every problem at once rather than serde's first.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use uuid::Uuid;

use super::Provider;
use crate::validation::{FieldErrors, Sent};

/// The fields of `aws` credentials: an IAM access key, and the region SkyClust works in by
/// default.
///
/// `Debug` shows neither the secret key nor the session token.
///
/// ```
/// use skyclust_types::credentials::AwsCredentialData;
/// let data = AwsCredentialData::new(
///     "AKIAIOSFODNN7EXAMPLE",
///     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
///     "us-east-1",
/// );
/// assert!(!format!("{data:?}").contains("wJalr"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(description = "The fields of aws credentials.")]
pub struct AwsCredentialData {
    /// The access key id (`AKIA…`).
    #[schema(schema_with = rule::access_key)]
    pub access_key: String,
    /// The secret access key.
    #[schema(schema_with = rule::secret)]
    pub secret_key: String,
    /// The default region, such as `us-east-1`.
    #[schema(schema_with = rule::aws_region)]
    pub region: String,
    /// A session token, for temporary credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::text)]
    pub session_token: Option<String>,
}

impl AwsCredentialData {
    /// Long-term access keys (no session token).
    pub fn new(
        access_key: impl Into<String>,
        secret_key: impl Into<String>,
        region: impl Into<String>,
    ) -> Self {
        AwsCredentialData {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            region: region.into(),
            session_token: None,
        }
    }
}

impl fmt::Debug for AwsCredentialData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentialData")
            .field("access_key", &self.access_key)
            .field("secret_key", &Redacted)
            .field("region", &self.region)
            .field("session_token", &self.session_token.as_ref().map(|_| Redacted))
            .finish()
    }
}

/// The fields of `gcp` credentials: a service-account key file exactly as Google Cloud's
/// console downloads it, so the file can be read straight into this struct.
///
/// `Debug` does not show the private key.
///
/// ```
/// use skyclust_types::credentials::GcpCredentialData;
/// let key_file = r#"{
///     "type": "service_account",
///     "project_id": "my-project",
///     "private_key_id": "0123abcd",
///     "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE…\n-----END PRIVATE KEY-----\n",
///     "client_email": "skyclust@my-project.iam.gserviceaccount.com"
/// }"#;
/// let data: GcpCredentialData = serde_json::from_str(key_file).unwrap();
/// assert_eq!(data.project_id, "my-project");
/// assert!(!format!("{data:?}").contains("MIIE"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(description = "The fields of gcp credentials.")]
pub struct GcpCredentialData {
    /// Always `service_account`.
    #[serde(rename = "type")]
    #[schema(schema_with = rule::service_account)]
    pub key_type: String,
    /// The project SkyClust works in.
    #[schema(schema_with = rule::gcp_project)]
    pub project_id: String,
    /// The key's id.
    #[schema(schema_with = rule::text)]
    pub private_key_id: String,
    /// The PEM private key.
    #[schema(schema_with = rule::private_key)]
    pub private_key: String,
    /// The service account's email address.
    #[schema(schema_with = rule::email)]
    pub client_email: String,
    /// The service account's numeric id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::text)]
    pub client_id: Option<String>,
    /// Google's OAuth endpoint, as the key file names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::url)]
    pub auth_uri: Option<String>,
    /// Google's token endpoint, as the key file names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::url)]
    pub token_uri: Option<String>,
    /// Where Google publishes its certificates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::url)]
    pub auth_provider_x509_cert_url: Option<String>,
    /// Where Google publishes this key's certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::url)]
    pub client_x509_cert_url: Option<String>,
    /// Always `googleapis.com` when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::google_universe)]
    pub universe_domain: Option<String>,
}

impl fmt::Debug for GcpCredentialData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GcpCredentialData")
            .field("project_id", &self.project_id)
            .field("private_key_id", &self.private_key_id)
            .field("private_key", &Redacted)
            .field("client_email", &self.client_email)
            .finish_non_exhaustive()
    }
}

/// The fields of `azure` credentials: a service principal and where its VMs go.
///
/// `Debug` does not show the client secret.
///
/// ```
/// use skyclust_types::credentials::AzureCredentialData;
/// let data = AzureCredentialData {
///     tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
///     client_id: "04b07795-8ddb-461a-bbee-02f9e1bf7b46".into(),
///     client_secret: "a-client-secret-of-40-characters-or-so".into(),
///     subscription_id: "0b1f6471-1bf0-4dda-aec3-cb9272f09590".into(),
///     resource_group: "skyclust-prod".into(),
/// };
/// assert!(!format!("{data:?}").contains("a-client-secret"));
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(description = "The fields of azure credentials.")]
pub struct AzureCredentialData {
    /// The directory (tenant) id.
    #[schema(schema_with = rule::uuid)]
    pub tenant_id: String,
    /// The application (client) id.
    #[schema(schema_with = rule::uuid)]
    pub client_id: String,
    /// The client secret.
    #[schema(schema_with = rule::secret)]
    pub client_secret: String,
    /// The subscription VMs are billed to.
    #[schema(schema_with = rule::uuid)]
    pub subscription_id: String,
    /// The resource group VMs are created in.
    #[schema(schema_with = rule::resource_group)]
    pub resource_group: String,
}

impl fmt::Debug for AzureCredentialData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AzureCredentialData")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &Redacted)
            .field("subscription_id", &self.subscription_id)
            .field("resource_group", &self.resource_group)
            .finish()
    }
}

/// The fields of `sandbox` credentials: none is needed; a default region may be named.
///
/// ```
/// use skyclust_types::credentials::SandboxCredentialData;
/// let data = SandboxCredentialData { region: Some("sandbox-1".into()) };
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(description = "The fields of sandbox credentials.")]
pub struct SandboxCredentialData {
    /// The default region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::text)]
    pub region: Option<String>,
}

/// Prints in place of a secret.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// One provider's credential fields, typed: what `CreateCredentialRequest::new` takes.
///
/// ```
/// use skyclust_types::Provider;
/// use skyclust_types::credentials::{CredentialData, SandboxCredentialData};
/// let data = CredentialData::from(SandboxCredentialData::default());
/// assert_eq!(data.provider(), Provider::Sandbox);
/// assert!(data.into_fields().is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialData {
    /// `aws` fields.
    Aws(AwsCredentialData),
    /// `gcp` fields.
    Gcp(GcpCredentialData),
    /// `azure` fields.
    Azure(AzureCredentialData),
    /// `sandbox` fields.
    Sandbox(SandboxCredentialData),
}

macro_rules! credential_data_from {
    ($($variant:ident($data:ty)),* $(,)?) => {
        $(impl From<$data> for CredentialData {
            fn from(data: $data) -> Self {
                CredentialData::$variant(data)
            }
        })*

        impl CredentialData {
            /// The provider these fields are for.
            pub fn provider(&self) -> Provider {
                match self {
                    $(CredentialData::$variant(_) => Provider::$variant,)*
                }
            }

            /// The fields as the request's `data` object carries them.
            pub fn into_fields(self) -> Map<String, Value> {
                let value = match self {
                    $(CredentialData::$variant(data) => serde_json::to_value(data),)*
                };
                match value {
                    Ok(Value::Object(fields)) => fields,
                    _ => unreachable!("a struct of strings serializes to a JSON object"),
                }
            }

            /// Reads `fields` as `provider`'s data: `None` when they do not have the shape
            /// of its struct (a field missing, unknown or not a string). The shape only: call
            /// [`check_data`] to know whether the values are valid.
            pub fn from_fields(provider: Provider, fields: Map<String, Value>) -> Option<CredentialData> {
                let fields = Value::Object(fields);
                match provider {
                    $(Provider::$variant => serde_json::from_value(fields).ok().map(CredentialData::$variant),)*
                }
            }
        }
    };
}

credential_data_from!(
    Aws(AwsCredentialData),
    Gcp(GcpCredentialData),
    Azure(AzureCredentialData),
    Sandbox(SandboxCredentialData)
);

/// A provider field: its name, whether it must be present, and its rule.
pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) required: bool,
    pub(super) rule: Rule,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum Rule {
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

pub(super) fn fields(provider: Provider) -> &'static [Field] {
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

    pub(super) fn schema(self) -> ObjectBuilder {
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

/// `#[schema(schema_with = …)]` takes a function: one per rule, so the documented constraints
/// of a field are those its rule checks. (It also replaces what a field's doc comment would
/// have added: the comments document the Rust struct, not `openapi.json`.)
mod rule {
    use super::Rule;
    use utoipa::openapi::schema::ObjectBuilder;

    macro_rules! rule_schemas {
        ($($function:ident => $rule:ident),* $(,)?) => {
            $(pub(super) fn $function() -> ObjectBuilder {
                Rule::$rule.schema()
            })*
        };
    }

    rule_schemas!(
        access_key => AccessKey,
        secret => Secret,
        aws_region => AwsRegion,
        text => Text,
        uuid => Uuid,
        email => Email,
        private_key => PrivateKey,
        service_account => ServiceAccount,
        gcp_project => GcpProject,
        url => Url,
        google_universe => GoogleUniverse,
        resource_group => ResourceGroup,
    );
}
