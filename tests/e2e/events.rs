//! Real-time events end to end: delivery, isolation, filters, revocation, reconnects after a
//! restart, the authentication deadline, slow consumers, and a thousand sockets at once.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use skyclust_sdk::types::events::Event;
use skyclust_sdk::types::events::{EventType, VmStatus, VmStatusChange};
use skyclust_sdk::types::{AddMemberRequest, CreateWorkspaceRequest, ListQuery};
use skyclust_sdk::{Error, ErrorCode, RetryPolicy, SkyClustClient, Subscription};
use skyclust_tests::{Backend, TestDatabase, TestServer, each_backend};
use tokio_tungstenite::tungstenite::Message;

use crate::register;

mod load;

const PATIENCE: Duration = Duration::from_secs(10);

/// The next event, skipping non-fatal reconnect notices.
async fn next_event(stream: &mut skyclust_sdk::EventStream) -> Event {
    loop {
        match tokio::time::timeout(PATIENCE, stream.next()).await.expect("an event in time") {
            Some(Ok(event)) => return event,
            Some(Err(error)) if !error.is_fatal() => continue,
            other => panic!("expected an event, got {other:?}"),
        }
    }
}

/// Nothing arrives within a short while.
/// An unread, low-priority notification to publish straight onto the bus.
fn notification(title: &str, message: String) -> skyclust_sdk::types::Notification {
    skyclust_sdk::types::Notification {
        id: uuid::Uuid::new_v4(),
        title: title.into(),
        message,
        kind: skyclust_sdk::types::NotificationType::Info,
        priority: skyclust_sdk::types::Priority::Low,
        is_read: false,
        created_at: chrono::Utc::now(),
        read_at: None,
    }
}

/// Proves `stream` (of `user`) received nothing so far, without waiting for nothing: a
/// notification sent to `user` now must be the next event it sees, as events arrive in order.
async fn assert_quiet(server: &TestServer, stream: &mut skyclust_sdk::EventStream, user: uuid::Uuid) {
    let marker = notification("marker", "nothing came before this".into());
    server.state.events.notification_received(user, marker.clone());
    match next_event(stream).await {
        Event::NotificationReceived { data, .. } if data.id == marker.id => {}
        other => panic!("expected silence, got {other:?}"),
    }
}

fn fast_reconnects() -> Subscription {
    Subscription {
        reconnect: RetryPolicy {
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(200),
            ..RetryPolicy::default()
        },
        ..Subscription::default()
    }
}

