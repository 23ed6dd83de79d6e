//! No log line carries a password, a token or an API key: every line the server writes at
//! debug level while handling sign-ups, sign-ins (right and wrong), keys and sign-outs is
//! captured and searched.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use skyclust_sdk::types::{CreateApiKeyRequest, LoginRequest};
use skyclust_tests::{Backend, TestDatabase, TestServer};

use crate::register;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn captured_logs() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let writer = capture.clone();
        tracing_subscriber::fmt()
            .with_env_filter("debug")
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .init();
        capture
    })
}

#[tokio::test]
async fn secrets_never_reach_the_log() {
    let logs = captured_logs();
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let client = server.client();
    let session = register(&client, "ada").await;
    let wrong = LoginRequest { email: "ada@example.com".into(), password: "wrong-secret-guess".into() };
    assert!(server.client().auth().login(&wrong).await.is_err());
    let key = client
        .api_keys()
        .create(&CreateApiKeyRequest { name: "logged?".into(), expires_at: None, read_only: None })
        .await
        .unwrap();
    let service = server.client();
    service.set_api_key(key.key.clone());
    service.auth().me().await.unwrap();
    let bogus = server.client();
    bogus.set_api_key("sk_bogus-key-that-must-not-be-logged");
    assert!(bogus.auth().me().await.is_err());
    client.auth().logout().await.unwrap();
    server.stop().await;
    db.drop_now().await;

    let text = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(text.contains("login failed") && text.contains("user registered"), "the capture works");
    for secret in [
        "password-ada",
        "wrong-secret-guess",
        session.token.as_str(),
        key.key.as_str(),
        "sk_bogus-key-that-must-not-be-logged",
    ] {
        assert!(!text.contains(secret), "a secret reached the log");
    }
}
