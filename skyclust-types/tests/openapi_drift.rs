//! The committed `openapi.json` must be exactly what `skyclust_types::openapi()` produces.

use std::path::PathBuf;

const REGENERATE: &str = "SKYCLUST_UPDATE_OPENAPI=1 cargo test -p skyclust-types --test openapi_drift";

#[test]
fn committed_openapi_json_matches_the_contract() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi.json");
    let generated = skyclust_types::openapi_json();
    if std::env::var_os("SKYCLUST_UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.json is out of date with skyclust-types; regenerate it with:\n    {REGENERATE}"
    );
}

#[test]
fn every_operation_is_unique_and_documented() {
    let doc: serde_json::Value = serde_json::from_str(&skyclust_types::openapi_json()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for operation in skyclust_types::operations::ALL {
        assert!(ids.insert(operation.id), "duplicate operation id {}", operation.id);
        let entry = &doc["paths"][operation.path][operation.method.as_str().to_lowercase()];
        assert_eq!(entry["operationId"], operation.id, "{} missing from the document", operation.id);
        assert!(entry["responses"]["500"].is_object(), "{} lacks its error responses", operation.id);
        if let Some(permission) = operation.access.permission() {
            assert_eq!(entry["x-required-permission"], permission.as_str());
        }
    }
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
}

/// A `\` ending a line inside a Rust string continues it; written as `\\` it leaks a backslash
/// and the next line's indentation into the document and every generated SDK.
#[test]
fn descriptions_carry_no_source_formatting() {
    let doc: serde_json::Value = serde_json::from_str(&skyclust_types::openapi_json()).unwrap();
    for operation in skyclust_types::operations::ALL {
        let entry = &doc["paths"][operation.path][operation.method.as_str().to_lowercase()];
        for field in ["summary", "description"] {
            let text = entry[field].as_str().unwrap_or_default();
            assert!(!text.contains('\\'), "{}'s {field} holds a backslash: {text:?}", operation.id);
            assert!(!text.contains("  "), "{}'s {field} holds a run of spaces: {text:?}", operation.id);
            assert!(!text.contains("\n "), "{}'s {field} holds an indented line: {text:?}", operation.id);
        }
    }
}
