//! The SDK against a mock server: request shape, headers, token handling and error decoding.

use std::collections::BTreeSet;

use serde_json::json;
use skyclust_sdk::types::{LoginRequest, RegisterRequest, operations};
use skyclust_sdk::{Error, ErrorCode, SkyClustClient};
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn user() -> serde_json::Value {
    json!({
        "id": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
        "username": "ada",
        "email": "ada@example.com",
        "role": "admin",
        "is_active": true,
        "created_at": "2024-01-01T00:00:00Z",
        "updated_at": "2024-01-01T00:00:00Z"
    })
}

fn ok(data: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "success": true,
        "data": data,
        "request_id": "req_1",
        "timestamp": "2024-01-01T00:00:00Z"
    }))
}

fn client(server: &MockServer) -> SkyClustClient {
    SkyClustClient::builder(format!("{}/api/v1/", server.uri()))
        .user_agent("sdk-test")
        .build()
        .unwrap()
}

#[tokio::test]
async fn register_sends_json_and_keeps_the_token_for_later_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/register"))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", "sdk-test"))
        .and(body_json(
            json!({"username": "ada", "email": "ada@example.com", "password": "correct horse"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "success": true,
            "message": "User registered successfully",
            "data": {"token": "tok-1", "expires_at": "2024-01-02T00:00:00Z", "user": user()},
            "request_id": "req_1",
            "timestamp": "2024-01-01T00:00:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ok(
            json!({"user": user(), "permissions": ["user:read"], "auth_method": "jwt"}),
        ))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let session = client
        .auth()
        .register(&RegisterRequest {
            username: "ada".into(),
            email: "ada@example.com".into(),
            password: "correct horse".into(),
        })
        .await
        .unwrap();
    assert_eq!(session.token, "tok-1");
    assert_eq!(
        client.clone().token().as_deref(),
        Some("tok-1"),
        "clones share the token"
    );
    let me = client.auth().me().await.unwrap();
    assert_eq!(me.user.username, "ada");
}

#[tokio::test]
async fn logout_forgets_the_token_and_api_keys_use_their_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/logout"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "success": true, "message": "Logout successful", "request_id": "r", "timestamp": "2024-01-01T00:00:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/health"))
        .and(header("x-api-key", "sk_test"))
        .respond_with(ok(json!({
            "status": "healthy", "timestamp": "2024-01-01T00:00:00Z", "uptime": "0h0m1s",
            "uptime_seconds": 1, "version": "0.1.0", "environment": "development"
        })))
        .expect(1)
        .mount(&server)
        .await;

    let client = SkyClustClient::builder(format!("{}/api/v1", server.uri()))
        .token("tok-2")
        .build()
        .unwrap();
    client.auth().logout().await.unwrap();
    assert_eq!(client.token(), None);
    client.set_api_key("sk_test");
    client.health().get().await.unwrap();
    let unauthenticated = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|request| request.url.path() == "/api/v1/health")
        .all(|request| !request.headers.contains_key("authorization"));
    assert!(unauthenticated, "an API key replaces the bearer token");
}

#[tokio::test]
async fn error_envelopes_become_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/register"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "success": false,
            "error": "Request validation failed",
            "code": "VALIDATION_ERROR",
            "data": {"fields": {"email": "must be a valid email address"}},
            "request_id": "req_abc",
            "timestamp": "2024-01-01T00:00:00Z"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("x-request-id", "req_proxy")
                .set_body_string("<html>bad gateway</html>"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/health"))
        .respond_with(ResponseTemplate::new(200).set_body_string("not json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "success": false, "error": "Invalid or expired token", "code": "UNAUTHORIZED",
            "request_id": "req_401", "timestamp": "2024-01-01T00:00:00Z"
        })))
        .mount(&server)
        .await;

    let client = client(&server);
    let error = client
        .auth()
        .register(&RegisterRequest {
            username: "ada".into(),
            email: "nope".into(),
            password: "correct horse".into(),
        })
        .await
        .unwrap_err();
    match &error {
        Error::Api {
            status,
            code,
            message,
            request_id,
            ..
        } => {
            assert_eq!((*status, *code), (400, ErrorCode::ValidationError));
            assert_eq!(message, "Request validation failed");
            assert_eq!(request_id.as_deref(), Some("req_abc"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(
        error.field_errors().unwrap()["email"],
        "must be a valid email address"
    );
    assert_eq!(client.token(), None, "a failed register stores no token");

    let error = client
        .auth()
        .login(&LoginRequest {
            email: "a@b.c".into(),
            password: "x".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.code(), Some(ErrorCode::ProviderError));
    assert_eq!(error.request_id(), Some("req_proxy"));

    assert!(matches!(
        client.health().get().await.unwrap_err(),
        Error::Decode { status: 200, .. }
    ));

    client.set_token(Some("stale".into()));
    assert_eq!(
        client.auth().me().await.unwrap_err().code(),
        Some(ErrorCode::Unauthorized)
    );
}

#[tokio::test]
async fn transport_failures_and_bad_configuration_are_reported() {
    assert!(matches!(
        SkyClustClient::new("not a url"),
        Err(Error::InvalidRequest(_))
    ));
    assert!(matches!(
        SkyClustClient::new("ftp://example.com"),
        Err(Error::InvalidRequest(_))
    ));
    // Nothing listens on port 9 of loopback: connection refused.
    let client = SkyClustClient::new("http://127.0.0.1:9/api/v1").unwrap();
    assert!(matches!(
        client.health().get().await.unwrap_err(),
        Error::Transport(_)
    ));
    let debug = format!(
        "{:?}",
        SkyClustClient::builder("http://h").token("secret-token")
    );
    assert!(!debug.contains("secret-token"), "{debug}");
}

/// Every operation declared in the contract has an SDK method: each method is called once
/// against a catch-all mock, and the requests must cover every declared operation.
#[tokio::test]
async fn every_declared_operation_has_an_sdk_method() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ok(json!({})))
        .mount(&server)
        .await;
    let client = client(&server);
    let register = RegisterRequest {
        username: "ada".into(),
        email: "ada@example.com".into(),
        password: "correct horse".into(),
    };
    let login = LoginRequest {
        email: "ada@example.com".into(),
        password: "correct horse".into(),
    };
    // Answers are not decodable as real data here; only the requests matter.
    let _ = client.auth().register(&register).await;
    let _ = client.auth().login(&login).await;
    let _ = client.auth().logout().await;
    let _ = client.auth().me().await;
    let _ = client.health().get().await;
    let _ = client.health().db().await;
    let _ = client.health().redis().await;

    let called: BTreeSet<&str> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|request| operation_of(request))
        .collect();
    let declared: BTreeSet<&str> = operations::ALL
        .iter()
        .map(|operation| operation.id)
        .collect();
    let missing: Vec<_> = declared.difference(&called).collect();
    assert!(
        missing.is_empty(),
        "operations without an SDK method: {missing:?}"
    );
}

fn operation_of(request: &Request) -> Option<&'static str> {
    let path = request.url.path().strip_prefix("/api/v1")?;
    operations::ALL
        .iter()
        .find(|operation| {
            operation.method.as_str() == request.method.as_str()
                && template_matches(operation.path, path)
        })
        .map(|operation| operation.id)
}

fn template_matches(template: &str, path: &str) -> bool {
    let template: Vec<_> = template.split('/').collect();
    let path: Vec<_> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(expected, actual)| expected.starts_with('{') || expected == actual)
}
