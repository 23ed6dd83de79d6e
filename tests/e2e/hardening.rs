//! What one client cannot do to the server: exhaust password hashing, connections or
//! WebSocket sessions, start it with settings that break it, or step around its limits.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use skyclust_sdk::types::{CreateApiKeyRequest, LoginRequest, RegisterRequest};
use skyclust_sdk::{ErrorCode, RetryPolicy, SkyClustClient};
use skyclust_server::websocket::sessions::Holder;
use skyclust_server::{Server, StartupError};
use skyclust_tests::{Backend, TestDatabase, TestServer, each_backend};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use crate::register;

mod budgets;

/// Long enough for anything the server does on its own in these tests.
const PATIENCE: Duration = Duration::from_secs(10);

fn no_retries(server: &TestServer) -> SkyClustClient {
    SkyClustClient::builder(&server.api_url).retry_policy(RetryPolicy::none()).build().unwrap()
}

#[tokio::test]
async fn sign_ins_beyond_the_hashing_slots_are_refused_at_once_with_503() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.password_hash_concurrency = 1;
    config.password_hash_wait_ms = 0;
    config.login_failure_limit = 1000;
    let server = TestServer::start(config).await;
    register(&server.client(), "ada").await;
    let http = reqwest::Client::new();
    let login = format!("{}/auth/login", server.api_url);
    let attempts = (0..24).map(|_| {
        http.post(&login)
            .json(&serde_json::json!({"email": "ada@example.com", "password": "password-ada"}))
            .send()
    });
    let mut statuses = Vec::new();
    for response in futures_util::future::join_all(attempts).await {
        let response = response.unwrap();
        let status = response.status().as_u16();
        if status == 503 {
            assert_eq!(response.headers()["retry-after"], "1");
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], "SERVICE_UNAVAILABLE");
        }
        statuses.push(status);
    }
    assert!(statuses.iter().all(|status| [200, 503].contains(status)), "{statuses:?}");
    assert!(
        statuses.contains(&200) && statuses.contains(&503),
        "one slot: some served, the rest refused: {statuses:?}"
    );
    server.stop().await;
    db.drop_now().await;
}

