//! Several replicas on one database and one Redis behave as one server: budgets are shared,
//! and a Redis outage leaves every replica serving under its own limits.

use std::sync::Arc;

use futures_util::StreamExt;
use skyclust_sdk::types::events::Event;
use skyclust_sdk::types::{HealthStatus, LoginRequest, Role, UpdateUserRequest};
use skyclust_sdk::{ErrorCode, RetryPolicy, SkyClustClient};
use skyclust_server::clock::ManualClock;
use skyclust_tests::{Backend, REDIS_ENV, TestDatabase, TestServer};

use crate::register;

mod redis_connections;

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
    config.redis_url = Some(skyclust_tests::secret(redis_url.clone()));
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
    config.redis_url = Some(skyclust_tests::secret("redis://127.0.0.1:1"));
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

    // Events still reach this replica's own sockets.
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret("redis://127.0.0.1:1"));
    let other = TestServer::start(config).await;
    let admin = without_retries(&other, &token);
    let mut stream = admin.events().subscribe().await.unwrap();
    let workspace = crate::vms::workspace(&admin, "local").await;
    assert_eq!(next_workspace_entry(&mut stream).await, workspace.to_string());
    assert!(other.state.events.bus().describe().contains("unreachable"));
    other.stop().await;
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

/// Waits until `server`'s event bus hears the other replicas.
async fn bus_connected(server: &TestServer) {
    tokio::time::timeout(PATIENCE, async {
        while server.state.events.bus().describe() != "redis" {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the replica subscribes to the Redis event channel");
}

const PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// The error that ends `stream`, which must come within a second.
async fn within_a_second(stream: &mut skyclust_sdk::EventStream) -> skyclust_sdk::Error {
    tokio::time::timeout(std::time::Duration::from_secs(1), async {
        loop {
            match stream.next().await {
                Some(Err(error)) if error.is_fatal() => return error,
                Some(_) => {}
                None => panic!("the stream ended without the revocation"),
            }
        }
    })
    .await
    .expect("closed within a second")
}

/// The next workspace audit entry on `stream`, skipping anything else.
async fn next_workspace_entry(stream: &mut skyclust_sdk::EventStream) -> String {
    loop {
        match tokio::time::timeout(PATIENCE, stream.next()).await.expect("an event in time") {
            Some(Ok(Event::AuditLogCreated { data, .. })) if data.resource == "workspace" => {
                return data.resource_id.unwrap_or_default();
            }
            Some(Ok(_)) => {}
            Some(Err(error)) if !error.is_fatal() => {}
            other => panic!("expected an event, got {other:?}"),
        }
    }
}

/// Whether `check` holds within a second (asked every 20 ms).
async fn eventually<F, Fut>(check: F) -> bool
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..50 {
        if check().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test]
async fn events_and_revocations_reach_every_replica_exactly_once() {
    let Some((redis_url, prefix)) = redis() else {
        return;
    };
    let db = shared_database().await;
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret(redis_url.clone()));
    config.redis_prefix = prefix.clone();
    let one = TestServer::start(config.clone()).await;
    let two = TestServer::start(config).await;
    bus_connected(&one).await;
    bus_connected(&two).await;
    let token = register(&one.client(), "ada").await.token;
    let (on_one, on_two) = (without_retries(&one, &token), without_retries(&two, &token));
    let mut stream_one = on_one.events().subscribe().await.unwrap();
    let mut stream_two = on_two.events().subscribe().await.unwrap();

    // A workspace created through replica one: its audit entry reaches the sockets of both
    // replicas, once each (no echo from Redis on the publisher's own sockets).
    // A workspace made on replica two once it has heard the first through Redis marks the end:
    // Redis delivers in publish order, so an echo of the first on replica one would come
    // before the marker there.
    let workspace = crate::vms::workspace(&on_one, "across").await;
    assert_eq!(next_workspace_entry(&mut stream_two).await, workspace.to_string());
    let marker = crate::vms::workspace(&on_two, "marker").await;
    assert_eq!(next_workspace_entry(&mut stream_two).await, marker.to_string(), "delivered twice");
    assert_eq!(next_workspace_entry(&mut stream_one).await, workspace.to_string());
    assert_eq!(next_workspace_entry(&mut stream_one).await, marker.to_string(), "delivered twice");
    assert_eq!(two.state.events.bus().describe(), "redis");

    // A role change made on replica one ends that user's sockets on replica two within a second,
    // and replica two, which had just checked bob's token (and keeps it a few seconds), answers
    // his requests with the new role within a second too.
    let bob = register(&one.client(), "bob").await;
    let bob_two = without_retries(&two, &bob.token);
    assert_eq!(bob_two.auth().me().await.unwrap().user.role, Role::User);
    let mut bob_on_two = bob_two.events().subscribe().await.unwrap();
    on_one
        .users()
        .update(bob.user.id, &UpdateUserRequest { username: None, role: Some(Role::Viewer), is_active: None })
        .await
        .unwrap();
    let ended = within_a_second(&mut bob_on_two).await;
    assert_eq!(ended.code(), Some(ErrorCode::Unauthorized), "{ended}");
    assert!(
        eventually(|| async { bob_two.auth().me().await.is_ok_and(|me| me.user.role == Role::Viewer) }).await,
        "replica two still answers with bob's old role"
    );

    // Signing out on replica one closes the same token's socket on replica two within a second,
    // and replica two refuses the token within a second although it had just accepted it.
    assert!(on_two.auth().me().await.is_ok());
    on_one.auth().logout().await.unwrap();
    let closed = within_a_second(&mut stream_two).await;
    assert_eq!(closed.code(), Some(ErrorCode::Unauthorized), "{closed}");
    assert!(
        eventually(|| async {
            on_two.auth().me().await.is_err_and(|error| error.code() == Some(ErrorCode::Unauthorized))
        })
        .await,
        "replica two still accepts a token signed out on replica one"
    );
    one.stop().await;
    two.stop().await;
    db.drop_now().await;
    forget(&redis_url, &prefix).await;
}

/// A Redis server of this test's own, which the test can stop and start again.
struct OwnRedis {
    port: u16,
    args: Vec<String>,
    process: Option<std::process::Child>,
}

impl OwnRedis {
    /// Starts `redis-server` on a free port, or `None` when it is not installed.
    async fn start() -> Option<OwnRedis> {
        Self::start_with(&[]).await
    }

    /// As [`OwnRedis::start`], with more `redis-server` arguments.
    async fn start_with(args: &[&str]) -> Option<OwnRedis> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let args = args.iter().map(|arg| (*arg).to_owned()).collect();
        let mut redis = OwnRedis { port, args, process: None };
        redis.resume().await.then_some(redis)
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    async fn resume(&mut self) -> bool {
        let spawned = std::process::Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(&self.args)
            .stdout(std::process::Stdio::null())
            .spawn();
        let Ok(process) = spawned else {
            eprintln!("redis-server is not installed: skipping the Redis restart check");
            return false;
        };
        self.process = Some(process);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.is_ok() {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        false
    }

    fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

#[tokio::test]
async fn replicas_keep_serving_while_redis_is_down_and_reconnect_when_it_is_back() {
    if std::env::var(REDIS_ENV).is_err() {
        eprintln!("{REDIS_ENV} not set: skipping the Redis restart check");
        return;
    }
    let Some(mut redis) = OwnRedis::start().await else {
        return;
    };
    let db = shared_database().await;
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret(redis.url()));
    let one = TestServer::start(config.clone()).await;
    let two = TestServer::start(config).await;
    bus_connected(&one).await;
    bus_connected(&two).await;
    let token = register(&one.client(), "ada").await.token;
    let (on_one, on_two) = (without_retries(&one, &token), without_retries(&two, &token));

    redis.stop();
    // Both replicas go on serving; /health/redis says what is wrong.
    on_one.auth().me().await.unwrap();
    on_two.auth().me().await.unwrap();
    let error = on_two.health().redis().await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::ServiceUnavailable));
    // With no revocation able to arrive, no checked token is kept: each is checked in the database.
    on_two.auth().me().await.unwrap();
    assert!(two.state.events.principals().is_empty(), "a token was trusted while Redis was down");

    // Once Redis is back, events cross replicas again, without a restart.
    assert!(redis.resume().await, "redis-server restarts");
    bus_connected(&one).await;
    bus_connected(&two).await;
    let mut stream_two = on_two.events().subscribe().await.unwrap();
    let workspace = crate::vms::workspace(&on_one, "after-the-outage").await;
    assert_eq!(next_workspace_entry(&mut stream_two).await, workspace.to_string());
    one.stop().await;
    two.stop().await;
    db.drop_now().await;
}
