//! Retries: idempotent requests after 503 with rate-limit headers kept, the attempt cap and
//! `Retry-After`, what is never retried, and POSTs made safe by an `Idempotency-Key`.

use skyclust_sdk::RetryPolicy;

use super::*;

fn fast_retries(server: &MockServer) -> SkyClustClient {
    SkyClustClient::builder(format!("{}/api/v1", server.uri()))
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            base_delay: std::time::Duration::from_millis(1),
            max_delay: std::time::Duration::from_millis(5),
            max_retry_after: std::time::Duration::from_secs(1),
        })
        .build()
        .unwrap()
}

fn health_body() -> serde_json::Value {
    json!({
        "status": "healthy", "timestamp": "2024-01-01T00:00:00Z", "uptime": "0h0m1s",
        "uptime_seconds": 1, "version": "0.1.0", "environment": "development"
    })
}

#[tokio::test]
async fn idempotent_requests_are_retried_after_503_and_rate_limit_headers_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/health"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({
            "success": false, "error": "busy", "code": "SERVICE_UNAVAILABLE",
            "request_id": "r", "timestamp": "2024-01-01T00:00:00Z"
        })))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/health"))
        .respond_with(
            ok(health_body())
                .insert_header("x-ratelimit-limit", "100")
                .insert_header("x-ratelimit-remaining", "97")
                .insert_header("x-ratelimit-reset", "1700000000"),
        )
        .mount(&server)
        .await;
    let client = fast_retries(&server);
    client.health().get().await.expect("third attempt succeeds");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    let limit = client.rate_limit().unwrap();
    assert_eq!((limit.limit, limit.remaining, limit.reset), (100, 97, 1_700_000_000));
}

#[tokio::test]
async fn retries_stop_after_the_configured_attempts_and_honour_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .insert_header("x-ratelimit-limit", "1000")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset", "1700000000")
                .set_body_json(json!({
                    "success": false, "error": "Rate limit exceeded", "code": "RATE_LIMITED",
                    "request_id": "req_429", "timestamp": "2024-01-01T00:00:00Z"
                })),
        )
        .mount(&server)
        .await;
    let client = fast_retries(&server);
    let error = client.auth().me().await.unwrap_err();
    match &error {
        Error::RateLimited { retry_after, request_id, rate_limit, .. } => {
            assert_eq!(*retry_after, Some(std::time::Duration::ZERO));
            assert_eq!(request_id.as_deref(), Some("req_429"));
            assert_eq!(rate_limit.unwrap().remaining, 0);
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(error.code(), Some(ErrorCode::RateLimited));
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "three attempts in all");
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_and_non_idempotent_requests_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/auth/me"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/auth/login"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = fast_retries(&server);
    let error = client.auth().me().await.unwrap_err();
    assert_eq!(error.retry_after(), Some(std::time::Duration::from_secs(3600)));
    let error = client
        .auth()
        .login(&LoginRequest { email: "a@b.c".into(), password: "whatever1".into() })
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "one attempt each");
}

#[tokio::test]
async fn a_post_with_an_idempotency_key_sends_it_and_is_retried() {
    let server = MockServer::start().await;
    let vm = json!({
        "id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e", "name": "vm", "provider": "sandbox",
        "instance_type": "t3.micro", "status": "pending", "region": "us-east-1",
        "workspace_id": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a", "actions": ["delete"],
        "created_by": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
        "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z"
    });
    Mock::given(method("POST"))
        .and(path("/api/v1/vms"))
        .and(header("idempotency-key", "create-vm-1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/vms"))
        .and(header("idempotency-key", "create-vm-1"))
        .respond_with(ok(vm))
        .mount(&server)
        .await;
    let client = fast_retries(&server);
    let workspace = uuid::Uuid::new_v4();
    let created =
        client.vms().create_with_idempotency_key(&vm_request(workspace), "create-vm-1").await.unwrap();
    assert_eq!(created.name, "vm");
    assert_eq!(server.received_requests().await.unwrap().len(), 2, "the 503 was retried");

    // Without a key the same POST is tried once; a malformed key never leaves the client.
    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    assert_eq!(client.vms().create(&vm_request(workspace)).await.unwrap_err().status(), Some(503));
    let error =
        client.vms().create_with_idempotency_key(&vm_request(workspace), "two words").await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].headers.contains_key("idempotency-key"));
}
