//! Builds the OpenAPI 3.1 document from the operation declarations in [`crate::operations`].

use std::collections::BTreeMap;

use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    Components, Content, InfoBuilder, OpenApi, OpenApiBuilder, Paths, Ref, RefOr, Required, Schema,
    ServerBuilder,
};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::endpoint::{Access, Endpoint, Method, Payload};
use crate::{ErrorCode, ErrorResponse, headers, operations};

/// The text fields request bodies set, by name, and the pattern the server holds each to: a
/// `name` is a display name, a `description` free text, an image or key pair one line, an
/// instance id a provider's identifier (see [`crate::validation`]).
const TEXT_RULES: &[(&str, &str)] = &[
    ("name", crate::validation::DISPLAY_NAME_PATTERN),
    ("description", crate::validation::TEXT_PATTERN),
    ("image_id", crate::validation::LINE_PATTERN),
    ("key_pair", crate::validation::LINE_PATTERN),
    ("provider_instance_id", crate::validation::IDENTIFIER_PATTERN),
];

/// Marks a request body's (or a `/ws` client message's) object schemas, every variant of a
/// `oneOf` too, as closed: the server refuses fields they do not list, and the document says so.
/// Its text fields get the patterns of [`TEXT_RULES`].
fn close(schema: &RefOr<utoipa::openapi::Schema>, components: &mut Components, depth: usize) {
    use utoipa::openapi::Schema;
    use utoipa::openapi::schema::AdditionalProperties;
    let RefOr::Ref(reference) = schema else { return };
    let name = reference.ref_location.rsplit('/').next().unwrap_or_default().to_owned();
    let close_object = |object: &mut utoipa::openapi::schema::Object| {
        object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        for (property, pattern) in TEXT_RULES {
            if let Some(RefOr::T(Schema::Object(field))) = object.properties.get_mut(*property) {
                field.pattern = Some((*pattern).to_owned());
            }
        }
    };
    let variants = match components.schemas.get_mut(&name) {
        Some(RefOr::T(Schema::Object(object))) => return close_object(object),
        Some(RefOr::T(Schema::OneOf(one_of))) if depth < 2 => {
            // Variants written inline (an internally tagged enum's) are closed in place.
            for variant in &mut one_of.items {
                if let RefOr::T(Schema::Object(object)) = variant {
                    close_object(object);
                }
            }
            one_of.items.clone()
        }
        _ => return,
    };
    for variant in &variants {
        close(variant, components, depth + 1);
    }
}

/// The base path every operation's `PATH` is relative to.
pub const BASE_PATH: &str = "/api/v1";
/// Security scheme name of `Authorization: Bearer <jwt>`.
pub const BEARER_SCHEME: &str = "bearerAuth";
/// Security scheme name of `X-API-Key`.
pub const API_KEY_SCHEME: &str = "apiKeyAuth";
/// The request id header, echoed on every response.
#[deprecated(note = "use skyclust_types::headers::REQUEST_ID")]
pub const REQUEST_ID_HEADER: &str = crate::headers::REQUEST_ID;

const TAGS: &[(&str, &str)] = &[
    ("auth", "Registration, sign-in and the current caller"),
    ("api-keys", "API keys for service-to-service calls"),
    ("users", "User administration"),
    ("audit-logs", "The audit log"),
    ("workspaces", "Workspaces and their members"),
    ("credentials", "Cloud credentials, stored encrypted"),
    ("notifications", "Your notifications"),
    ("vms", "Virtual machines on your clouds"),
    ("costs", "Prices and cost analysis"),
    ("health", "Liveness and dependency checks"),
];