/// Reads until the server closes the socket (`true`) or `PATIENCE` runs out (`false`).
async fn closed_by_server(socket: &mut TcpStream) -> bool {
    let mut buffer = [0u8; 4096];
    tokio::time::timeout(PATIENCE, async {
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn silent_and_half_sent_connections_are_closed_and_the_connection_cap_holds() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.header_read_timeout_secs = 1;
    config.idle_timeout_secs = 1;
    config.max_connections = 3;
    let server = TestServer::start(config).await;
    let address = server.root_url.trim_start_matches("http://").to_owned();
    let health = format!("{}/health", server.api_url);

    // Three connections that send nothing, half a request head, or a head one byte at a time.
    let mut silent = TcpStream::connect(&address).await.unwrap();
    let mut half = TcpStream::connect(&address).await.unwrap();
    half.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut trickle = TcpStream::connect(&address).await.unwrap();
    let trickler = tokio::spawn(async move {
        for byte in b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Pad: ".iter().cycle().take(200) {
            if trickle.write_all(&[*byte]).await.is_err() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        false
    });
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while server.state.connections.open() < 3 {
        assert!(tokio::time::Instant::now() < deadline, "three connections accepted");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(server.state.connections.open(), 3);

    // At the cap, a fourth client is not served until a slot frees up.
    let waiting = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    assert!(waiting.get(&health).send().await.is_err(), "no fourth connection is served at the cap");

    // Each of the three is closed after the header-read timeout, without sending a request.
    assert!(closed_by_server(&mut silent).await, "a silent connection is closed");
    assert!(closed_by_server(&mut half).await, "half a request head is not waited for");
    assert!(tokio::time::timeout(PATIENCE, trickler).await.unwrap().unwrap(), "a trickled head is cut off");
    let served = reqwest::Client::new().get(&health).send().await.unwrap();
    assert_eq!(served.status().as_u16(), 200, "normal clients are served again");

    // A kept-alive connection that goes quiet after its request is closed too.
    let mut kept = TcpStream::connect(&address).await.unwrap();
    kept.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut first = [0u8; 12];
    kept.read_exact(&mut first).await.unwrap();
    assert_eq!(&first, b"HTTP/1.1 200");
    assert!(closed_by_server(&mut kept).await, "an idle keep-alive connection is closed");
    wait_until(|| server.state.connections.open() == 0).await;
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn one_address_cannot_hold_every_connection_unless_it_is_a_trusted_proxy() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    for trusted in [false, true] {
        let mut config = db.config();
        config.max_connections_per_address = 2;
        if trusted {
            config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        }
        let server = TestServer::start(config).await;
        let address = server.root_url.trim_start_matches("http://").to_owned();
        let _held =
            [TcpStream::connect(&address).await.unwrap(), TcpStream::connect(&address).await.unwrap()];
        wait_until(|| server.state.connections.open() == 2).await;
        let mut third = TcpStream::connect(&address).await.unwrap();
        third.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut answer = [0u8; 12];
        let read =
            tokio::time::timeout(PATIENCE, third.read(&mut answer)).await.expect("an answer or a close");
        if trusted {
            assert_eq!(&answer[..read.unwrap()], b"HTTP/1.1 200", "a trusted proxy carries many clients");
        } else {
            assert!(matches!(read, Ok(0) | Err(_)), "the third connection is closed at once");
        }
        server.stop().await;
    }
    db.drop_now().await;
}

#[tokio::test]
async fn an_oversized_request_head_is_refused_not_buffered() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let address = server.root_url.trim_start_matches("http://").to_owned();
    let mut socket = TcpStream::connect(&address).await.unwrap();
    let padding = "x".repeat(200 * 1024);
    let head = format!("GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Pad: {padding}\r\n\r\n");
    // The server may stop reading before the whole head is written.
    let _ = socket.write_all(head.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, socket.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431"), "{answer}");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn a_request_that_outlives_its_time_limit_is_answered_503() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.request_timeout_secs = 1;
    config.header_read_timeout_secs = 30;
    config.idle_timeout_secs = 1;
    let server = TestServer::start(config).await;
    let address = server.root_url.trim_start_matches("http://").to_owned();
    // The head promises a body that never fully arrives.
    let mut slow = TcpStream::connect(&address).await.unwrap();
    let head = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
    slow.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, slow.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.contains("SERVICE_UNAVAILABLE") && answer.to_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    server.stop().await;
    db.drop_now().await;
}

async fn ws_connect(
    server: &TestServer,
) -> Result<
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>,
    tokio_tungstenite::tungstenite::Error,
> {
    let url = server.root_url.replace("http://", "ws://") + "/ws";
    tokio_tungstenite::connect_async(&url).await.map(|(socket, _)| socket)
}

async fn next_text(
    socket: &mut tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>,
) -> Message {
    tokio::time::timeout(PATIENCE, socket.next()).await.expect("an answer").expect("open").expect("a frame")
}

#[tokio::test]
async fn websocket_sessions_are_capped_per_user_and_address_and_messages_are_budgeted() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.ws_max_sessions_per_user = 2;
    config.ws_max_sessions_per_address = 3;
    config.ws_messages_per_minute = 5;
    let server = TestServer::start(config).await;
    let ada = server.client();
    let ada_id = register(&ada, "ada").await.user.id;
    let token = ada.token().unwrap();
    let auth = serde_json::json!({"type": "auth", "token": token}).to_string();

    let mut sessions = Vec::new();
    for _ in 0..2 {
        let mut socket = ws_connect(&server).await.unwrap();
        socket.send(Message::Text(auth.clone().into())).await.unwrap();
        assert!(next_text(&mut socket).await.to_text().unwrap().contains("auth_success"));
        sessions.push(socket);
    }
    // A third session of the same user is closed with 4029 after authenticating.
    let mut third = ws_connect(&server).await.unwrap();
    third.send(Message::Text(auth.clone().into())).await.unwrap();
    assert!(next_text(&mut third).await.to_text().unwrap().contains("RATE_LIMITED"));
    match next_text(&mut third).await {
        Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 4029),
        other => panic!("expected a 4029 close, got {other:?}"),
    }
    drop(third);
    // The address holds two sessions and one unauthenticated connection: the next is refused.
    let address = Holder::Address(Some("127.0.0.1".parse().unwrap()));
    wait_until(|| server.state.ws_sessions.held(address) == 2).await;
    let _pending = ws_connect(&server).await.unwrap();
    match ws_connect(&server).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429)
        }
        other => panic!("expected 429, got {:?}", other.map(|_| ())),
    }

    // Five messages a minute: the sixth and later are answered without being processed.
    let socket = &mut sessions[0];
    let subscribe = serde_json::json!({"type": "subscribe", "events": ["vm_status_changed"]}).to_string();
    for _ in 0..5 {
        socket.send(Message::Text(subscribe.clone().into())).await.unwrap();
        assert!(next_text(socket).await.to_text().unwrap().contains("subscribed"));
    }
    for _ in 0..3 {
        socket.send(Message::Text(subscribe.clone().into())).await.unwrap();
        let reply = next_text(socket).await;
        assert!(reply.to_text().unwrap().contains("RATE_LIMITED"), "{reply:?}");
    }
    // A closed session gives its place back to the user.
    drop(sessions);
    wait_until(|| server.state.ws_sessions.held(Holder::User(ada_id)) == 0).await;
    let mut again = ws_connect(&server).await.unwrap();
    again.send(Message::Text(auth.clone().into())).await.unwrap();
    assert!(next_text(&mut again).await.to_text().unwrap().contains("auth_success"));
    server.stop().await;
    db.drop_now().await;
}

