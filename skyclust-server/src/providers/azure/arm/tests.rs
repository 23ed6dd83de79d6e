use serde_json::json;

use super::*;

#[test]
fn arm_errors_are_classified() {
    let class = |status: u16, code: &str, message: &str| {
        let error = classify(Some(StatusCode::from_u16(status).unwrap()), code, message);
        format!("{error:?}").split('(').next().unwrap().to_owned()
    };
    assert_eq!(class(404, "ResourceNotFound", "The Resource 'x' was not found."), "NotFound");
    assert_eq!(
        class(404, "ResourceGroupNotFound", "Resource group 'rg' could not be found."),
        "InvalidRequest"
    );
    assert_eq!(class(404, "SubscriptionNotFound", "The subscription could not be found."), "Auth");
    assert_eq!(class(403, "AuthorizationFailed", "does not have authorization"), "Auth");
    assert_eq!(class(401, "InvalidAuthenticationToken", "bad token"), "Auth");
    assert_eq!(
        class(
            409,
            "OperationNotAllowed",
            "Operation could not be completed as it results in exceeding approved Total Regional Cores quota."
        ),
        "Quota"
    );
    assert_eq!(class(400, "QuotaExceeded", "limit"), "Quota");
    assert_eq!(class(409, "OperationNotAllowed", "The VM is being deleted."), "InvalidRequest");
    assert_eq!(class(409, "AnotherOperationInProgress", "busy"), "Retryable");
    assert_eq!(class(429, "TooManyRequests", "slow down"), "Retryable");
    assert_eq!(class(503, "whatever", "down"), "Retryable");
    assert_eq!(class(400, "InvalidParameter", "bad size"), "InvalidRequest");
    assert_eq!(class(400, "SkuNotAvailable", "not here"), "InvalidRequest");
    let throttled = arm_error(
        StatusCode::TOO_MANY_REQUESTS,
        &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
        Some(Duration::from_secs(30)),
    );
    assert_eq!(
        throttled,
        ProviderError::Retryable("429 TooManyRequests: slow down (retry after 30 s)".into())
    );
}

#[test]
fn token_refusals_keep_the_first_sentence() {
    let body = json!({"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.\r\nTrace ID: 1\r\nCorrelation ID: 2", "error_codes": [7000215]});
    assert_eq!(
            token_refusal(StatusCode::UNAUTHORIZED, &body),
            ProviderError::Auth("Microsoft Entra ID refused the credential: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.".into())
        );
    assert!(token_refusal(StatusCode::SERVICE_UNAVAILABLE, &json!({})).is_retryable());
}

mod over_http {
    use serde_json::json;
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::super::*;

    fn secrets() -> Secrets {
        Secrets(
            json!({"tenant_id": "t1", "client_id": "c1", "client_secret": "a-very-secret-value",
                    "subscription_id": "s1", "resource_group": "rg"})
            .as_object()
            .unwrap()
            .clone(),
        )
    }

