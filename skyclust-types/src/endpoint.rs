//! How an operation is declared: one [`Endpoint`] impl per operation, consumed by the
//! OpenAPI generator, the server's router and the SDK alike.

use std::borrow::Cow;

use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::{Components, RefOr, Schema};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::{ErrorCode, Permission};

/// How long a server remembers an idempotency key's first result: one day.
pub const IDEMPOTENCY_KEY_TTL_SECS: u64 = 24 * 60 * 60;

/// Whether `key` is an acceptable idempotency key: 1 to 255 visible ASCII characters (a UUID
/// is a good choice).
///
/// ```
/// use skyclust_types::endpoint::is_valid_idempotency_key;
/// assert!(is_valid_idempotency_key("3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e"));
/// assert!(!is_valid_idempotency_key("") && !is_valid_idempotency_key("two words"));
/// ```
pub fn is_valid_idempotency_key(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name, e.g. `GET`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether repeating the request has no further effect (safe to retry).
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch)
    }
}

/// The request header that makes a POST safe to repeat.
#[deprecated(note = "use skyclust_types::headers::IDEMPOTENCY_KEY")]
pub const IDEMPOTENCY_KEY_HEADER: &str = crate::headers::IDEMPOTENCY_KEY;

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone; credentials are not looked at.
    Public,
    /// Anyone; credentials, when sent, must be valid and may enrich the answer.
    Optional,
    /// An authenticated caller whose role grants the permission, if one is named.
    Authenticated(Option<Permission>),
}

impl Access {
    /// The permission the caller's role must grant, if any.
    pub const fn permission(self) -> Option<Permission> {
        match self {
            Access::Authenticated(permission) => permission,
            _ => None,
        }
    }
}

/// How calls of an operation appear in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Audit {
    /// The `action`, e.g. `create`.
    pub action: &'static str,
    /// The `resource`, e.g. `user`.
    pub resource: &'static str,
}

/// One operation of the API: everything the server, the SDK and the OpenAPI document need.
///
/// ```
/// use skyclust_types::{Endpoint, Method, operations::auth::Login};
/// assert_eq!(Login::METHOD, Method::Post);
/// assert_eq!(Login::PATH, "/auth/login");
/// ```
pub trait Endpoint: Send + Sync + 'static {
    /// The OpenAPI `operationId`, unique across the API.
    const ID: &'static str;
    /// The HTTP method.
    const METHOD: Method;
    /// The path below `/api/v1`, with `{name}` placeholders for [`Endpoint::Path`]'s fields.
    const PATH: &'static str;
    /// The OpenAPI tag grouping this operation.
    const TAG: &'static str;
    /// A one-line summary.
    const SUMMARY: &'static str;
    /// A longer description (may be empty).
    const DESCRIPTION: &'static str = "";
    /// The status of a successful answer.
    const STATUS: u16 = 200;
    /// The envelope's `message` on success, if any.
    const MESSAGE: Option<&'static str> = None;
    /// Who may call it.
    const ACCESS: Access;
    /// How a call is recorded in the audit log; every state-changing operation has one.
    const AUDIT: Option<Audit> = None;
    /// Whether calls count against the caller's rate limit (`GET /health` does not).
    const RATE_LIMITED: bool = true;
    /// Whether the operation takes an [`crate::headers::IDEMPOTENCY_KEY`]: a request repeating a key
    /// (same caller, same body, within [`IDEMPOTENCY_KEY_TTL_SECS`]) answers the first
    /// request's result instead of doing the work again; the same key with another body is a
    /// 409.
    const IDEMPOTENT_WITH_KEY: bool = false;
    /// Errors this operation can answer beyond those implied by its inputs and access
    /// (validation, authentication, permission, body size, rate limit and internal errors
    /// are added automatically).
    const ERRORS: &'static [ErrorCode] = &[];

    /// Path parameters, substituted into [`Endpoint::PATH`].
    type Path: Params;
    /// Query parameters.
    type Query: Params + crate::Validate;
    /// The JSON request body, or [`Empty`].
    type Body: Payload + crate::Validate;
    /// The envelope's `data` on success, or [`Empty`].
    type Response: Payload;
}

/// A set of path or query parameters.
pub trait Params: IntoParams + Serialize + DeserializeOwned + Send + Sync + 'static {}
impl<T: IntoParams + Serialize + DeserializeOwned + Send + Sync + 'static> Params for T {}

/// A request body or response `data` type.
pub trait Payload: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Whether a value travels at all ([`Empty`] does not).
    const PRESENT: bool = true;

    /// Registers the type's schemas in `components` and returns a reference to it.
    fn describe(components: &mut Components) -> Option<RefOr<Schema>>;

    /// The top-level fields the type has, as documented (every variant's, for a `oneOf`); the
    /// server names them when a request sends one it does not know.
    fn fields() -> Vec<String> {
        let mut components = Components::new();
        let mut fields = Vec::new();
        if let Some(schema) = Self::describe(&mut components) {
            collect_fields(&schema, &components, &mut fields, 0);
        }
        fields
    }

    /// The top-level fields a request must send, as documented (none for a `oneOf`, whose
    /// variants differ); the server names every one missing at once.
    fn required_fields() -> Vec<String> {
        let mut components = Components::new();
        let Some(RefOr::Ref(reference)) = Self::describe(&mut components) else { return Vec::new() };
        let name = reference.ref_location.rsplit('/').next().unwrap_or_default();
        match components.schemas.get(name) {
            Some(RefOr::T(Schema::Object(object))) => object.required.clone(),
            _ => Vec::new(),
        }
    }
}

