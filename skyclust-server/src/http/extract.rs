//! Turning a request's path, query and body into typed values, with every failure answered
//! as a `VALIDATION_ERROR` (or 413) that names the offending field.

use axum::body::Body;
use axum::extract::path::ErrorKind;
use axum::extract::rejection::PathRejection;
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;
use skyclust_types::endpoint::Payload;
use skyclust_types::validation::{Sent, UNKNOWN_FIELDS_NAMED};
use skyclust_types::{ErrorCode, FieldErrors, Validate};

use crate::error::{ApiError, ApiResult};

/// Deserializes path parameters, explaining which one is malformed.
pub fn path_error(rejection: PathRejection) -> ApiError {
    let PathRejection::FailedToDeserializePathParams(error) = rejection else {
        return ApiError::internal(format_args!("path extraction: {rejection}"));
    };
    match error.kind() {
        ErrorKind::ParseErrorAtKey { key, expected_type, .. } => {
            ApiError::invalid_field(key, describe_expected(expected_type))
        }
        ErrorKind::InvalidUtf8InPathParam { key } => ApiError::invalid_field(key, "must be valid UTF-8"),
        ErrorKind::DeserializeError { key, message, .. } => {
            ApiError::invalid_field(key, sanitize_serde_message(message).text)
        }
        _ => ApiError::invalid_field("path", "malformed path parameter"),
    }
}

const NOT_A_UUID: &str = "must be a valid UUID";

fn describe_expected(expected_type: &str) -> String {
    if expected_type.contains("Uuid") {
        NOT_A_UUID.to_owned()
    } else {
        format!("must be a valid {}", expected_type.rsplit("::").next().unwrap_or(expected_type))
    }
}

/// Why text holding the NUL character is refused: PostgreSQL cannot store it in text, so every
/// backend refuses it alike, before anything reaches the database.
const NO_NUL: &str = "text may not contain the NUL character (\\u0000)";

/// Whether a JSON text holds the NUL character, which it can only spell `\u0000` (a backslash
/// appears only inside strings, and `\\` is an escaped backslash, not an escape).
fn holds_nul(json: &[u8]) -> bool {
    let mut escaped = false;
    for (at, byte) in json.iter().enumerate() {
        if escaped {
            if *byte == b'u' && json.get(at + 1..at + 5) == Some(b"0000".as_slice()) {
                return true;
            }
            escaped = false;
        } else if *byte == b'\\' {
            escaped = true;
        }
    }
    false
}

/// Deserializes the query string; repeated keys become lists. Parameters not among `known`
/// (the names the operation's document gives) are refused.
pub fn query<T: DeserializeOwned + Validate>(raw: Option<&str>, known: &[String]) -> ApiResult<T> {
    let raw = raw.unwrap_or("");
    // A decoded NUL can only come from `%00`.
    if raw.contains("%00") {
        return Err(ApiError::invalid_field("query", NO_NUL));
    }
    refuse_unknown_parameters(raw, known)?;
    let deserializer = serde_html_form::Deserializer::from_bytes(raw.as_bytes());
    let value: T = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        // The path names the field when the message does not ("unknown variant …").
        let path = error.path().to_string();
        let text = error.into_inner().to_string();
        // List queries name the field themselves: "field `name`: message".
        if let Some((field, message)) = text.strip_prefix("field `").and_then(|rest| rest.split_once("`: ")) {
            let message = if message.starts_with("must be") {
                message.to_owned()
            } else {
                sanitize_serde_message(message).text
            };
            return ApiError::invalid_field(field, message);
        }
        let message = sanitize_serde_message(&text);
        // A repeated parameter is named as sent, not by its position (`owner_id`, not `owner_id[0]`).
        let path = path.split('[').next().unwrap_or(&path);
        let field = message.field.as_deref().or((path != ".").then_some(path)).unwrap_or("query");
        ApiError::invalid_field(field, message.text)
    })?;
    value.validate().map_err(ApiError::validation)?;
    Ok(value)
}

/// Like body fields, parameters the operation does not take are refused: a misspelt
/// `?Release=true` must not turn a release into a termination, nor `?stauts=` list everything.
/// Checked against the document's names because a list query's filters are flattened, which
/// serde cannot tell apart from what it ignores.
fn refuse_unknown_parameters(raw: &str, known: &[String]) -> ApiResult<()> {
    const NAMED: usize = UNKNOWN_FIELDS_NAMED;
    // The query string is bounded by the request-head limit, so the set of names is too.
    let mut seen = std::collections::HashSet::new();
    let mut unknown = Vec::new();
    for (name, _) in form_urlencoded::parse(raw.as_bytes()) {
        if known.iter().any(|known| *known == name) || !seen.insert(name.clone()) {
            continue;
        }
        if unknown.len() < NAMED {
            unknown.push(name.into_owned());
        }
    }
    let unknown_count = seen.len();
    if unknown.is_empty() {
        return Ok(());
    }
    let mut errors = FieldErrors::default();
    errors.add_unknown(Sent::Query, &unknown, unknown_count, UNKNOWN_PARAMETER, UNKNOWN_PARAMETER);
    Err(ApiError::validation(errors))
}

