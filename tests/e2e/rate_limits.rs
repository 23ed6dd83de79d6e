//! Rate limits per caller kind, `X-RateLimit-*` headers, 429 with `Retry-After`, the login
//! throttle per email, and `X-Forwarded-For` only behind trusted proxies. Time is moved by hand.

use std::sync::Arc;

use chrono::TimeZone;
use reqwest::header::HeaderMap;
use skyclust_sdk::types::{CreateApiKeyRequest, LoginRequest};
use skyclust_sdk::{Error, ErrorCode, RetryPolicy, SkyClustClient};
use skyclust_server::clock::ManualClock;
use skyclust_tests::{TestServer, each_backend};

use crate::register;

fn limits(headers: &HeaderMap) -> Option<(u32, u32, i64)> {
    let number = |name: &str| headers.get(name)?.to_str().ok()?.parse::<i64>().ok();
    Some((
        u32::try_from(number("x-ratelimit-limit")?).ok()?,
        u32::try_from(number("x-ratelimit-remaining")?).ok()?,
        number("x-ratelimit-reset")?,
    ))
}

fn start_of_hour() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap()
}

#[tokio::test]
async fn each_kind_of_caller_has_its_own_budget() {
    each_backend(|db| async move {
        let mut config = db.config();
        (config.rate_limit_anonymous, config.rate_limit_user, config.rate_limit_api_key) = (3, 8, 3);
        let clock = ManualClock::new(start_of_hour());
        let server = TestServer::start_with_clock(config, Arc::new(clock.clone())).await;
        let http = reqwest::Client::new();
        let me = format!("{}/auth/me", server.api_url);
        let reset = (start_of_hour() + chrono::Duration::hours(1)).timestamp();

        let ada = server.client();
        register(&ada, "ada").await; // anonymous request 1 of 3
        for remaining in [1, 0] {
            let response = http.get(&me).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 401);
            assert_eq!(limits(response.headers()), Some((3, remaining, reset)));
        }
        let refused = http.get(&me).send().await.unwrap();
        assert_eq!(refused.status().as_u16(), 429);
        assert_eq!(refused.headers()["retry-after"], "3600");
        assert_eq!(limits(refused.headers()), Some((3, 0, reset)));
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["code"], "RATE_LIMITED");
        assert!(
            body["error"].as_str().unwrap().contains("SKYCLUST_RATE_LIMIT_ANONYMOUS"),
            "names the setting"
        );
        assert_eq!(
            (
                body["data"]["tier"].as_str(),
                body["data"]["limit"].as_u64(),
                body["data"]["retry_after"].as_u64()
            ),
            (Some("anonymous (per address)"), Some(3), Some(3600))
        );
        // The documentation is not an API call: it has a budget of its own.
        let origin = server.api_url.trim_end_matches("/api/v1");
        for page in ["/api-docs/openapi.json", "/swagger-ui/"] {
            let response = http.get(format!("{origin}{page}")).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200, "{page}");
        }

        // Made-up credentials count against the address, not a fresh budget of their own.
        let bogus = http.get(&me).header("x-api-key", "sk_made_up").send().await.unwrap();
        assert_eq!(bogus.status().as_u16(), 429);
        // /health without credentials is exempt.
        for _ in 0..5 {
            let health = http.get(format!("{}/health", server.api_url)).send().await.unwrap();
            assert_eq!(health.status().as_u16(), 200);
            assert!(limits(health.headers()).is_none());
        }

        // A signed-in user has a budget of their own; an API key has another, and what it
        // spends is also spent from its owner's.
        let key = ada
            .api_keys()
            .create(&CreateApiKeyRequest { name: "k".into(), expires_at: None, read_only: None })
            .await
            .unwrap();
        assert_eq!(ada.rate_limit().map(|limit| (limit.limit, limit.remaining)), Some((8, 7)));
        ada.auth().me().await.unwrap();
        let service = SkyClustClient::builder(&server.api_url)
            .api_key(key.key)
            .retry_policy(RetryPolicy::none())
            .build()
            .unwrap();
        for remaining in (0..3).rev() {
            service.auth().me().await.unwrap();
            assert_eq!(service.rate_limit().unwrap().remaining, remaining, "the tighter budget is shown");
        }
        assert_eq!(service.auth().me().await.unwrap_err().code(), Some(ErrorCode::RateLimited));
        // 1 + 1 + 3 of the user's 8 are spent (the key's refused request was not charged to it).
        for _ in 0..3 {
            ada.auth().me().await.unwrap();
        }
        let error = ada.auth().me().await.unwrap_err();
        assert!(
            matches!(error, Error::RateLimited { retry_after: Some(wait), .. } if wait.as_secs() == 3600),
            "{error:?}"
        );

        // The next window starts afresh.
        clock.advance(chrono::Duration::hours(1));
        let response = http.get(&me).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(limits(response.headers()).map(|(limit, remaining, _)| (limit, remaining)), Some((3, 2)));
        ada.auth().me().await.unwrap();
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_email() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.login_failure_limit = 2;
        let clock = ManualClock::new(start_of_hour());
        let server = TestServer::start_with_clock(config, Arc::new(clock.clone())).await;
        register(&server.client(), "ada").await;
        register(&server.client(), "bob").await;
        let client = server.client();
        let attempt =
            |email: &str, password: &str| LoginRequest { email: email.into(), password: password.into() };
        for _ in 0..2 {
            let error = client.auth().login(&attempt("ada@example.com", "wrong-password")).await.unwrap_err();
            assert_eq!(error.code(), Some(ErrorCode::Unauthorized));
        }
        // Now even the right password is refused for this email, and only for it.
        let throttled = client.auth().login(&attempt("ADA@example.com", "password-ada")).await.unwrap_err();
        assert_eq!(throttled.code(), Some(ErrorCode::RateLimited));
        assert_eq!(throttled.retry_after().map(|wait| wait.as_secs()), Some(900));
        client.auth().login(&attempt("bob@example.com", "password-bob")).await.unwrap();

        clock.advance(chrono::Duration::minutes(15));
        client.auth().login(&attempt("ada@example.com", "password-ada")).await.unwrap();
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn forwarded_addresses_count_only_behind_trusted_proxies() {
    each_backend(|db| async move {
        for trusted in [false, true] {
            let mut config = db.config();
            config.rate_limit_anonymous = 1;
            if trusted {
                config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
            }
            let server = TestServer::start(config).await;
            let http = reqwest::Client::new();
            let me = format!("{}/auth/me", server.api_url);
            let from = |address: &'static str| http.get(&me).header("x-forwarded-for", address);
            assert_eq!(from("203.0.113.1").send().await.unwrap().status().as_u16(), 401);
            assert_eq!(from("203.0.113.1").send().await.unwrap().status().as_u16(), 429);
            let other_client = from("203.0.113.2").send().await.unwrap().status().as_u16();
            assert_eq!(other_client, if trusted { 401 } else { 429 }, "trusted = {trusted}");
            server.stop().await;
        }
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn reading_the_docs_never_locks_anyone_out_of_signing_in() {
    let db = skyclust_tests::TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let mut config = db.config();
    (config.rate_limit_anonymous, config.rate_limit_docs) = (2, 3);
    let server = TestServer::start(config).await;
    let http = reqwest::Client::new();
    let origin = server.api_url.trim_end_matches("/api/v1").to_owned();
    // A few reloads of the Swagger UI (page, assets, document) …
    for page in ["/swagger-ui/", "/api-docs/openapi.json", "/swagger-ui/"] {
        let response = http.get(format!("{origin}{page}")).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{page}");
    }
    let refused = http.get(format!("{origin}/api-docs/openapi.json")).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 429);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["data"]["tier"], "documentation");
    assert_eq!(body["data"]["setting"], "SKYCLUST_RATE_LIMIT_DOCS");
    assert!(body["error"].as_str().unwrap().contains("3 requests per 3600 s"), "{body}");
    // … and signing up and in still work: the API's anonymous budget is untouched.
    let ada = server.client();
    register(&ada, "ada").await;
    ada.auth()
        .login(&LoginRequest { email: "ada@example.com".into(), password: "password-ada".into() })
        .await
        .unwrap();
    server.stop().await;
    db.drop_now().await;
}
