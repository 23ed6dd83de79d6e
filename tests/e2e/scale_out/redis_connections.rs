//! How replicas connect to Redis: passwords, malformed URLs, and TLS with a verified server.

use super::*;

#[tokio::test]
async fn a_redis_url_with_a_password_works_and_a_malformed_one_stops_the_start() {
    if std::env::var(REDIS_ENV).is_err() {
        eprintln!("{REDIS_ENV} not set: skipping the Redis password check");
        return;
    }
    let Some(redis) = OwnRedis::start_with(&["--requirepass", "s3cret-pass"]).await else {
        return;
    };
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret(format!("redis://:s3cret-pass@127.0.0.1:{}", redis.port)));
    let server = TestServer::start(config).await;
    bus_connected(&server).await;
    let admin = server.client();
    register(&admin, "ada").await;
    let report = admin.health().redis().await.unwrap();
    assert_eq!((report.status, report.rate_limiter.as_str()), (HealthStatus::Healthy, "redis"));
    server.stop().await;

    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret("not a url"));
    let error = skyclust_server::Server::bind(config).await.unwrap_err();
    assert!(error.to_string().contains("SKYCLUST_REDIS_URL"), "{error}");
    db.drop_now().await;
}

/// Makes a CA and a certificate for 127.0.0.1 signed by it in `dir` with the `openssl` command;
/// `false` when it is not installed.
fn make_certificates(dir: &std::path::Path) -> bool {
    let run = |args: &[&str]| {
        std::process::Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=skyclust-test-ca",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ]) && run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "redis.key",
        "-out",
        "redis.csr",
    ]) && std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").is_ok()
        && run(&[
            "x509",
            "-req",
            "-in",
            "redis.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "san.ext",
            "-out",
            "redis.crt",
        ])
}

#[tokio::test]
async fn rediss_urls_connect_over_tls_and_verify_the_server() {
    if std::env::var(REDIS_ENV).is_err() {
        eprintln!("{REDIS_ENV} not set: skipping the Redis TLS check");
        return;
    }
    let dir = std::env::temp_dir().join(format!("skyclust-redis-tls-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    if !make_certificates(&dir) {
        eprintln!("openssl is not installed: skipping the Redis TLS check");
        return;
    }
    let file = |name: &str| dir.join(name).display().to_string();
    let tls_port =
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let (cert, key, ca) = (file("redis.crt"), file("redis.key"), file("ca.crt"));
    let args = [
        "--tls-port",
        &tls_port,
        "--tls-cert-file",
        &cert,
        "--tls-key-file",
        &key,
        "--tls-ca-cert-file",
        &ca,
        "--tls-auth-clients",
        "no",
    ];
    let Some(_redis) = OwnRedis::start_with(&args).await else {
        return;
    };
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.redis_url = Some(skyclust_tests::secret(format!("rediss://127.0.0.1:{tls_port}")));
    config.redis_ca_cert = Some(dir.join("ca.crt"));
    let server = TestServer::start(config.clone()).await;
    bus_connected(&server).await;
    let admin = server.client();
    register(&admin, "ada").await;
    let report = admin.health().redis().await.unwrap();
    assert_eq!((report.status, report.rate_limiter.as_str()), (HealthStatus::Healthy, "redis"));
    server.stop().await;

    // Without the CA, the server's certificate is not trusted: Redis counts as unreachable.
    config.redis_ca_cert = None;
    let untrusting = TestServer::start(config).await;
    let admin = untrusting.client();
    admin
        .auth()
        .login(&LoginRequest { email: "ada@example.com".into(), password: "password-ada".into() })
        .await
        .unwrap();
    assert_eq!(admin.health().redis().await.unwrap_err().code(), Some(ErrorCode::ServiceUnavailable));
    untrusting.stop().await;
    db.drop_now().await;
    let _ = std::fs::remove_dir_all(&dir);
}
