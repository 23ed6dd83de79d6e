//! The rule table that checks a credential request's `data`, field by field, reporting every
//! problem at once; the typed structs in `data.rs` document each field with its rule.

use serde_json::{Map, Value};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use uuid::Uuid;

use super::Provider;
use crate::validation::{FieldErrors, Sent};

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
const SANDBOX: &[Field] = &[Field { name: "region", required: false, rule: Rule::AwsRegion }];

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
pub(super) mod schema {
    use super::Rule;
    use utoipa::openapi::schema::ObjectBuilder;

    macro_rules! rule_schemas {
        ($($function:ident => $rule:ident),* $(,)?) => {
            $(pub(in crate::credentials) fn $function() -> ObjectBuilder {
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