fn collect_fields(schema: &RefOr<Schema>, components: &Components, fields: &mut Vec<String>, depth: usize) {
    let schema = match schema {
        RefOr::Ref(reference) if depth < 4 => {
            let name = reference.ref_location.rsplit('/').next().unwrap_or_default();
            match components.schemas.get(name) {
                Some(schema) => return collect_fields(schema, components, fields, depth + 1),
                None => return,
            }
        }
        RefOr::Ref(_) => return,
        RefOr::T(schema) => schema,
    };
    match schema {
        Schema::Object(object) => {
            for name in object.properties.keys() {
                if !fields.contains(name) {
                    fields.push(name.clone());
                }
            }
        }
        Schema::OneOf(one_of) => {
            for item in &one_of.items {
                collect_fields(item, components, fields, depth + 1);
            }
        }
        Schema::AllOf(all_of) => {
            for item in &all_of.items {
                collect_fields(item, components, fields, depth + 1);
            }
        }
        _ => {}
    }
}

impl<T: ToSchema + Serialize + DeserializeOwned + Send + Sync + 'static> Payload for T {
    fn describe(components: &mut Components) -> Option<RefOr<Schema>> {
        let mut schemas = vec![(T::name().into_owned(), T::schema())];
        T::schemas(&mut schemas);
        for (name, schema) in schemas {
            components.schemas.entry(name).or_insert(schema);
        }
        Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(T::name())))
    }
}

/// No body, no data, no parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Empty {}

impl Payload for Empty {
    const PRESENT: bool = false;

    fn describe(_: &mut Components) -> Option<RefOr<Schema>> {
        None
    }
}

impl crate::Validate for Empty {
    fn validate(&self) -> Result<(), crate::FieldErrors> {
        Ok(())
    }
}

impl IntoParams for Empty {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        Vec::new()
    }
}

/// The path of every operation on one resource: `{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Path)]
pub struct IdPath {
    /// The resource's id.
    pub id: Uuid,
}

impl From<Uuid> for IdPath {
    fn from(id: Uuid) -> Self {
        IdPath { id }
    }
}

/// Fills `{name}` placeholders of `template` from `params`' serialized fields.
///
/// ```
/// use skyclust_types::{IdPath, endpoint::expand_path};
/// let id = uuid::Uuid::nil();
/// assert_eq!(
///     expand_path("/workspaces/{id}", &IdPath { id }).unwrap(),
///     "/workspaces/00000000-0000-0000-0000-000000000000"
/// );
/// ```
pub fn expand_path<P: Serialize>(template: &str, params: &P) -> Result<String, String> {
    let values = serde_json::to_value(params).map_err(|error| error.to_string())?;
    let mut path = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map(|offset| start + offset)
            .ok_or_else(|| format!("unclosed placeholder in {template}"))?;
        path.push_str(&rest[..start]);
        let name = &rest[start + 1..end];
        let value: Cow<'_, str> = match values.get(name) {
            Some(serde_json::Value::String(text)) => Cow::Borrowed(text),
            Some(serde_json::Value::Number(number)) => Cow::Owned(number.to_string()),
            _ => return Err(format!("no value for path parameter {name}")),
        };
        path.push_str(&percent_encode_segment(&value));
        rest = &rest[end + 1..];
    }
    path.push_str(rest);
    Ok(path)
}

fn percent_encode_segment(segment: &str) -> Cow<'_, str> {
    let unreserved = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
    if segment.bytes().all(unreserved) {
        return Cow::Borrowed(segment);
    }
    let mut encoded = String::with_capacity(segment.len() * 3);
    for byte in segment.bytes() {
        if unreserved(byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Cow::Owned(encoded)
}

/// What the document generator and the drift tests know about an operation,
/// captured from its [`Endpoint`] impl.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// [`Endpoint::ID`].
    pub id: &'static str,
    /// [`Endpoint::METHOD`].
    pub method: Method,
    /// [`Endpoint::PATH`].
    pub path: &'static str,
    /// [`Endpoint::STATUS`].
    pub status: u16,
    /// [`Endpoint::ACCESS`].
    pub access: Access,
    /// [`Endpoint::AUDIT`].
    pub audit: Option<Audit>,
    /// [`Endpoint::RATE_LIMITED`].
    pub rate_limited: bool,
    pub(crate) document: fn(&mut Components) -> utoipa::openapi::path::Operation,
}

impl Operation {
    /// Captures `E`'s declaration.
    pub const fn of<E: Endpoint>() -> Operation {
        Operation {
            id: E::ID,
            method: E::METHOD,
            path: E::PATH,
            status: E::STATUS,
            access: E::ACCESS,

            audit: E::AUDIT,
            rate_limited: E::RATE_LIMITED,
            document: crate::openapi::operation::<E>,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_expansion_encodes_and_rejects_missing() {
        #[derive(Serialize)]
        struct Two {
            id: &'static str,
            user_id: u32,
        }
        assert_eq!(
            expand_path("/w/{id}/members/{user_id}", &Two { id: "a b", user_id: 7 }).unwrap(),
            "/w/a%20b/members/7"
        );
        assert!(expand_path("/w/{missing}", &Empty {}).is_err());
    }
}
