//! `/health`, `/health/db`, `/health/redis`.

use skyclust_sdk::ErrorCode;
use skyclust_sdk::types::HealthStatus;
use skyclust_tests::{REDIS_ENV, TestDatabase, TestServer, each_backend};

use crate::register;

#[tokio::test]
async fn health_is_public_and_metrics_are_for_system_readers() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let anonymous = server.client().health().get().await.unwrap();
        assert_eq!(anonymous.status, HealthStatus::Healthy);
        assert!(anonymous.environment.is_none() && anonymous.version.is_none(), "nothing for fingerprinting");
        assert!(anonymous.metrics.is_none());

        let admin = server.client();
        register(&admin, "ada").await;
        let report = admin.health().get().await.unwrap();
        assert_eq!(report.environment.as_deref(), Some("development"));
        assert_eq!(report.version.as_deref(), Some(env!("CARGO_PKG_VERSION")));
        let metrics = report.metrics.expect("admins see metrics");
        assert!(metrics.memory.resident_mb > 0.0);
        assert!(metrics.tokio_tasks > 0);

        let user = server.client();
        register(&user, "grace").await;
        let report = user.health().get().await.unwrap();
        assert!(report.metrics.is_none() && report.version.is_none());

        let bad = server.client();
        bad.set_token(Some("garbage".into()));
        assert_eq!(bad.health().get().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn db_health_measures_the_pool_and_is_for_admins() {
    each_backend(|db| async move {
        let backend = db.backend;
        let config = db.config();
        let with_redis = config.redis_url.is_some();
        let server = TestServer::start(config).await;
        assert_eq!(server.client().health().db().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        let admin = server.client();
        register(&admin, "ada").await;
        let user = server.client();
        register(&user, "grace").await;
        assert_eq!(user.health().db().await.unwrap_err().code(), Some(ErrorCode::Forbidden));
        assert_eq!(user.health().redis().await.unwrap_err().code(), Some(ErrorCode::Forbidden));

        let report = admin.health().db().await.unwrap();
        assert_eq!(report.status, HealthStatus::Healthy);
        let expected = match backend {
            skyclust_tests::Backend::Sqlite => "sqlite",
            skyclust_tests::Backend::Postgres => "postgres",
        };
        assert_eq!(report.backend, expected);
        assert_eq!(report.max_connections, 4);
        assert!(report.connection_count >= 1 && report.connection_count <= 4);
        assert!(report.response_time_ms > 0.0 && report.response_time.ends_with("ms"));

        let redis = admin.health().redis().await.unwrap();
        if with_redis {
            // The whole suite's run with Redis (SKYCLUST_TEST_REDIS_EVERYWHERE).
            assert_eq!((redis.status, redis.rate_limiter.as_str()), (HealthStatus::Healthy, "redis"));
        } else {
            assert_eq!(redis.status, HealthStatus::Disabled);
            assert_eq!((redis.rate_limiter.as_str(), redis.event_bus.as_str()), ("in-process", "in-process"));
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn redis_health_reports_a_real_server() {
    let Ok(redis_url) = std::env::var(REDIS_ENV) else {
        eprintln!("{REDIS_ENV} not set: skipping the live Redis check");
        return;
    };
    let db = TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret(redis_url));
    config.redis_prefix = format!("skyclust-test:{}:", uuid::Uuid::new_v4().simple());
    let server = TestServer::start(config).await;
    let admin = server.client();
    register(&admin, "ada").await;
    let report = admin.health().redis().await.unwrap();
    assert_eq!(report.status, HealthStatus::Healthy);
    assert_eq!(report.rate_limiter, "redis", "the limiter in use is reported");
    assert!(report.connected_clients.unwrap() >= 1);
    assert!(report.used_memory.unwrap().ends_with('B'));
    assert!(report.response_time_ms.unwrap() > 0.0);
    server.stop().await;

    // A Redis that does not answer is a 503 with the envelope.
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret("redis://127.0.0.1:1"));
    let server = TestServer::start(config).await;
    let admin = server.client();
    admin
        .auth()
        .login(&skyclust_sdk::types::LoginRequest {
            email: "ada@example.com".into(),
            password: "password-ada".into(),
        })
        .await
        .unwrap();
    let error = admin.health().redis().await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::ServiceUnavailable));
    assert_eq!(error.status(), Some(503));
    server.stop().await;
    db.drop_now().await;
}
