//! Sign-up, sign-in, sign-out, the current caller, and token lifetimes.

use skyclust_sdk::types::{AuthMethod, LoginRequest, Permission, RegisterRequest, Role};
use skyclust_sdk::{Error, ErrorCode};
use skyclust_server::config::Environment;
use skyclust_tests::{TestDatabase, TestServer, each_backend};

use crate::register;

#[tokio::test]
async fn first_user_is_admin_and_later_users_are_not() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let first = register(&server.client(), "ada").await;
        assert_eq!(first.user.role, Role::Admin);
        assert_eq!(first.user.email, "ada@example.com");
        assert!(first.user.is_active);
        let second = register(&server.client(), "grace").await;
        assert_eq!(second.user.role, Role::User);
        assert_ne!(first.user.id, second.user.id);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn duplicates_conflict_regardless_of_case() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        register(&server.client(), "ada").await;
        for (username, email) in [("ada2", "ADA@example.com"), ("ADA", "other@example.com")] {
            let error = server
                .client()
                .auth()
                .register(&RegisterRequest {
                    username: username.into(),
                    email: email.into(),
                    password: "long enough".into(),
                })
                .await
                .unwrap_err();
            assert_eq!(error.code(), Some(ErrorCode::Conflict), "{username} {email}");
            assert_eq!(error.status(), Some(409));
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn registration_is_validated_field_by_field() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let error = server
            .client()
            .auth()
            .register(&RegisterRequest {
                username: "a b".into(),
                email: "not-an-email".into(),
                password: "short".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::ValidationError));
        let fields = error.field_errors().expect("field details");
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["email", "password", "username"]);
        assert!(error.request_id().is_some_and(|id| id.starts_with("req_")));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn login_failures_look_the_same_and_success_returns_a_working_token() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        register(&server.client(), "ada").await;
        let client = server.client();
        let attempt =
            |email: &str, password: &str| LoginRequest { email: email.into(), password: password.into() };
        let wrong_password = client.auth().login(&attempt("ada@example.com", "nope-nope")).await.unwrap_err();
        let unknown_email = client.auth().login(&attempt("who@example.com", "nope-nope")).await.unwrap_err();
        for error in [&wrong_password, &unknown_email] {
            match error {
                Error::Api { status, code, message, .. } => {
                    assert_eq!((*status, *code), (401, ErrorCode::Unauthorized));
                    assert_eq!(message, "Invalid email or password");
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(client.token(), None);

        let session = client.auth().login(&attempt("ADA@example.com", "password-ada")).await.unwrap();
        assert_eq!(client.token().as_deref(), Some(session.token.as_str()));
        let me = client.auth().me().await.unwrap();
        assert_eq!(me.user.id, session.user.id);
        assert_eq!(me.auth_method, AuthMethod::Jwt);
        assert!(me.permissions.contains(&Permission::SystemRead));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn logout_revokes_exactly_that_token() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let first = server.client();
        register(&first, "ada").await;
        let second = server.client();
        second
            .auth()
            .login(&LoginRequest { email: "ada@example.com".into(), password: "password-ada".into() })
            .await
            .unwrap();
        let revoked = first.token().unwrap();
        first.auth().logout().await.unwrap();
        assert_eq!(first.token(), None);

        first.set_token(Some(revoked));
        let error = first.auth().me().await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Unauthorized));
        assert_eq!(first.auth().logout().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        second.auth().me().await.expect("the other session still works");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn expired_tampered_and_foreign_tokens_are_refused() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let session = register(&server.client(), "ada").await;
        let (expired, _) = server
            .state
            .jwt
            .issue_at(session.user.id, Role::Admin, chrono::Utc::now() - chrono::Duration::days(2))
            .unwrap();
        let mut tampered = session.token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        let foreign = skyclust_server::auth::jwt::JwtKeys::new(
            b"some-other-server-secret-32-bytes!",
            "skyclust",
            chrono::Duration::hours(1),
        )
        .issue(session.user.id, Role::Admin)
        .unwrap()
        .0;
        for token in [expired, tampered, foreign, "not-a-jwt".to_owned()] {
            let client = server.client();
            client.set_token(Some(token));
            assert_eq!(client.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn development_secret_survives_a_restart() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let client = server.client();
        let session = register(&client, "ada").await;
        let sandbox = skyclust_sdk::types::CreateCredentialRequest {
            name: "sandbox".into(),
            provider: skyclust_sdk::types::Provider::Sandbox,
            data: serde_json::json!({"region": "eu-west-1"}).as_object().unwrap().clone(),
        };
        let credential = client.credentials().create(&sandbox).await.unwrap();
        server.stop().await;

        let restarted = TestServer::start(db.config()).await;
        let client = restarted.client();
        client.set_token(Some(session.token));
        assert_eq!(client.auth().me().await.unwrap().user.username, "ada");
        // So does the generated encryption key: what was sealed before opens after.
        let record = skyclust_server::storage::credentials::find_owned(
            &restarted.state.db,
            session.user.id,
            credential.id,
        )
        .await
        .unwrap()
        .unwrap();
        let secrets = skyclust_server::credentials::secrets(&restarted.state.vault, &record).unwrap();
        assert_eq!(secrets.get("region"), Some("eu-west-1"));
        restarted.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn production_requires_a_strong_configured_secret() {
    let db = TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let mut config = db.config();
    config.environment = Environment::Production;
    let error = skyclust_server::Server::bind(config.clone()).await.unwrap_err();
    assert!(error.to_string().contains("SKYCLUST_JWT_SECRET"), "{error}");
    config.jwt_secret = Some(skyclust_tests::secret("too-short"));
    assert!(skyclust_server::Server::bind(config.clone()).await.is_err());
    config.jwt_secret = Some(skyclust_tests::secret("a-production-secret-of-at-least-32-bytes"));
    let error = skyclust_server::Server::bind(config.clone()).await.unwrap_err();
    assert!(error.to_string().contains("SKYCLUST_ENCRYPTION_KEY"), "{error}");
    config.encryption_key = Some(skyclust_tests::secret("c2hvcnQ="));
    assert!(skyclust_server::Server::bind(config.clone()).await.is_err(), "a key must be 32 bytes");
    config.encryption_key = Some(skyclust_tests::secret("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="));
    let server = TestServer::start(config).await;
    register(&server.client(), "ada").await;
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn closed_registration_still_admits_the_first_user() {
    let db = TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let mut config = db.config();
    config.allow_registration = false;
    let server = TestServer::start(config).await;
    register(&server.client(), "ada").await;
    let error = server
        .client()
        .auth()
        .register(&RegisterRequest {
            username: "grace".into(),
            email: "grace@example.com".into(),
            password: "long enough".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::Forbidden));
    server.stop().await;
    db.drop_now().await;
}

/// A token checked a moment ago is not looked up again (see `auth/principals.rs`): what changes
/// through the API is revoked at once, while a change made in the database behind the server's
/// back shows only when the few seconds it trusts a checked token have run out.
#[tokio::test]
async fn checked_tokens_are_trusted_briefly_and_revocations_end_that_at_once() {
    let db = TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let admin = server.client();
    register(&admin, "root").await;
    let ada = server.client();
    let ada_user = register(&ada, "ada").await.user;
    ada.auth().me().await.unwrap();
    sqlx::query("UPDATE users SET username = 'renamed-by-hand' WHERE id = $1")
        .bind(ada_user.id.to_string())
        .execute(server.state.db.pool())
        .await
        .unwrap();
    assert_eq!(ada.auth().me().await.unwrap().user.username, "ada", "the checked caller was kept");
    assert_eq!(server.state.events.principals().len(), 1, "ada's token");

    // Through the API: this replica forgets the caller before it answers.
    let renamed =
        skyclust_sdk::types::UpdateUserRequest { username: Some("ada2".into()), role: None, is_active: None };
    admin.users().update(ada_user.id, &renamed).await.unwrap();
    assert_eq!(ada.auth().me().await.unwrap().user.username, "ada2");
    let deactivate =
        skyclust_sdk::types::UpdateUserRequest { username: None, role: None, is_active: Some(false) };
    admin.users().update(ada_user.id, &deactivate).await.unwrap();
    assert_eq!(ada.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
    admin.auth().logout().await.unwrap();
    assert!(server.state.events.principals().is_empty(), "both were forgotten");
    server.stop().await;
    db.drop_now().await;
}
