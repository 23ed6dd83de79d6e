//! What each provider's credentials hold: one typed struct per provider (the schemas
//! `AwsCredentialData`… in `openapi.json` derive from them, each field documented by its rule in
//! `rules.rs`, which checks a request's `data`).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::Provider;
use super::rules::schema as rule;

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
    /// The default region (the sandbox runs in the AWS regions the price catalog lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = rule::aws_region)]
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
            /// [`check_data`](super::check_data) to know whether the values are valid.
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
