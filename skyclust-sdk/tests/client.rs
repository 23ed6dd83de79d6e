//! The SDK against a mock server: request shape, headers, token handling and error decoding.

use std::collections::BTreeSet;

use serde_json::json;
use skyclust_sdk::types::{
    AddMemberRequest, CreateApiKeyRequest, CreateCredentialRequest, CreateUserRequest, CreateVmRequest,
    CreateWorkspaceRequest, ListQuery, LoginRequest, Provider, RegisterRequest, UpdateCredentialRequest,
    UpdateUserRequest, UpdateWorkspaceRequest, operations,
};

use skyclust_sdk::{Error, ErrorCode, SkyClustClient};
use wiremock::matchers::{body_json, header, header_exists, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[path = "client/retries.rs"]
mod retries;

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
    SkyClustClient::builder(format!("{}/api/v1/", server.uri())).user_agent("sdk-test").build().unwrap()
}

#[tokio::test]
async fn register_sends_json_and_keeps_the_token_for_later_calls() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/register"))
        .and(header("content-type", "application/json"))
        .and(header("user-agent", "sdk-test"))
        .and(body_json(json!({"username": "ada", "email": "ada@example.com", "password": "correct horse"})))
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
        .respond_with(ok(json!({"user": user(), "permissions": ["user:read"], "auth_method": "jwt"})))
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
    assert_eq!(client.clone().token().as_deref(), Some("tok-1"), "clones share the token");
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

    let client = SkyClustClient::builder(format!("{}/api/v1", server.uri())).token("tok-2").build().unwrap();
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
        Error::Api { status, code, message, request_id, .. } => {
            assert_eq!((*status, *code), (400, ErrorCode::ValidationError));
            assert_eq!(message, "Request validation failed");
            assert_eq!(request_id.as_deref(), Some("req_abc"));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert_eq!(error.field_errors().unwrap()["email"], "must be a valid email address");
    assert_eq!(client.token(), None, "a failed register stores no token");

    let error =
        client.auth().login(&LoginRequest { email: "a@b.c".into(), password: "x".into() }).await.unwrap_err();
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.code(), Some(ErrorCode::ProviderError));
    assert_eq!(error.request_id(), Some("req_proxy"));

    assert!(matches!(client.health().get().await.unwrap_err(), Error::Decode { status: 200, .. }));

    client.set_token(Some("stale".into()));
    assert_eq!(client.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
}

#[tokio::test]
async fn transport_failures_and_bad_configuration_are_reported() {
    assert!(matches!(SkyClustClient::new("not a url"), Err(Error::InvalidRequest(_))));
    assert!(matches!(SkyClustClient::new("ftp://example.com"), Err(Error::InvalidRequest(_))));
    // Nothing listens on port 9 of loopback: connection refused.
    let client = SkyClustClient::new("http://127.0.0.1:9/api/v1").unwrap();
    assert!(matches!(client.health().get().await.unwrap_err(), Error::Transport(_)));
    let debug = format!("{:?}", SkyClustClient::builder("http://h").token("secret-token"));
    assert!(!debug.contains("secret-token"), "{debug}");
}

