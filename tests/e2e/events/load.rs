//! Events under load: a slow consumer is closed while fast ones keep up, and a thousand sockets
//! all receive a broadcast.

use super::*;

#[tokio::test]
async fn a_slow_consumer_is_closed_while_fast_ones_keep_up() {
    const EVENTS: usize = 3000;
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
    let server = TestServer::start(config).await;
    let ada = server.client();
    let ada_id = register(&ada, "ada").await.user.id;
    let mut fast: Vec<_> = Vec::new();
    for _ in 0..3 {
        fast.push(ada.events().subscribe().await.unwrap());
    }

    // The slow client: a tiny receive buffer, authenticated, then never reading.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream =
        socket.connect(server.root_url.trim_start_matches("http://").parse().unwrap()).await.unwrap();
    let url = server.root_url.replace("http://", "ws://") + "/ws";
    let (mut slow, _) = tokio_tungstenite::client_async(url, stream).await.unwrap();
    let auth = serde_json::json!({"type": "auth", "token": ada.token().unwrap()}).to_string();
    slow.send(Message::Text(auth.into())).await.unwrap();
    assert!(slow.next().await.unwrap().unwrap().to_text().unwrap().contains("auth_success"));

    let readers = fast.into_iter().map(|mut stream| {
        tokio::spawn(async move {
            let mut received = 0;
            while received < EVENTS {
                match tokio::time::timeout(PATIENCE, stream.next()).await {
                    Ok(Some(Ok(_))) => received += 1,
                    other => panic!("a fast consumer stopped after {received}: {other:?}"),
                }
            }
            received
        })
    });
    let readers: Vec<_> = readers.collect();
    // Big enough that the slow client's unread data outgrows every kernel buffer on the way.
    let padding = "x".repeat(4000);
    for n in 0..EVENTS {
        server
            .state
            .events
            .notification_received(ada_id, notification(&format!("burst {n}"), padding.clone()));
        if n % 50 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // The slow one, reading at last, finds a 4008 close after what was buffered.
    let slow_reader = tokio::spawn(tokio::time::timeout(PATIENCE, async move {
        let mut buffered = 0;
        loop {
            match slow.next().await {
                Some(Ok(Message::Close(frame))) => return (frame.map(|f| u16::from(f.code)), buffered),
                Some(Ok(_)) => buffered += 1,
                other => panic!("expected a close frame after {buffered} messages, got {other:?}"),
            }
        }
    }));
    for reader in readers {
        assert_eq!(reader.await.unwrap(), EVENTS, "fast consumers receive everything");
    }
    let close = slow_reader.await.unwrap().expect("the slow consumer is closed");
    assert_eq!(close.0, Some(4008));
    assert!(close.1 < EVENTS, "the slow consumer was cut off, not served everything");
    // The metrics tell the same story: one 4008, the events it missed, everything else delivered.
    let (_, samples) = crate::metrics::scrape(&server).await;
    let count = |series: &str| crate::metrics::value(&samples, series);
    assert_eq!(count("skyclust_websocket_slow_closes_total"), 1.0);
    assert_eq!(count(r#"skyclust_events_published_total{type="notification_received"}"#), EVENTS as f64);
    let delivered = count(r#"skyclust_events_delivered_total{type="notification_received"}"#);
    let dropped =
        count(r#"skyclust_events_dropped_total{type="notification_received",reason="slow_client"}"#);
    let to_the_slow_one = delivered - 3.0 * EVENTS as f64;
    assert!(to_the_slow_one >= close.1 as f64 - 1.0, "{to_the_slow_one} delivered, {} read", close.1);
    assert!(dropped >= 1.0 && to_the_slow_one + dropped <= EVENTS as f64, "{to_the_slow_one} + {dropped}");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn a_thousand_sockets_all_receive_a_broadcast() {
    const SOCKETS: usize = 1000;
    rlimit::increase_nofile_limit(8192).unwrap();
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.db_max_connections = 8;
    // One user on one address holds every socket here.
    config.ws_max_sessions_per_user = SOCKETS + 10;
    config.ws_max_sessions_per_address = SOCKETS + 10;
    config.max_connections = 2 * SOCKETS;
    config.max_connections_per_address = 2 * SOCKETS;
    let server = TestServer::start(config).await;
    let admin = server.client();
    register(&admin, "root").await;
    let token = admin.token().unwrap();
    let url = server.root_url.replace("http://", "ws://") + "/ws";
    let auth = serde_json::json!({"type": "auth", "token": token}).to_string();

    let mut sockets = Vec::with_capacity(SOCKETS);
    for chunk in 0..SOCKETS / 100 {
        let connecting = (0..100).map(|_| {
            let (url, auth) = (url.clone(), auth.clone());
            async move {
                let (mut socket, _) = tokio_tungstenite::connect_async(&url).await.unwrap();
                socket.send(Message::Text(auth.into())).await.unwrap();
                let reply = socket.next().await.unwrap().unwrap();
                assert!(reply.to_text().unwrap().contains("auth_success"), "{reply:?}");
                socket
            }
        });
        sockets.extend(
            tokio::time::timeout(PATIENCE * 3, futures_util::future::join_all(connecting))
                .await
                .unwrap_or_else(|_| panic!("chunk {chunk} did not connect")),
        );
    }
    let entry = admin.audit_logs().list(&ListQuery::default()).await.unwrap().audit_logs.remove(0);
    server.state.events.audit_log_created(entry.clone());
    let received = sockets.into_iter().map(|mut socket| {
        let expected = entry.id;
        tokio::spawn(async move {
            let message = tokio::time::timeout(PATIENCE * 3, socket.next())
                .await
                .expect("delivered in time")
                .unwrap()
                .unwrap();
            let event: Event = serde_json::from_str(message.to_text().unwrap()).unwrap();
            matches!(event, Event::AuditLogCreated { data, .. } if data.id == expected)
        })
    });
    let results = futures_util::future::join_all(received).await;
    assert_eq!(results.into_iter().filter(|ok| *ok.as_ref().unwrap()).count(), SOCKETS);
    server.stop().await;
    db.drop_now().await;
}