    async fn azure() -> (MockServer, Arm) {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/t1/oauth2/v2.0/token"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"token_type": "Bearer", "expires_in": 3599, "access_token": "token-1"}),
            ))
            .mount(&server)
            .await;
        let url = Url::parse(&server.uri()).unwrap();
        let arm = Arm::new(
            url.clone(),
            url,
            Duration::from_secs(2),
            Duration::from_secs(2),
            Duration::from_millis(10),
        );
        (server, arm)
    }

    #[tokio::test]
    async fn a_token_arm_calls_expired_is_renewed_once() {
        let (server, arm) = azure().await;
        Mock::given(method("GET"))
            .and(path("/subscriptions/s1/x"))
            .respond_with(ResponseTemplate::new(401).set_body_json(
                json!({"error": {"code": "ExpiredAuthenticationToken", "message": "expired"}}),
            ))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/subscriptions/s1/x"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
            .mount(&server)
            .await;
        let secrets = secrets();
        let account = Account::of(&secrets).unwrap();
        let reply = arm.call(&account, Method::GET, "/subscriptions/s1/x", "2024-11-01", None).await.unwrap();
        assert_eq!(reply.body["ok"], true);
        let token_requests = || async {
            let received = server.received_requests().await.unwrap_or_default();
            received.iter().filter(|request| request.url.path() == "/t1/oauth2/v2.0/token").count()
        };
        assert_eq!(token_requests().await, 2, "the refused token was replaced");
        arm.call(&account, Method::GET, "/subscriptions/s1/x", "2024-11-01", None).await.unwrap();
        assert_eq!(token_requests().await, 2, "and the new one is kept");
        // Refused twice: the credential's problem, said without the secret.
        Mock::given(method("GET"))
                .and(path("/subscriptions/s1/y"))
                .respond_with(ResponseTemplate::new(401).set_body_json(
                    json!({"error": {"code": "InvalidAuthenticationToken", "message": "The access token is invalid."}}),
                ))
                .mount(&server)
                .await;
        let error =
            arm.call(&account, Method::GET, "/subscriptions/s1/y", "2024-11-01", None).await.unwrap_err();
        assert!(
            matches!(&error, ProviderError::Auth(text) if !text.contains("a-very-secret-value")),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn operations_are_followed_only_on_resource_managers_host() {
        let (server, arm) = azure().await;
        let secrets = secrets();
        let account = Account::of(&secrets).unwrap();
        Mock::given(method("PUT"))
            .and(path("/subscriptions/s1/evil"))
            .respond_with(
                ResponseTemplate::new(201)
                    .insert_header("azure-asyncoperation", "https://collector.example/operations/1"),
            )
            .mount(&server)
            .await;
        let error = arm
            .call(&account, Method::PUT, "/subscriptions/s1/evil", "2024-11-01", Some(&json!({})))
            .await
            .unwrap_err();
        assert!(error.to_string().contains("another host"), "{error}");
        // Redirects are not followed either: the token would go with them.
        let collector = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/subscriptions/s1/moved"))
            .respond_with(
                ResponseTemplate::new(307)
                    .insert_header("location", format!("{}/steal", collector.uri()).as_str()),
            )
            .mount(&server)
            .await;
        assert!(
            arm.call(&account, Method::GET, "/subscriptions/s1/moved", "2024-11-01", None).await.is_err()
        );
        assert!(
            collector.received_requests().await.unwrap_or_default().is_empty(),
            "nothing reached the other host"
        );

        // A Location-tracked operation: 202 while it runs, then done.
        let tracker = format!(
            "{}/subscriptions/s1/providers/Microsoft.Compute/locations/eastus/operations/9",
            server.uri()
        );
        Mock::given(method("POST"))
            .and(path("/subscriptions/s1/vm/deallocate"))
            .respond_with(
                ResponseTemplate::new(202)
                    .insert_header("location", tracker.as_str())
                    .insert_header("retry-after", "0"),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("/operations/9$"))
            .respond_with(ResponseTemplate::new(202))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("/operations/9$"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let reply = arm
            .call(&account, Method::POST, "/subscriptions/s1/vm/deallocate", "2024-11-01", None)
            .await
            .unwrap();
        assert!(arm.settle(&account, &reply, arm.deadline()).await.unwrap(), "done after two 202s");

        // One that never ends within the budget: not done, and no error.
        Mock::given(method("POST"))
            .and(path("/subscriptions/s1/vm/start"))
            .respond_with(
                ResponseTemplate::new(202).insert_header(
                    "azure-asyncoperation",
                    format!(
                        "{}/subscriptions/s1/providers/Microsoft.Compute/locations/eastus/operations/10",
                        server.uri()
                    )
                    .as_str(),
                ),
            )
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path_regex("/operations/10$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"status": "InProgress"})))
            .mount(&server)
            .await;
        let reply =
            arm.call(&account, Method::POST, "/subscriptions/s1/vm/start", "2024-11-01", None).await.unwrap();
        let deadline = std::time::Instant::now() + Duration::from_millis(200);
        assert!(!arm.settle(&account, &reply, deadline).await.unwrap());
    }
}