/// Every operation declared in the contract has an SDK method: each method is called once
/// against a catch-all mock, and the requests must cover every declared operation.
#[tokio::test]
async fn every_declared_operation_has_an_sdk_method() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(ok(json!({}))).mount(&server).await;
    let client = client(&server);
    let register = RegisterRequest {
        username: "ada".into(),
        email: "ada@example.com".into(),
        password: "correct horse".into(),
    };
    let login = LoginRequest { email: "ada@example.com".into(), password: "correct horse".into() };
    // Answers are not decodable as real data here; only the requests matter.
    let _ = client.auth().register(&register).await;
    let _ = client.auth().login(&login).await;
    let _ = client.auth().logout().await;
    let _ = client.auth().me().await;
    let _ = client.health().get().await;
    let _ = client.health().db().await;
    let _ = client.health().redis().await;
    let id = uuid::Uuid::new_v4();
    let _ = client.api_keys().list(&ListQuery::default()).await;
    let _ = client
        .api_keys()
        .create(&CreateApiKeyRequest { name: "k".into(), expires_at: None, read_only: None })
        .await;
    let _ = client.api_keys().delete(id).await;
    let _ = client.users().list(&ListQuery::default()).await;
    let _ = client
        .users()
        .create(&CreateUserRequest {
            username: "grace".into(),
            email: "grace@example.com".into(),
            password: "long enough".into(),
            role: None,
            is_active: None,
        })
        .await;
    let _ = client.users().get(id).await;
    let _ = client.users().update(id, &UpdateUserRequest::default()).await;
    let _ = client.users().delete(id).await;
    let _ = client.audit_logs().list(&ListQuery::default()).await;
    let _ = client.workspaces().list(&ListQuery::default()).await;
    let _ = client.workspaces().create(&CreateWorkspaceRequest { name: "w".into(), description: None }).await;
    let _ = client.workspaces().get(id).await;
    let _ = client.workspaces().update(id, &UpdateWorkspaceRequest::default()).await;
    let _ = client.workspaces().delete(id).await;
    let _ = client.workspaces().members(id, &ListQuery::default()).await;
    let _ = client.workspaces().add_member(id, &AddMemberRequest::user(id, None)).await;
    let _ = client.workspaces().remove_member(id, id).await;
    let _ = client.credentials().list(&ListQuery::default()).await;
    let _ = client
        .credentials()
        .create(&CreateCredentialRequest {
            name: "c".into(),
            provider: Provider::Sandbox,
            data: Default::default(),
        })
        .await;
    let _ = client.credentials().get(id).await;
    let _ = client.credentials().update(id, &UpdateCredentialRequest::default()).await;
    let _ = client.credentials().delete(id).await;
    let _ = client.credentials().instances_page(id, &ListQuery::default()).await;
    let _ = client.notifications().list(&ListQuery::default()).await;
    let _ = client.notifications().mark_read(id).await;
    let _ = client.notifications().mark_all_read().await;
    let _ = client.vms().list(&ListQuery::default()).await;
    let _ = client.vms().create(&vm_request(id)).await;
    let _ = client.vms().create_with_idempotency_key(&vm_request(id), "k").await;
    let _ = client.vms().get(id).await;
    let _ = client.vms().delete(id).await;
    let _ = client.vms().release(id).await;
    let import = skyclust_types::ImportVmRequest {
        credential_id: id,
        provider_instance_id: "i-0abc".into(),
        region: "us-east-1".into(),
        workspace_id: id,
        name: None,
    };
    let _ = client.vms().import(&import).await;
    let _ = client.vms().start(id).await;
    let _ = client.vms().stop(id).await;
    let _ = client.vms().reboot(id).await;
    let _ = client.providers().list().await;
    let _ = client.cost_analysis().get(&Default::default()).await;
    let breakdown = skyclust_types::CostBreakdownQuery {
        provider: Provider::Aws,
        service: Some(skyclust_types::CostService::Ec2),
        period: Some(skyclust_types::CostPeriod::Quarter),
        workspace_id: Some(id),
    };
    let _ = client.cost_analysis().breakdown(&breakdown).await;

    let called: BTreeSet<&str> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter_map(|request| operation_of(request))
        .collect();
    let declared: BTreeSet<&str> = operations::ALL.iter().map(|operation| operation.id).collect();
    let missing: Vec<_> = declared.difference(&called).collect();
    assert!(missing.is_empty(), "operations without an SDK method: {missing:?}");
    let deletes: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.method.as_str() == "DELETE" && request.url.path().contains("/vms/"))
        .map(|request| request.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        deletes,
        [None, Some("release=true".to_owned())],
        "delete terminates, release asks to release"
    );
}