#[tokio::test]
async fn events_reach_exactly_the_users_allowed_to_see_them() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        let admin_id = register(&admin, "root").await.user.id;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let eve = server.client();
        let eve_id = register(&eve, "eve").await.user.id;

        let mut admin_events = admin.events().subscribe().await.unwrap();
        let mut ada_events = ada.events().subscribe().await.unwrap();
        let mut eve_events = eve.events().subscribe().await.unwrap();
        let mut admin_notifications_only = admin
            .events()
            .subscribe_with(Subscription {
                events: vec![EventType::NotificationReceived],
                ..Subscription::default()
            })
            .await
            .unwrap();

        // The admin adds ada to a workspace: ada is notified; the admin sees the audit entries.
        let workspace = admin
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "prod".into(), description: None })
            .await
            .unwrap();
        admin.workspaces().add_member(workspace.id, &AddMemberRequest::user(ada_id, None)).await.unwrap();

        match next_event(&mut ada_events).await {
            Event::NotificationReceived { data, id, .. } => {
                assert_eq!(data.title, "Added to a workspace");
                assert!(id.starts_with("evt_"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let mut audited = Vec::new();
        for _ in 0..2 {
            match next_event(&mut admin_events).await {
                Event::AuditLogCreated { data, .. } => audited.push((data.action, data.resource)),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(
            audited,
            [("create".into(), "workspace".into()), ("add_member".into(), "workspace".into())]
        );

        // Eve sees none of it; the filtered stream none of the audit entries; ada none of the admin's.
        assert_quiet(&server, &mut eve_events, eve_id).await;
        assert_quiet(&server, &mut admin_notifications_only, admin_id).await;
        assert_quiet(&server, &mut ada_events, ada_id).await;
        // The admin's unfiltered stream got the marker too.
        assert!(matches!(next_event(&mut admin_events).await, Event::NotificationReceived { .. }));

        // Workspace events go to its members and admins only, and a workspace filter narrows.
        let other = admin
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "other".into(), description: None })
            .await
            .unwrap();
        let mut ada_prod_only = ada
            .events()
            .subscribe_with(Subscription { workspace_id: Some(workspace.id), ..Subscription::default() })
            .await
            .unwrap();
        let hidden = eve
            .events()
            .subscribe_with(Subscription { workspace_id: Some(workspace.id), ..Subscription::default() })
            .await
            .unwrap_err();
        assert_eq!(hidden.code(), Some(ErrorCode::NotFound));
        for (id, status) in [(other.id, VmStatus::Running), (workspace.id, VmStatus::Stopped)] {
            let viewers = if id == workspace.id { vec![ada_id] } else { vec![] };
            let change = VmStatusChange {
                vm_id: uuid::Uuid::new_v4(),
                workspace_id: id,
                status,
                previous_status: None,
                timestamp: chrono::Utc::now(),
            };
            server.state.events.vm_status_changed(viewers, change);
        }
        match next_event(&mut ada_prod_only).await {
            Event::VmStatusChanged { data, .. } => {
                assert_eq!((data.workspace_id, data.status), (workspace.id, VmStatus::Stopped))
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(next_event(&mut ada_events).await.kind(), EventType::VmStatusChanged);
        assert_eq!(
            next_event(&mut admin_events).await.kind(),
            EventType::AuditLogCreated,
            "the second workspace's creation"
        );
        for _ in 0..2 {
            assert_eq!(
                next_event(&mut admin_events).await.kind(),
                EventType::VmStatusChanged,
                "admins see every workspace"
            );
        }
        assert_quiet(&server, &mut eve_events, eve_id).await;
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn bad_or_revoked_credentials_end_the_stream_with_4001() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.ws_auth_timeout_secs = 1;
    let server = TestServer::start(config).await;
    let ada = server.client();
    register(&ada, "ada").await;

    let forged = SkyClustClient::builder(&server.api_url).token("not-a-token").build().unwrap();
    let error = forged.events().subscribe().await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Unauthorized));
    assert!(
        matches!(server.client().events().subscribe().await, Err(Error::InvalidRequest(_))),
        "no credentials"
    );

    // Logging out closes that token's sockets: the stream yields 401 and ends.
    let session = ada.clone();
    let mut stream = session.events().subscribe().await.unwrap();
    session.auth().logout().await.unwrap();
    let item = tokio::time::timeout(PATIENCE, stream.next()).await.unwrap();
    assert!(matches!(item, Some(Err(Error::Api { code: ErrorCode::Unauthorized, .. }))), "{item:?}");
    assert!(tokio::time::timeout(PATIENCE, stream.next()).await.unwrap().is_none());

    // A revoked API key likewise.
    let admin_key = {
        let client = server.client();
        client
            .auth()
            .login(&skyclust_sdk::types::LoginRequest {
                email: "ada@example.com".into(),
                password: "password-ada".into(),
            })
            .await
            .unwrap();
        let key = client
            .api_keys()
            .create(&skyclust_sdk::types::CreateApiKeyRequest {
                name: "ws".into(),
                expires_at: None,
                read_only: Some(true),
            })
            .await
            .unwrap();
        (client, key)
    };
    let service = SkyClustClient::builder(&server.api_url).api_key(admin_key.1.key.clone()).build().unwrap();
    let mut stream = service.events().subscribe().await.unwrap();
    admin_key.0.api_keys().delete(admin_key.1.api_key.id).await.unwrap();
    let item = tokio::time::timeout(PATIENCE, stream.next()).await.unwrap();
    assert!(matches!(item, Some(Err(Error::Api { code: ErrorCode::Unauthorized, .. }))), "{item:?}");

    // A client that never authenticates is closed with 4001 after the deadline.
    let url = server.root_url.replace("http://", "ws://") + "/ws";
    let (mut socket, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let closed = tokio::time::timeout(PATIENCE, socket.next()).await.unwrap();
    match closed {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 4001),
        other => panic!("expected a 4001 close, got {other:?}"),
    }
    // Garbage as the first message is refused the same way, after an explanation.
    let (mut socket, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    socket.send(Message::Text("{\"type\":\"ping\"}".into())).await.unwrap();
    let explanation = socket.next().await.unwrap().unwrap();
    assert!(explanation.to_text().unwrap().contains("UNAUTHORIZED"), "{explanation:?}");
    match socket.next().await {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 4001),
        other => panic!("expected a 4001 close, got {other:?}"),
    }
    // An auth message with a field it does not take is told so (and the token is not echoed).
    let (mut socket, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let token = admin_key.0.token().unwrap();
    let auth = serde_json::json!({"type": "auth", "token": token, "client": "x"}).to_string();
    socket.send(Message::Text(auth.into())).await.unwrap();
    let explanation = socket.next().await.unwrap().unwrap();
    let explanation = explanation.to_text().unwrap();
    assert!(explanation.contains("auth takes only type and one of token or api_key"), "{explanation}");
    assert!(!explanation.contains(&token[..20]), "{explanation}");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn the_stream_reconnects_after_a_restart_and_answers_pings() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let address = server.root_url.trim_start_matches("http://").to_owned();
    let admin = server.client();
    register(&admin, "root").await;
    let ada = server.client();
    let ada_id = register(&ada, "ada").await.user.id;
    let mut stream = ada.events().subscribe_with(fast_reconnects()).await.unwrap();

    // Ping/pong on the protocol level.
    let url = format!("ws://{address}/ws");
    let (mut raw, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let auth = serde_json::json!({"type": "auth", "token": ada.token().unwrap()}).to_string();
    raw.send(Message::Text(auth.into())).await.unwrap();
    assert!(raw.next().await.unwrap().unwrap().to_text().unwrap().contains("auth_success"));
    raw.send(Message::Text("{\"type\":\"ping\"}".into())).await.unwrap();
    assert_eq!(raw.next().await.unwrap().unwrap().to_text().unwrap(), "{\"type\":\"pong\"}");
    raw.send(Message::Text("nonsense".into())).await.unwrap();
    assert!(raw.next().await.unwrap().unwrap().to_text().unwrap().contains("VALIDATION_ERROR"));

    server.stop().await;
    // The raw client was told the server is going away.
    match tokio::time::timeout(PATIENCE, raw.next()).await.unwrap() {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1001),
        other => panic!("expected a 1001 close, got {other:?}"),
    }
    match tokio::time::timeout(PATIENCE, stream.next()).await.unwrap() {
        Some(Err(Error::Reconnecting { attempt: 1, reason, .. })) => {
            assert!(reason.contains("1001"), "{reason}")
        }
        other => panic!("expected a reconnect notice, got {other:?}"),
    }

    let mut config = db.config();
    config.bind = address.parse().unwrap();
    let restarted = TestServer::start(config).await;
    // Once reconnected, events flow again (the token survived the restart).
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let workspace = admin
        .workspaces()
        .create(&CreateWorkspaceRequest { name: "after".into(), description: None })
        .await
        .unwrap();
    loop {
        admin.workspaces().remove_member(workspace.id, ada_id).await.ok();
        admin.workspaces().add_member(workspace.id, &AddMemberRequest::user(ada_id, None)).await.unwrap();
        match tokio::time::timeout(Duration::from_millis(300), stream.next()).await {
            Ok(Some(Ok(Event::NotificationReceived { data, .. })))
                if data.title == "Added to a workspace" =>
            {
                break;
            }
            Ok(Some(Ok(Event::NotificationReceived { data, .. }))) => {
                assert_eq!(data.title, "Removed from a workspace");
            }

            Ok(Some(Err(error))) if !error.is_fatal() => {}
            Ok(other) => panic!("unexpected {other:?}"),
            Err(_) => {}
        }
        assert!(tokio::time::Instant::now() < deadline, "no event after the restart");
    }
    assert!(ada.notifications().list(&ListQuery::default()).await.unwrap().pagination.total >= 1);
    restarted.stop().await;
    db.drop_now().await;
}

/// An authenticated raw socket.
async fn raw_session(
    server: &TestServer,
    token: &str,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    let url = server.root_url.replace("http://", "ws://") + "/ws";
    let (mut socket, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
    let auth = serde_json::json!({"type": "auth", "token": token}).to_string();
    socket.send(Message::Text(auth.into())).await.unwrap();
    assert!(socket.next().await.unwrap().unwrap().to_text().unwrap().contains("auth_success"));
    socket
}

#[tokio::test]
async fn bad_frames_get_errors_or_documented_closes_and_spare_other_sockets() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let ada = server.client();
    register(&ada, "ada").await;
    let token = ada.token().unwrap();
    let mut bystander = ada.events().subscribe().await.unwrap();

    // A plain GET is told what /ws takes.
    let plain = reqwest::get(server.root_url.clone() + "/ws").await.unwrap();
    assert_eq!(plain.status().as_u16(), 400);
    let answer: serde_json::Value = plain.json().await.unwrap();
    let why = answer["data"]["fields"]["upgrade"].as_str().unwrap_or_default();
    assert!(why.starts_with("GET /ws takes a WebSocket upgrade ("), "{answer}");

    let mut socket = raw_session(&server, &token).await;
    for (frame, expected) in [
        (Message::Text("not json".into()), "VALIDATION_ERROR"),
        (Message::Text("{\"type\":\"dance\"}".into()), "VALIDATION_ERROR"),
        (Message::Binary(vec![1, 2, 3].into()), "binary frames"),
        (
            Message::Text(serde_json::json!({"type": "auth", "token": token}).to_string().into()),
            "already authenticated",
        ),
        (Message::Text("{\"type\":\"subscribe\",\"events\":[\"nonsense\"]}".into()), "VALIDATION_ERROR"),
        // The reply names what is wrong: here the unknown event type, and the known ones.
        (
            Message::Text("{\"type\":\"subscribe\",\"events\":[\"vm_exploded\"]}".into()),
            "unknown variant `vm_exploded`, expected one of `vm_status_changed`",
        ),
        // A field the message does not take is refused, not ignored: a misspelt filter would
        // otherwise subscribe to every workspace.
        (
            Message::Text("{\"type\":\"subscribe\",\"workspace\":\"x\"}".into()),
            "unknown field `workspace`, expected `events` or `workspace_id`",
        ),
        (Message::Text("{\"type\":\"ping\",\"x\":1}".into()), "unknown field `x`"),
        // A long value (a token pasted in the wrong place) is not echoed back.
        (
            Message::Text(
                serde_json::json!({"type": "subscribe", "events": [token.clone()]}).to_string().into(),
            ),
            "unknown variant `",
        ),
    ] {
        socket.send(frame).await.unwrap();
        let reply = socket.next().await.unwrap().unwrap();
        assert!(reply.to_text().unwrap().contains(expected), "{reply:?}");
        assert!(!reply.to_text().unwrap().contains(&token[..20]), "the token is never echoed: {reply:?}");
    }
    socket.send(Message::Text("{\"type\":\"ping\"}".into())).await.unwrap();
    assert_eq!(
        socket.next().await.unwrap().unwrap().to_text().unwrap(),
        "{\"type\":\"pong\"}",
        "still usable"
    );

    // A burst sent in one write (more than the reply queue holds) is answered message by message.
    for _ in 0..40 {
        socket.feed(Message::Text("{\"type\":\"ping\"}".into())).await.unwrap();
    }
    socket.flush().await.unwrap();
    for n in 0..40 {
        let reply = tokio::time::timeout(PATIENCE, socket.next()).await.unwrap().unwrap().unwrap();
        assert_eq!(reply.to_text().unwrap(), "{\"type\":\"pong\"}", "reply {n}");
    }

    // A message over 64 KiB closes that connection with 1009 and nothing else.
    let huge = format!("{{\"type\":\"ping\",\"pad\":\"{}\"}}", "x".repeat(70 * 1024));
    socket.send(Message::Text(huge.into())).await.unwrap();
    match tokio::time::timeout(PATIENCE, socket.next()).await.unwrap() {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1009),
        other => panic!("expected a 1009 close, got {other:?}"),
    }
    // The bystander is unaffected: an event still reaches it.
    let entry = notification("still here", "after the bad frames".into());
    server.state.events.notification_received(ada.auth().me().await.unwrap().user.id, entry);
    loop {
        match next_event(&mut bystander).await {
            Event::NotificationReceived { data, .. } if data.title == "still here" => break,
            _ => {}
        }
    }
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn silent_peers_are_dropped_and_upgrades_count_against_the_rate_limit() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.ws_ping_interval_secs = 1;
    config.rate_limit_anonymous = 3;
    let server = TestServer::start(config).await;
    let ada = server.client();
    register(&ada, "ada").await; // anonymous request 1 of 3
    let token = ada.token().unwrap();

    // A peer that answers no ping is gone within two intervals. Nothing is read from it until
    // the server has ended its session (reading would answer the pings).
    let mut silent = raw_session(&server, &token).await; // upgrade 2 of 3
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while !server.state.sockets.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "the silent peer is still served");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut saw_ping = false;
    let ended = tokio::time::timeout(PATIENCE, async {
        loop {
            match silent.next().await {
                Some(Ok(Message::Ping(_))) => saw_ping = true,
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return,
            }
        }
    })
    .await;
    assert!(ended.is_ok() && saw_ping, "the server pinged and then dropped the silent peer");

    // A peer that reads (and so answers pings) stays: three pings answered, still served.
    let mut reading = raw_session(&server, &token).await; // upgrade 3 of 3
    let mut pings = 0;
    while pings < 3 {
        match tokio::time::timeout(PATIENCE, reading.next()).await.unwrap() {
            Some(Ok(Message::Ping(_))) => pings += 1,
            Some(Ok(_)) => {}
            other => panic!("a reading peer was dropped after {pings} ping(s): {other:?}"),
        }
    }
    reading.send(Message::Text("{\"type\":\"ping\"}".into())).await.unwrap();
    let reply = loop {
        match tokio::time::timeout(PATIENCE, reading.next()).await.unwrap() {
            Some(Ok(Message::Text(text))) => break text,
            Some(Ok(_)) => {}
            other => panic!("a reading peer was dropped: {other:?}"),
        }
    };
    assert_eq!(reply.as_str(), "{\"type\":\"pong\"}");

    // The upgrade is an anonymous request like any other: the fourth one is refused.
    let url = server.root_url.replace("http://", "ws://") + "/ws";
    match tokio_tungstenite::connect_async(&url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status().as_u16(), 429)
        }
        other => panic!("expected 429, got {:?}", other.map(|_| ())),
    }
    server.stop().await;
    db.drop_now().await;
}
