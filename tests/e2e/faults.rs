//! The database going away while requests flow: they are answered `503 SERVICE_UNAVAILABLE`
//! within the acquire timeout (no hang), nothing half-done is stored, and the very next
//! requests after it returns succeed — without a restart. PostgreSQL is reached through a TCP
//! proxy the test cuts, so the PostgreSQL other runs share keeps running.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use skyclust_tests::tcp_proxy::TcpProxy;
use skyclust_tests::{Backend, TestDatabase, TestServer};

use crate::register;

/// A request's status, body and how long it took.
async fn timed(request: reqwest::RequestBuilder) -> (StatusCode, Value, Duration) {
    let started = Instant::now();
    let response = request.send().await.expect("the server answers");
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test]
async fn a_database_outage_is_answered_503_at_once_and_needs_no_restart() {
    if !skyclust_tests::backends().contains(&Backend::Postgres) {
        eprintln!("skipped: SKYCLUST_TEST_DATABASE_URL is not set");
        return;
    }
    let db = TestDatabase::create(Backend::Postgres).await;
    let mut url = url::Url::parse(&db.url).unwrap();
    let upstream = url.socket_addrs(|| Some(5432)).unwrap()[0];
    let proxy = TcpProxy::start(upstream).await;
    // Named, so the test can find the server's own connections among the shared server's.
    let application = format!("skyclust-fault-{}", uuid::Uuid::new_v4().simple());
    url.set_ip_host(proxy.address().ip()).unwrap();
    url.set_port(Some(proxy.address().port())).unwrap();
    url.query_pairs_mut().append_pair("application_name", &application);
    let mut config = db.config();
    config.database_url = skyclust_tests::secret(url.to_string());
    config.db_acquire_timeout_ms = 500;
    config.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
    let server = TestServer::start(config).await;
    let ada = server.client();
    let token = register(&ada, "ada").await.token;
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}{path}", server.api_url);
    let (status, _, _) = timed(http.get(api("/workspaces")).bearer_auth(&token)).await;
    assert_eq!(status, StatusCode::OK);

    // The database goes away: reads, writes and the health check answer 503 quickly.
    proxy.cut();
    let during = [
        http.get(api("/workspaces")).bearer_auth(&token),
        http.post(api("/workspaces")).bearer_auth(&token).json(&json!({"name": "during-the-outage"})),
        http.get(api("/health/db")).bearer_auth(&token),
        http.post(api("/auth/login")).json(&json!({"email": "ada@example.com", "password": "password-ada"})),
    ];
    for request in during {
        let started = Instant::now();
        let response = request.send().await.expect("the server answers");
        assert_eq!(response.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let took = started.elapsed();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
        assert_eq!(body["code"], "SERVICE_UNAVAILABLE", "{body}");
        // Within the 500 ms acquire timeout and some slack: not the default 3 s, nor a hang.
        assert!(took < Duration::from_millis(2500), "answered after {took:?}: no hang on the pool");
    }

    // The metrics show it: the database down, and the requests it failed.
    let (_, samples) = crate::metrics::scrape(&server).await;
    assert_eq!(crate::metrics::value(&samples, "skyclust_db_up"), 0.0);
    assert!(crate::metrics::value(&samples, r#"skyclust_db_errors_total{class="unavailable"}"#) >= 2.0);
    let failed = r#"skyclust_http_requests_total{operation="list_workspaces",status_class="5xx"}"#;
    assert_eq!(crate::metrics::value(&samples, failed), 1.0);

    // It returns: the very next requests succeed, and the write refused during the outage
    // left nothing behind.
    proxy.restore().await;
    let (status, body, _) = timed(http.get(api("/workspaces")).bearer_auth(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let names: Vec<&str> =
        body["data"]["workspaces"].as_array().unwrap().iter().filter_map(|w| w["name"].as_str()).collect();
    assert!(!names.contains(&"during-the-outage"), "{names:?}");
    let (status, _, _) = timed(http.get(api("/health/db")).bearer_auth(&token)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, samples) = crate::metrics::scrape(&server).await;
    assert_eq!(crate::metrics::value(&samples, "skyclust_db_up"), 1.0);

    // The server's connections are killed on the database's side (pg_terminate_backend):
    // the next request still succeeds, on a new connection.
    let admin = sqlx::PgPool::connect(&std::env::var(skyclust_tests::POSTGRES_ENV).unwrap()).await.unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    )
    .bind(&application)
    .fetch_all(&admin)
    .await
    .unwrap();
    assert!(!killed.is_empty() && killed.iter().all(|done| *done), "{killed:?}");
    let (status, body, _) =
        timed(http.post(api("/workspaces")).bearer_auth(&token).json(&json!({"name": "after-the-kill"})))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    admin.close().await;
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn a_graceful_stop_under_load_keeps_everything_it_answered() {
    skyclust_tests::each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let token = register(&server.client(), "ada").await.token;
        let http = reqwest::Client::new();
        let url = format!("{}/workspaces", server.api_url);
        // Writes in flight while the server is told to stop: each is answered in full, or
        // refused before it was taken.
        let writes: Vec<_> = (0..40)
            .map(|n| {
                let request = http.post(&url).bearer_auth(&token).json(&json!({"name": format!("w-{n}")}));
                tokio::spawn(async move {
                    let response = request.send().await.ok()?;
                    let status = response.status();
                    let body: Value = response.json().await.ok()?;
                    (status == StatusCode::CREATED).then(|| body["data"]["id"].as_str().map(str::to_owned))?
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20)).await;
        let url_of_db = db.url.clone();
        server.stop().await;
        let mut answered = Vec::new();
        for write in writes {
            answered.extend(write.await.unwrap());
        }
        answered.sort();

        // Reopened: exactly the answered workspaces exist, each with its audit entry.
        let reopened = skyclust_server::storage::Database::open(&url_of_db, 1).await.unwrap();
        let mut stored: Vec<String> =
            sqlx::query_scalar("SELECT id FROM workspaces WHERE name LIKE 'w-%'").fetch_all(reopened.pool()).await.unwrap();
        stored.sort();
        assert_eq!(stored, answered, "nothing answered is lost, nothing unanswered is half-stored");
        let mut audited: Vec<String> = sqlx::query_scalar(
            "SELECT resource_id FROM audit_logs WHERE action = 'create' AND resource = 'workspace' AND success = 1",
        )
        .fetch_all(reopened.pool())
        .await
        .unwrap();
        audited.sort();
        assert_eq!(audited, answered, "every answered write has its audit entry");
        reopened.close().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn text_holding_nul_is_refused_alike_on_every_backend() {
    // PostgreSQL cannot store NUL in text; SQLite could. Both refuse it, before the database.
    skyclust_tests::each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let token = register(&server.client(), "ada").await.token;
        let http = reqwest::Client::new();
        let refused = [
            http.post(format!("{}/workspaces", server.api_url))
                .bearer_auth(&token)
                .header("content-type", "application/json")
                .body(r#"{"name": "a\u0000b"}"#),
            http.get(format!("{}/vms?region=%00", server.api_url)).bearer_auth(&token),
        ];
        for request in refused {
            let (status, body, _) = timed(request).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
            assert_eq!(body["code"], "VALIDATION_ERROR", "{body}");
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn a_full_sqlite_disk_refuses_writes_with_503_and_keeps_serving_reads() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    // One connection, so the simulated limit below applies to every query.
    config.db_max_connections = 1;
    let server = TestServer::start(config).await;
    let token = register(&server.client(), "ada").await.token;
    let http = reqwest::Client::new();
    let api = |path: &str| format!("{}{path}", server.api_url);
    let (status, _, _) =
        timed(http.post(api("/workspaces")).bearer_auth(&token).json(&json!({"name": "before"}))).await;
    assert_eq!(status, StatusCode::CREATED);

    // The disk is full: the file may not grow by a single page.
    let pool = server.state.db.pool();
    let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(pool).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {pages}"))).execute(pool).await.unwrap();
    let description = "x".repeat(2000);
    let mut refused = Vec::new();
    for n in 0..20 {
        let name = format!("full-{n}");
        let request = http
            .post(api("/workspaces"))
            .bearer_auth(&token)
            .json(&json!({"name": name, "description": description}));
        let (status, body, took) = timed(request).await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(body["code"], "SERVICE_UNAVAILABLE", "{body}");
            assert!(took < Duration::from_secs(2), "{took:?}");
            refused.push(name);
        } else {
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    }
    assert!(refused.len() >= 10, "the free pages fill up quickly: only {} refused", refused.len());
    // Still the one connection the limit was set on (a replaced one would have lifted it).
    let limit: i64 = sqlx::query_scalar("PRAGMA max_page_count").fetch_one(pool).await.unwrap();
    assert_eq!(limit, pages);
    // Reads keep working, and no refused write left anything.
    let (status, body, _) = timed(http.get(api("/workspaces?limit=100")).bearer_auth(&token)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let names: Vec<&str> =
        body["data"]["workspaces"].as_array().unwrap().iter().filter_map(|w| w["name"].as_str()).collect();
    assert!(names.contains(&"before"));
    assert!(refused.iter().all(|name| !names.contains(&name.as_str())), "{names:?}");

    // Space again: writes succeed without a restart.
    sqlx::query("PRAGMA max_page_count = 1073741823").execute(pool).await.unwrap();
    let (status, body, _) =
        timed(http.post(api("/workspaces")).bearer_auth(&token).json(&json!({"name": "after"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    server.stop().await;
    db.drop_now().await;
}
