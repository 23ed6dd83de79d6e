//! Budgets that hold under bursts: API keys share their owner's, the key cap and the per-email
//! sign-in limit hold under concurrency, and public auth is charged to the address.

use super::*;

#[tokio::test]
async fn api_keys_share_their_owners_budget_are_capped_and_cannot_mint_keys() {
    each_backend(|db| async move {
        let mut config = db.config();
        (config.rate_limit_user, config.rate_limit_api_key) = (8, 100);
        config.max_api_keys_per_user = 3;
        // A clock of its own: a run that crossed the hour would start a fresh window mid-test.
        let clock = skyclust_server::clock::ManualClock::new(
            chrono::DateTime::UNIX_EPOCH + chrono::Duration::days(22_000),
        );
        let server = TestServer::start_with_clock(config, std::sync::Arc::new(clock)).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let request =
            |name: &str| CreateApiKeyRequest { name: name.into(), expires_at: None, read_only: None };
        let mut keys = Vec::new();
        for name in ["a", "b", "c"] {
            keys.push(ada.api_keys().create(&request(name)).await.unwrap().key);
        }
        let refused = ada.api_keys().create(&request("d")).await.unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::Conflict));
        assert!(refused.to_string().contains("SKYCLUST_MAX_API_KEYS_PER_USER"), "{refused}");

        // A key cannot mint another key.
        let service = SkyClustClient::builder(&server.api_url)
            .api_key(&keys[0])
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        let minted = service.api_keys().create(&request("child")).await.unwrap_err();
        assert_eq!(minted.code(), Some(ErrorCode::Forbidden));

        // Four of the user's eight requests are spent; three keys do not add budgets of their own.
        let mut served = 0;
        for key in keys.iter().cycle().take(9) {
            let client = SkyClustClient::builder(&server.api_url)
                .api_key(key)
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap();
            match client.auth().me().await {
                Ok(_) => served += 1,
                Err(error) => {
                    assert_eq!(error.code(), Some(ErrorCode::RateLimited));
                    assert!(error.to_string().contains("SKYCLUST_RATE_LIMIT_USER"), "{error}");
                }
            }
        }
        assert_eq!(served, 3, "the owner's budget bounds all their keys together");
        assert_eq!(ada.auth().me().await.unwrap_err().code(), Some(ErrorCode::RateLimited));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn the_key_cap_holds_under_concurrent_creation() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.max_api_keys_per_user = 5;
        let server = TestServer::start(config).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let creations = (0..20).map(|n| {
            let ada = ada.clone();
            async move {
                ada.api_keys()
                    .create(&CreateApiKeyRequest { name: format!("k{n}"), expires_at: None, read_only: None })
                    .await
            }
        });
        let results = futures_util::future::join_all(creations).await;
        let created = results.iter().filter(|result| result.is_ok()).count();
        assert!(
            results.iter().all(|result| result
                .as_ref()
                .err()
                .is_none_or(|error| error.code() == Some(ErrorCode::Conflict))),
            "every refusal is a 409"
        );
        assert_eq!(created, 5, "exactly the cap, whatever the interleaving ({:?})", db.backend);
        let listed = ada.api_keys().list(&Default::default()).await.unwrap();
        assert_eq!(listed.api_keys.len(), 5);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_sign_in_guesses_never_exceed_the_per_email_limit() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.login_failure_limit = 10;
        config.password_hash_wait_ms = 30_000;
        let server = TestServer::start(config).await;
        register(&server.client(), "ada").await;
        let http = reqwest::Client::new();
        let login = format!("{}/auth/login", server.api_url);
        let guesses = (0..40).map(|n| {
            http.post(&login)
                .json(&serde_json::json!({"email": "ada@example.com", "password": format!("guess-{n}")}))
                .send()
        });
        let statuses: Vec<u16> = futures_util::future::join_all(guesses)
            .await
            .into_iter()
            .map(|response| response.unwrap().status().as_u16())
            .collect();
        assert_eq!(statuses.iter().filter(|status| **status == 401).count(), 10, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|status| **status == 429).count(), 30, "{statuses:?}");
        let right = no_retries(&server)
            .auth()
            .login(&LoginRequest { email: "ada@example.com".into(), password: "password-ada".into() })
            .await
            .unwrap_err();
        assert_eq!(
            right.code(),
            Some(ErrorCode::RateLimited),
            "even the right password waits out the window"
        );
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn public_auth_is_charged_to_the_address_and_health_counts_requests_with_credentials() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.rate_limit_anonymous = 3;
    let server = TestServer::start(config).await;
    let ada = server.client();
    register(&ada, "ada").await; // 1 of 3 for this address
    let token = ada.token().unwrap();
    let http = reqwest::Client::new();
    let login = format!("{}/auth/login", server.api_url);
    let health = format!("{}/health", server.api_url);
    let guess = serde_json::json!({"email": "ada@example.com", "password": "guess-guess"});
    // A valid token sent along with a sign-in does not move it onto the user's budget.
    for expected in [401, 401, 429] {
        let response = http.post(&login).bearer_auth(&token).json(&guess).send().await.unwrap();
        assert_eq!(response.status().as_u16(), expected);
    }
    // /health without credentials stays exempt...
    let anonymous = http.get(&health).send().await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 200);
    assert!(anonymous.headers().get("x-ratelimit-limit").is_none());
    let body: serde_json::Value = anonymous.json().await.unwrap();
    assert!(body["data"].get("version").is_none() && body["data"].get("environment").is_none(), "{body}");
    // ...but made-up credentials sent to it are charged to the address like anywhere else.
    let bogus = http.get(&health).header("x-api-key", "sk_made_up").send().await.unwrap();
    assert_eq!(bogus.status().as_u16(), 429);
    // Only the declared method is exempt: a POST to /health is counted like anything else.
    let posted = http.post(&health).send().await.unwrap();
    assert_eq!(posted.status().as_u16(), 429);
    // A real caller's check is charged to that caller.
    let counted = http.get(&health).bearer_auth(&token).send().await.unwrap();
    assert_eq!(counted.status().as_u16(), 200);
    assert!(counted.headers().get("x-ratelimit-limit").is_some());
    server.stop().await;
    db.drop_now().await;
}