/// Polls `condition` until it holds (or fails the test after `PATIENCE`).
async fn wait_until(condition: impl Fn() -> bool) {
    tokio::time::timeout(PATIENCE, async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the condition came true in time");
}

#[tokio::test]
async fn unsafe_settings_stop_the_server_at_start_with_the_reason() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.jwt_ttl_secs = u64::MAX / 2;
    let error = Server::bind(config).await.unwrap_err();
    assert!(matches!(error, StartupError::Config(_)), "{error}");
    assert!(error.to_string().contains("SKYCLUST_JWT_TTL_SECS"), "{error}");

    let mut config = db.config();
    config.bind = "0.0.0.0:0".parse().unwrap();
    let error = Server::bind(config).await.unwrap_err();
    assert!(error.to_string().contains("SKYCLUST_ENV=production"), "{error}");
    db.drop_now().await;
}

/// A server on a fresh SQLite database, and ada signed in to it.
async fn with_ada() -> (TestDatabase, TestServer, SkyClustClient) {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let ada = server.client();
    register(&ada, "ada").await;
    (db, server, ada)
}

#[tokio::test]
async fn out_of_range_inputs_are_validation_errors_not_500s() {
    let (db, server, ada) = with_ada().await;
    let token = ada.token().unwrap();
    let http = reqwest::Client::new();
    let far = http
        .post(format!("{}/api-keys", server.api_url))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "forever", "expires_at": "+10000-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap();
    let status = far.status().as_u16();
    let body: serde_json::Value = far.json().await.unwrap();
    assert_eq!(status, 400, "{body}");
    assert!(body["data"]["fields"]["expires_at"].is_string(), "{body}");
    for query in ["start_date=%2B10000-01-01T00:00:00Z", "end_date=0001-01-01", "offset=99999999999999999999"]
    {
        let response = http
            .get(format!("{}/workspaces?{query}", server.api_url))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{query}");
    }
    assert_eq!(
        ada.api_keys().list(&Default::default()).await.unwrap().api_keys.len(),
        0,
        "nothing was stored"
    );

    // The commonest passwords are refused, in any case.
    let weak = ada
        .auth()
        .register(&RegisterRequest {
            username: "bob".into(),
            email: "bob@example.com".into(),
            password: "Password123".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(weak.code(), Some(ErrorCode::ValidationError));
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn responses_carry_the_security_headers() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let http = reqwest::Client::new();
    let register = http
        .post(format!("{}/auth/register", server.api_url))
        .json(&serde_json::json!({"username": "ada", "email": "ada@example.com", "password": "password-ada"}))
        .send()
        .await
        .unwrap();
    assert_eq!(register.status().as_u16(), 201);
    assert_eq!(register.headers()["cache-control"], "no-store", "a token is never cached");
    assert_eq!(register.headers()["x-content-type-options"], "nosniff");
    let missing = http.get(format!("{}/nowhere", server.api_url)).send().await.unwrap();
    assert_eq!(missing.headers()["x-content-type-options"], "nosniff");
    let ui = http.get(format!("{}/swagger-ui/", server.root_url)).send().await.unwrap();
    assert_eq!(ui.status().as_u16(), 200);
    let policy = ui.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"), "{policy}");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn reactivating_a_user_does_not_revive_tokens_or_keys_issued_before_deactivation() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        register(&admin, "root").await;
        let grace = server.client();
        let grace_id = register(&grace, "grace").await.user.id;
        let key = grace
            .api_keys()
            .create(&CreateApiKeyRequest { name: "old".into(), expires_at: None, read_only: None })
            .await
            .unwrap()
            .key;
        let with_key = no_retries(&server);
        with_key.set_api_key(key);
        let set_active = |active: bool| skyclust_sdk::types::UpdateUserRequest {
            username: None,
            role: None,
            is_active: Some(active),
        };
        admin.users().update(grace_id, &set_active(false)).await.unwrap();
        let deactivated = chrono::Utc::now().timestamp();
        admin.users().update(grace_id, &set_active(true)).await.unwrap();
        for old in [&grace, &with_key] {
            assert_eq!(old.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        }
        // Tokens issued after the reactivation work. A token's `iat` has whole seconds, so one
        // from the deactivation's own second cannot be told from an older one: sign in once
        // the clock has left that second.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
        while chrono::Utc::now().timestamp() <= deactivated {
            assert!(tokio::time::Instant::now() < deadline, "the clock moves on");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let fresh = server.client();
        fresh
            .auth()
            .login(&LoginRequest { email: "grace@example.com".into(), password: "password-grace".into() })
            .await
            .unwrap();
        assert_eq!(fresh.auth().me().await.unwrap().user.id, grace_id);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

/// Text the answers show again holds no control or hidden character a terminal would obey or a
/// reader could be fooled by (an escape sequence, a right-to-left override); a description
/// keeps its lines and tabs.
#[tokio::test]
async fn text_that_could_drive_a_terminal_or_reorder_a_line_is_refused() {
    let (db, server, ada) = with_ada().await;
    let token = ada.token().unwrap();
    let http = reqwest::Client::new();
    let vm = |extra: serde_json::Value| {
        let mut body = serde_json::json!({
            "name": "v", "provider": "sandbox", "instance_type": "t3.micro", "region": "us-east-1"
        });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let nil = uuid::Uuid::nil();
    let cases = [
        ("/workspaces", serde_json::json!({"name": "w", "description": "evil\u{1b}[2Jdesc"}), "description"),
        ("/workspaces", serde_json::json!({"name": "w", "description": "evil\u{202e}desc"}), "description"),
        (
            "/credentials",
            serde_json::json!({"name": "c", "provider": "sandbox", "data": {"region": "SECRET\u{202e}"}}),
            "data.region",
        ),
        ("/vms", vm(serde_json::json!({"image_id": "ami-\u{202e}x"})), "image_id"),
        ("/vms", vm(serde_json::json!({"key_pair": "k\u{7}p"})), "key_pair"),
        // Invisible text riding along (emoji tags outside a flag), a joiner that makes two image
        // ids look alike, a blank value.
        ("/workspaces", serde_json::json!({"name": "w", "description": "x\u{e0041}y"}), "description"),
        ("/vms", vm(serde_json::json!({"image_id": "ami-1\u{200d}2"})), "image_id"),
        ("/vms", vm(serde_json::json!({"image_id": "   "})), "image_id"),
        (
            "/vms/import",
            serde_json::json!({
                "credential_id": nil, "provider_instance_id": "i-x\u{202e}", "region": "us-east-1",
                "workspace_id": nil
            }),
            "provider_instance_id",
        ),
    ];
    let post = |path: &str, body: &serde_json::Value| {
        http.post(format!("{}{path}", server.api_url)).bearer_auth(&token).json(body).send()
    };
    for (path, body, field) in cases {
        let response = post(path, &body).await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, 400, "{path} {body}: {text}");
        let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(answer["data"]["fields"][field].is_string(), "{path}: {answer}");
        assert!(!text.contains(['\u{202e}', '\u{1b}', '\u{7}', '\u{e0041}']), "{path}: {text}");
    }
    let lines = serde_json::json!({"name": "lines", "description": "first line\nsecond\tcolumn"});
    assert_eq!(post("/workspaces", &lines).await.unwrap().status().as_u16(), 201);
    server.stop().await;
    db.drop_now().await;
}