fn operation_of(request: &Request) -> Option<&'static str> {
    let path = request.url.path().strip_prefix("/api/v1")?;
    operations::ALL
        .iter()
        .find(|operation| {
            operation.method.as_str() == request.method.as_str() && template_matches(operation.path, path)
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

#[tokio::test]
async fn lists_stream_across_pages() {
    use futures_util::TryStreamExt;
    let server = MockServer::start().await;
    let key = |n: u32| {
        json!({
            "id": uuid::Uuid::new_v4(), "name": format!("key-{n}"), "prefix": "sk_abcdefgh", "read_only": false,
            "created_at": "2024-01-01T00:00:00Z", "expires_at": null, "last_used_at": null
        })
    };
    for (offset, names, has_next) in [(0u32, [1, 2], true), (2, [3, 4], true)] {
        let mut matcher = Mock::given(method("GET")).and(path("/api/v1/api-keys"));
        if offset > 0 {
            matcher = matcher.and(wiremock::matchers::query_param("offset", offset.to_string()));
        }
        matcher
            .respond_with(ok(json!({
                "api_keys": names.iter().map(|n| key(*n)).collect::<Vec<_>>(),
                "pagination": {"limit": 2, "offset": offset, "total": 5, "has_next": has_next, "has_prev": offset > 0}
            })))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/api/v1/api-keys"))
        .and(wiremock::matchers::query_param("offset", "4"))
        .respond_with(ok(json!({
            "api_keys": [key(5)],
            "pagination": {"limit": 2, "offset": 4, "total": 5, "has_next": false, "has_prev": true}
        })))
        .mount(&server)
        .await;
    let client = client(&server);
    let keys: Vec<_> = client.api_keys().list_all(ListQuery::default().limit(2)).try_collect().await.unwrap();
    let names: Vec<_> = keys.iter().map(|key| key.name.as_str()).collect();
    assert_eq!(names, ["key-1", "key-2", "key-3", "key-4", "key-5"]);
    let queries: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_owned())
        .collect();
    assert_eq!(queries, ["limit=2", "limit=2&offset=2", "limit=2&offset=4"]);
}

#[tokio::test]
async fn list_builders_become_query_strings_and_bodies_keep_their_shape() {
    use skyclust_sdk::types::{SandboxCredentialData, SortDirection, WorkspaceFilters};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/workspaces"))
        .respond_with(ok(json!({
            "workspaces": [],
            "pagination": {"limit": 5, "offset": 10, "total": 0, "has_next": false, "has_prev": true}
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/credentials"))
        .and(body_json(json!({"name": "lab", "provider": "sandbox", "data": {"region": "us-east-2"}})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "success": true,
            "data": {
                "id": uuid::Uuid::nil(), "name": "lab", "provider": "sandbox", "is_active": true, "hint": "sandbox",
                "region": "us-east-2", "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
            },
            "request_id": "r", "timestamp": "2024-01-01T00:00:00Z"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let owner = uuid::Uuid::nil();
    let query = ListQuery::default()
        .limit(5)
        .offset(10)
        .sort_by("name", SortDirection::Desc)
        .filters(WorkspaceFilters { is_active: Some(true), owner_id: vec![owner, owner] });
    let page = client.workspaces().list(&query).await.unwrap();
    assert!(page.pagination.has_prev);
    let sent = server.received_requests().await.unwrap()[0].url.query().unwrap().to_owned();
    assert_eq!(
        sent,
        format!("limit=5&offset=10&sort=name%3Adesc&is_active=true&owner_id={owner}&owner_id={owner}")
    );
    let lab = SandboxCredentialData { region: Some("us-east-2".into()) };
    let credential = client.credentials().create(&CreateCredentialRequest::new("lab", lab)).await.unwrap();
    assert_eq!(credential.hint, "sandbox");
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let api = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/collect", elsewhere.uri()).as_str()),
        )
        .mount(&api)
        .await;
    Mock::given(wiremock::matchers::any()).respond_with(ok(user())).expect(0).mount(&elsewhere).await;
    for client in [
        SkyClustClient::builder(format!("{}/api/v1", api.uri())).api_key("sk_secret").build().unwrap(),
        SkyClustClient::builder(format!("{}/api/v1", api.uri())).token("jwt-secret").build().unwrap(),
    ] {
        let error = client.auth().me().await.unwrap_err();
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
    }
    assert!(
        elsewhere.received_requests().await.unwrap_or_default().is_empty(),
        "nothing reached the other origin"
    );

    // Within the API's own origin a redirect is still followed, credentials and all.
    let moved = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/api/v2/auth/me"))
        .mount(&moved)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v2/auth/me"))
        .and(header("x-api-key", "sk_secret"))
        .respond_with(ok(json!({"user": user(), "permissions": [], "auth_method": "api_key"})))
        .expect(1)
        .mount(&moved)
        .await;
    let client =
        SkyClustClient::builder(format!("{}/api/v1", moved.uri())).api_key("sk_secret").build().unwrap();
    client.auth().me().await.unwrap();
}

fn vm_request(workspace: uuid::Uuid) -> CreateVmRequest {
    CreateVmRequest {
        name: "vm".into(),
        provider: Provider::Sandbox,
        instance_type: "t3.micro".into(),
        region: "us-east-1".into(),
        zone: None,
        workspace_id: Some(workspace),
        image_id: None,
        key_pair: None,
        credential_id: None,
    }
}