/// The OpenAPI document of the whole API, built from [`operations::ALL`].
///
/// ```
/// let doc = skyclust_types::openapi();
/// assert!(doc.paths.paths.contains_key("/auth/login"));
/// ```
pub fn openapi() -> OpenApi {
    let mut components = Components::new();
    components.add_security_scheme(
        BEARER_SCHEME,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some("A token from `POST /auth/register` or `POST /auth/login`"))
                .build(),
        ),
    );
    components.add_security_scheme(
        API_KEY_SCHEME,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            headers::API_KEY,
            "An API key, for service-to-service calls",
        ))),
    );
    ErrorResponse::describe(&mut components);
    // The WebSocket protocol of `GET /ws` is not an HTTP operation, but its messages are part
    // of the contract: generated SDKs get their types from these schemas.
    crate::events::ServerMessage::describe(&mut components);
    if let Some(client_message) = crate::events::ClientMessage::describe(&mut components) {
        close(&client_message, &mut components, 0);
    }

    let mut paths = Paths::new();
    for operation in operations::ALL {
        let method = match operation.method {
            Method::Get => HttpMethod::Get,
            Method::Post => HttpMethod::Post,
            Method::Put => HttpMethod::Put,
            Method::Patch => HttpMethod::Patch,
            Method::Delete => HttpMethod::Delete,
        };
        paths.add_path_operation(operation.path, vec![method], (operation.document)(&mut components));
    }

    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("SkyClust API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Manage VMs across cloud providers from one place: workspaces, encrypted credentials, \
                     VM lifecycle, cost analysis, notifications and audit logs.\n\n\
                     Every response uses one envelope: `{success, message?, data?, request_id, timestamp}` \
                     on success and `{success: false, error, code, data?, request_id, timestamp}` on error. \
                     The permission an operation needs is given in its `x-required-permission` extension.\n\n\
                     Real-time events: connect to `ws://HOST:PORT/ws`, send a `ClientMessage` of type `auth` \
                     (`token` or `api_key`) within 10 seconds, receive `auth_success`, then `Event`s you may see \
                     (`vm_status_changed`, `cost_updated`, `notification_received`, `audit_log_created`); \
                     `subscribe` narrows them by type and workspace, `ping` answers `pong`. Close codes: 4001 \
                     unauthenticated (also after logout or key revocation), 4008 too slow to keep up, 1001 \
                     server shutting down, 1009 a message over 64 KiB, 1002 a malformed frame, 4029 the user \
                     already holds the most sessions allowed. An address holding the most connections allowed \
                     is refused the upgrade with 429; messages beyond a client's budget per minute are \
                     answered with a `RATE_LIMITED` error and not processed.",

                ))
                .build(),
        )
        .servers(Some([ServerBuilder::new().url(BASE_PATH).description(Some("This server")).build()]))
        .tags(Some(TAGS.iter().map(|(name, description)| {
            TagBuilder::new().name(*name).description(Some(*description)).build()
        })))
        .paths(paths)
        .components(Some(components))
        .build()
}

/// The document as committed in `openapi.json`: pretty JSON with a trailing newline.
pub fn openapi_json() -> String {
    let mut json = openapi().to_pretty_json().expect("the OpenAPI document serializes");
    json.push('\n');
    json
}

