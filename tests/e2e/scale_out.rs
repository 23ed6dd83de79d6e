//! Several replicas on one database and one Redis behave as one server: budgets are shared,
//! and a Redis outage leaves every replica serving under its own limits.

use std::sync::Arc;

use skyclust_sdk::types::{HealthStatus, LoginRequest};
use skyclust_sdk::{ErrorCode, RetryPolicy, SkyClustClient};
use skyclust_server::clock::ManualClock;
use skyclust_tests::{Backend, REDIS_ENV, TestDatabase, TestServer};

use crate::register;

/// The Redis of this run and a key prefix no other run uses, or `None` (the test is skipped).
fn redis() -> Option<(String, String)> {
    match std::env::var(REDIS_ENV) {
        Ok(url) => Some((url, format!("skyclust-test:{}:", uuid::Uuid::new_v4().simple()))),
        Err(_) => {
            eprintln!("{REDIS_ENV} not set: skipping the scale-out check");
            None
        }
    }
}

/// The database two replicas share: PostgreSQL when this run has it.
async fn shared_database() -> TestDatabase {
    let backend = if skyclust_tests::backends().contains(&Backend::Postgres) {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    TestDatabase::create(backend).await
}

/// Deletes what a test wrote under `prefix` (the keys would expire on their own within hours).
async fn forget(redis_url: &str, prefix: &str) {
    let Ok(client) = redis::Client::open(redis_url) else {
        return;
    };
    let Ok(mut connection) = client.get_multiplexed_async_connection().await else {
        return;
    };
    let keys: Vec<String> =
        redis::cmd("KEYS").arg(format!("{prefix}*")).query_async(&mut connection).await.unwrap_or_default();
    if !keys.is_empty() {
        let _: Result<i64, _> = redis::cmd("DEL").arg(keys).query_async(&mut connection).await;
    }
}

fn without_retries(server: &TestServer, token: &str) -> SkyClustClient {
    let client = SkyClustClient::builder(&server.api_url).retry_policy(RetryPolicy::none()).build().unwrap();
    client.set_token(Some(token.to_owned()));
    client
}

#[tokio::test]
async fn two_replicas_share_one_budget_per_user_and_per_email() {
    let Some((redis_url, prefix)) = redis() else {
        return;
    };
    let db = shared_database().await;
    let mut config = db.config();
    config.redis_url = Some(redis_url.clone());
    config.redis_prefix = prefix.clone();
    config.rate_limit_user = 10;
    config.login_failure_limit = 3;
    // Both replicas' clocks stand in the middle of one window, so no window ends mid-test.
    let noon = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 6, 1, 12, 30, 0).unwrap();
    let one = TestServer::start_with_clock(config.clone(), Arc::new(ManualClock::new(noon))).await;
    let two = TestServer::start_with_clock(config, Arc::new(ManualClock::new(noon))).await;
    let token = register(&one.client(), "ada").await.token;
    let (on_one, on_two) = (without_retries(&one, &token), without_retries(&two, &token));

    // Ten calls split over both replicas spend one budget of ten.
    for call in 0..10 {
        let client = if call % 2 == 0 { &on_one } else { &on_two };
        client.auth().me().await.unwrap();
        assert_eq!(client.rate_limit().unwrap().remaining, 9 - call, "call {call}");
    }
    for client in [&on_one, &on_two] {
        assert_eq!(client.auth().me().await.unwrap_err().code(), Some(ErrorCode::RateLimited));
    }
    let report = one.state.rate_limiter.describe();
    assert_eq!(report, "redis");

    // Failed sign-ins for one email are counted across replicas too.
    let guess = LoginRequest { email: "ada@example.com".into(), password: "not-her-password".into() };
    let anonymous = [
        SkyClustClient::builder(&one.api_url).retry_policy(RetryPolicy::none()).build().unwrap(),
        SkyClustClient::builder(&two.api_url).retry_policy(RetryPolicy::none()).build().unwrap(),
    ];
    for attempt in 0..3 {
        let error = anonymous[attempt % 2].auth().login(&guess).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Unauthorized), "attempt {attempt}");
    }
    for client in &anonymous {
        assert_eq!(client.auth().login(&guess).await.unwrap_err().code(), Some(ErrorCode::RateLimited));
    }
    one.stop().await;
    two.stop().await;
    db.drop_now().await;
    forget(&redis_url, &prefix).await;
}

#[tokio::test]
async fn without_redis_each_replica_keeps_limiting_on_its_own_counters() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    // Nothing listens on port 1: every Redis call fails at once.
    config.redis_url = Some("redis://127.0.0.1:1".into());
    config.rate_limit_user = 3;
    let server = TestServer::start(config).await;
    let admin = server.client();
    let token = register(&admin, "ada").await.token;
    let client = without_retries(&server, &token);
    let error = client.health().redis().await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::ServiceUnavailable));
    assert!(
        server.state.rate_limiter.describe().contains("unreachable"),
        "{}",
        server.state.rate_limiter.describe()
    );
    for _ in 0..2 {
        client.auth().me().await.unwrap();
    }
    assert_eq!(client.auth().me().await.unwrap_err().code(), Some(ErrorCode::RateLimited), "still limited");
    let health = server.client().health().get().await.unwrap();
    assert_eq!(health.status, HealthStatus::Healthy, "the server itself keeps serving");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn the_redis_limiter_counts_fixed_windows_like_the_in_process_one() {
    use skyclust_server::rate_limit::RateLimiter;
    use skyclust_server::rate_limit::redis::RedisRateLimiter;
    let Some((redis_url, prefix)) = redis() else {
        return;
    };
    let start = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2030, 6, 1, 10, 0, 0).unwrap();
    let clock = ManualClock::new(start);
    let limiter = RedisRateLimiter::new(
        redis::Client::open(redis_url.as_str()).unwrap(),
        &prefix,
        Arc::new(clock.clone()),
    );
    let hour = std::time::Duration::from_secs(3600);
    for expected in [2, 1, 0] {
        let decision = limiter.hit("k", 3, hour).await;
        assert!(decision.allowed);
        assert_eq!(decision.remaining, expected);
        assert_eq!(decision.reset_at, (start + chrono::Duration::hours(1)).timestamp());
    }
    let refused = limiter.hit("k", 3, hour).await;
    assert!(!refused.allowed);
    assert_eq!((refused.remaining, refused.retry_after), (0, 3600));
    assert!(!limiter.peek("k", 3, hour).await.allowed);
    limiter.refund("k", refused.reset_at).await;
    assert_eq!(limiter.peek("k", 3, hour).await.remaining, 1, "a refund gives one back");
    assert!(limiter.hit("other", 3, hour).await.allowed, "keys are independent");

    // The next window starts afresh, and a late refund of the last one does not touch it.
    clock.advance(chrono::Duration::hours(1));
    let fresh = limiter.hit("k", 3, hour).await;
    assert!(fresh.allowed);
    assert_eq!(fresh.remaining, 2);
    limiter.refund("k", refused.reset_at).await;
    assert_eq!(limiter.peek("k", 3, hour).await.remaining, 2);
    assert_eq!(limiter.describe(), "redis");
    forget(&redis_url, &prefix).await;
}