const UNKNOWN_PARAMETER: &str = "is not a parameter of this request";

const REQUIRED: &str = "is required";

const UNKNOWN_FIELD: &str = "is not a field of this request";

/// Reads and deserializes a JSON body of at most `limit` bytes, then validates it.
pub async fn json_body<T: Payload + Validate>(headers: &HeaderMap, body: Body, limit: usize) -> ApiResult<T> {
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        let is_json = content_type
            .to_str()
            .ok()
            .and_then(|value| value.split(';').next())
            .map(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError::invalid_field("body", "Content-Type must be application/json"));
        }
    }
    let bytes = read_body(headers, body, limit).await?;
    if bytes.is_empty() {
        return Err(ApiError::invalid_field("body", "a JSON body is required"));
    }
    // Every request body of the API is an object; serde would otherwise accept arrays for structs.
    if bytes.iter().find(|byte| !byte.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::invalid_field("body", "must be a JSON object"));
    }
    if holds_nul(&bytes) {
        return Err(ApiError::invalid_field("body", NO_NUL));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
    // Fields the type does not have are collected rather than dropped: a misspelt
    // `"keypair"` must not create a VM without its key.
    const NAMED: usize = UNKNOWN_FIELDS_NAMED;
    let mut unknown = Vec::new();
    let mut unknown_count = 0_usize;
    let mut note = |path: serde_ignored::Path<'_>| {
        unknown_count += 1;
        if unknown.len() < NAMED {
            unknown.push(path.to_string());
        }
    };
    let tracked = serde_ignored::Deserializer::new(&mut deserializer, &mut note);
    let value: T = serde_path_to_error::deserialize(tracked).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::invalid_field(
                "body",
                format!("malformed JSON at line {} column {}", inner.line(), inner.column()),
            );
        }
        let message = sanitize_serde_message(&inner.to_string());
        if path == "." && message.field.is_some() && message.text == REQUIRED {
            // serde stops at the first missing field; the client is told of all of them.
            // Fields it does not have are named too, as they would be without a missing one.
            if let Ok(sent) = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes) {
                let mut errors = FieldErrors::default();
                for field in T::required_fields().into_iter().filter(|field| !sent.contains_key(field)) {
                    errors.add(field, REQUIRED);
                }
                let known = T::fields();
                let unknown: Vec<String> = sent.keys().filter(|key| !known.contains(key)).cloned().collect();
                errors.add_unknown(Sent::Body, &unknown, unknown.len(), UNKNOWN_FIELD, UNKNOWN_FIELD);
                if !errors.is_empty() {
                    return ApiError::validation(errors);
                }
            }
        }
        let field = match (path.as_str(), message.field) {
            (".", Some(field)) => field,
            (".", None) => "body".to_owned(),
            (path, Some(field)) => format!("{path}.{field}"),
            (path, None) => path.to_owned(),
        };
        ApiError::invalid_field(&field, message.text)
    })?;
    deserializer
        .end()
        .map_err(|_| ApiError::invalid_field("body", "unexpected data after the JSON value"))?;
    if !unknown.is_empty() {
        let known = T::fields();
        let first = if known.is_empty() {
            UNKNOWN_FIELD.to_owned()
        } else {
            format!("{UNKNOWN_FIELD} (its fields: {})", known.join(", "))
        };
        let mut errors = FieldErrors::default();
        errors.add_unknown(Sent::Body, &unknown, unknown_count, &first, UNKNOWN_FIELD);
        return Err(ApiError::validation(errors));
    }
    value.validate().map_err(ApiError::validation)?;
    Ok(value)
}

/// Reads a body of at most `limit` bytes.
async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> ApiResult<axum::body::Bytes> {
    let too_large = || {
        ApiError::new(ErrorCode::PayloadTooLarge, format!("The request body is larger than {limit} bytes"))
    };
    // A declared length over the limit is refused before any of the body is read (or asked for
    // with `100 Continue`): nobody waits for a body that would be refused anyway.
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if is_length_limit(&error) {
            too_large()
        } else {
            ApiError::invalid_field("body", "the request body could not be read")
        }
    })
}