/// Builds one operation's entry from its declaration.
pub(crate) fn operation<E: Endpoint>(components: &mut Components) -> utoipa::openapi::path::Operation {
    let path_params = E::Path::into_params(|| Some(ParameterIn::Path));
    let query_params = E::Query::into_params(|| Some(ParameterIn::Query));
    let has_input = !path_params.is_empty() || !query_params.is_empty() || E::Body::PRESENT;

    let mut builder = OperationBuilder::new()
        .operation_id(Some(E::ID))
        .tag(E::TAG)
        .summary(Some(E::SUMMARY))
        .parameters(Some(path_params.into_iter().chain(query_params)));
    if E::IDEMPOTENT_WITH_KEY {
        builder = builder.parameter(idempotency_key_parameter());
    }
    let mut description = E::DESCRIPTION.to_owned();

    if let Some(schema) = E::Body::describe(components) {
        close(&schema, components, 0);
        builder = builder.request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", Content::new(Some(schema)))
                .required(Some(Required::True))
                .build(),
        ));
    }

    match E::ACCESS {
        Access::Public => builder = builder.securities(Some(Vec::new())),
        Access::Optional => {
            builder = builder.securities(Some([
                SecurityRequirement::default(),
                SecurityRequirement::new(BEARER_SCHEME, Vec::<String>::new()),
                SecurityRequirement::new(API_KEY_SCHEME, Vec::<String>::new()),
            ]))
        }
        Access::Authenticated(permission) => {
            builder = builder.securities(Some([
                SecurityRequirement::new(BEARER_SCHEME, Vec::<String>::new()),
                SecurityRequirement::new(API_KEY_SCHEME, Vec::<String>::new()),
            ]));
            if let Some(permission) = permission {
                builder = builder.extensions(Some(
                    ExtensionsBuilder::new().add("x-required-permission", permission.as_str()).build(),
                ));
                if !description.is_empty() {
                    description.push_str("\n\n");
                }
                description.push_str(&format!("Requires the `{}` permission.", permission.as_str()));
            }
        }
    }
    if !description.is_empty() {
        builder = builder.description(Some(description));
    }

    let success = ResponseBuilder::new()
        .description(E::MESSAGE.unwrap_or(E::SUMMARY))
        .content("application/json", Content::new(Some(success_envelope(E::Response::describe(components)))))
        .header(headers::REQUEST_ID, request_id_header());
    builder = builder.response(E::STATUS.to_string(), with_rate_limit_headers::<E>(success).build());

    let mut errors: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    let mut declare = |code: ErrorCode| {
        let codes = errors.entry(code.status()).or_default();
        if !codes.contains(&code) {
            codes.push(code);
        }
    };
    if has_input {
        declare(ErrorCode::ValidationError);
    }
    match E::ACCESS {
        Access::Public => {}
        Access::Optional => declare(ErrorCode::Unauthorized),
        Access::Authenticated(permission) => {
            declare(ErrorCode::Unauthorized);
            // Read-only API keys are refused every operation that is not a GET.
            if permission.is_some() || E::METHOD != Method::Get {
                declare(ErrorCode::Forbidden);
            }
        }
    }
    if E::Body::PRESENT {
        declare(ErrorCode::PayloadTooLarge);
    }
    for code in E::ERRORS {
        declare(*code);
    }
    declare(ErrorCode::RateLimited);
    declare(ErrorCode::InternalError);
    // A busy database pool can answer any operation with 503 and `Retry-After`.
    declare(ErrorCode::ServiceUnavailable);

    for (status, codes) in errors {
        let description = codes.iter().map(|code| code.description()).collect::<Vec<_>>().join("; ");
        let mut response = ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(RefOr::Ref(Ref::from_schema_name(ErrorResponse::name())))),
            )
            .header(headers::REQUEST_ID, request_id_header());
        if status == 429 {
            response = response.header(
                headers::RETRY_AFTER,
                HeaderBuilder::new()
                    .schema(Some(integer_schema()))
                    .description(Some("Seconds to wait before retrying"))
                    .build(),
            );
        }
        builder = builder.response(status.to_string(), with_rate_limit_headers::<E>(response).build());
    }
    builder.build()
}

fn with_rate_limit_headers<E: Endpoint>(response: ResponseBuilder) -> ResponseBuilder {
    if !E::RATE_LIMITED {
        return response;
    }
    let header = |description: &str| {
        HeaderBuilder::new().schema(Some(integer_schema())).description(Some(description)).build()
    };
    response
        .header(headers::RATE_LIMIT_LIMIT, header("Requests allowed in the current window"))
        .header(headers::RATE_LIMIT_REMAINING, header("Requests left in the current window"))
        .header(headers::RATE_LIMIT_RESET, header("When the window resets (unix seconds)"))
}

fn success_envelope(data: Option<RefOr<Schema>>) -> RefOr<Schema> {
    let mut envelope = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("success", ObjectBuilder::new().schema_type(Type::Boolean).enum_values(Some([true])))
        .required("success")
        .property("message", String::schema());
    if let Some(data) = data {
        envelope = envelope.property("data", data).required("data");
    }
    envelope
        .property("request_id", String::schema())
        .required("request_id")
        .property(
            "timestamp",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .required("timestamp")
        .into()
}

fn idempotency_key_parameter() -> utoipa::openapi::path::Parameter {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(255))
        .pattern(Some("^[\\x21-\\x7E]+$"));
    utoipa::openapi::path::ParameterBuilder::new()
        .name(headers::IDEMPOTENCY_KEY)
        .parameter_in(ParameterIn::Header)
        .required(utoipa::openapi::Required::False)
        .description(Some(
            "Makes the request safe to repeat: the same key with the same body answers the first result \
             for a day; with another body, 409.",
        ))
        .schema(Some(schema))
        .build()
}

fn request_id_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(String::schema()))
        .description(Some("The request id: the caller's valid `X-Request-ID`, or a generated `req_…`"))
        .build()
}

fn integer_schema() -> RefOr<Schema> {
    ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(0)).into()
}