/// Refuses a body sent to an operation that takes none, unless it is empty or `{}`: what it
/// holds would be silently ignored (a stop sent `{"force": true}` is not forced).
pub async fn no_body(headers: &HeaderMap, body: Body, limit: usize) -> ApiResult<()> {
    let bytes = read_body(headers, body, limit).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes) {
        Ok(fields) if fields.is_empty() => Ok(()),
        Ok(fields) => {
            let message = format!("{UNKNOWN_FIELD} (it takes no body)");
            let named: Vec<String> = fields.keys().take(UNKNOWN_FIELDS_NAMED).cloned().collect();
            let mut errors = FieldErrors::default();
            errors.add_unknown(Sent::Body, &named, fields.len(), &message, &message);
            Err(ApiError::validation(errors))
        }
        Err(_) => Err(ApiError::invalid_field("body", "this request takes no body")),
    }
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if current.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}

/// A serde message rewritten so it never echoes the submitted value (which may be a secret).
struct CleanMessage {
    field: Option<String>,
    text: String,
}

fn sanitize_serde_message(message: &str) -> CleanMessage {
    let message = message.split(" at line ").next().unwrap_or(message);
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("").to_owned();
        return CleanMessage { field: Some(field), text: REQUIRED.to_owned() };
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let expected = rest.split_once(", expected ").map(|(_, e)| e).unwrap_or("a known value");
        return CleanMessage { field: None, text: format!("must be {expected}") };
    }
    for prefix in ["invalid type: ", "invalid value: ", "invalid length "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let expected = rest.split_once(", expected ").map(|(_, e)| e).unwrap_or("another value");
            let found = rest.split([' ', ',']).next().unwrap_or("value");
            return CleanMessage {
                field: None,
                text: if prefix == "invalid type: " {
                    format!("expected {expected}, found {found}")
                } else {
                    format!("expected {expected}")
                },
            };
        }
    }
    if message.starts_with("duplicate field `") {
        return CleanMessage {
            field: message.split('`').nth(1).map(str::to_owned),
            text: "appears more than once".to_owned(),
        };
    }
    // serde_html_form's word for a repeated parameter that takes one value.
    if message == "unsupported value" {
        return CleanMessage { field: None, text: "must be given once".to_owned() };
    }
    // The contract's own deserializers (a yes/no parameter) say what is wrong without the value.
    if message.starts_with("must be ") {
        return CleanMessage { field: None, text: message.to_owned() };
    }
    // The uuid crate's words, wherever a UUID is read (path, query, body).
    if message.contains("UUID parsing failed") {
        return CleanMessage { field: None, text: NOT_A_UUID.to_owned() };
    }
    CleanMessage { field: None, text: "has an invalid value".to_owned() }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        ApiError::validation(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_found_only_where_json_spells_them() {
        assert!(holds_nul(br#"{"name": "a\u0000b"}"#));
        assert!(holds_nul(br#"{"name": "\\\u0000"}"#), "an escaped backslash, then the escape");
        assert!(!holds_nul(br#"{"name": "\\u0000"}"#), "an escaped backslash, then the text u0000");
        assert!(!holds_nul(br#"{"name": "\u0001", "u0000": 1}"#));
        assert!(!holds_nul(b"{}"));
    }

    #[test]
    fn serde_messages_never_echo_values() {
        let message =
            sanitize_serde_message("invalid type: string \"hunter22\", expected u32 at line 1 column 9");
        assert!(!message.text.contains("hunter22"), "{}", message.text);
        assert_eq!(message.text, "expected u32, found string");
        let missing = sanitize_serde_message("missing field `email`");
        assert_eq!(missing.field.as_deref(), Some("email"));
        let variant = sanitize_serde_message("unknown variant `root`, expected `admin` or `user`");
        assert!(!variant.text.contains("root"));
    }

    #[derive(Debug, serde::Deserialize)]
    struct Filters {
        #[allow(dead_code)]
        is_active: Option<bool>,
        #[allow(dead_code)]
        #[serde(default)]
        owner_id: Vec<uuid::Uuid>,
    }

    impl Validate for Filters {
        fn validate(&self) -> Result<(), FieldErrors> {
            Ok(())
        }
    }

    fn refusal(raw: &str) -> String {
        let known = ["is_active".to_owned(), "owner_id".to_owned()];
        query::<Filters>(Some(raw), &known).unwrap_err().message().to_owned()
    }

    #[test]
    fn repeated_flags_and_bad_ids_are_named_plainly() {
        let failed = "Request validation failed: ";
        assert_eq!(
            refusal("is_active=true&is_active=false"),
            format!("{failed}is_active must be given once")
        );
        assert_eq!(refusal("owner_id=zzz"), format!("{failed}owner_id {NOT_A_UUID}"));
        assert_eq!(refusal("owner_id=0123"), format!("{failed}owner_id {NOT_A_UUID}"));
    }
}
