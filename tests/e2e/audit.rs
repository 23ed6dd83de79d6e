//! The audit log: every state-changing request and every sign-in event, durable before the
//! response, filterable, and free of secrets.

use skyclust_sdk::types::{
    AuditLogFilters, CreateApiKeyRequest, CreateUserRequest, ListQuery, LoginRequest, SortDirection,
    UpdateUserRequest,
};
use skyclust_tests::{TestServer, each_backend};

use crate::register;

#[tokio::test]
async fn state_changes_and_sign_ins_are_recorded_without_secrets() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        let session = register(&admin, "ada").await;
        let anonymous = server.client();
        let failed = anonymous
            .auth()
            .login(&LoginRequest { email: "ada@example.com".into(), password: "hunter2-wrong".into() })
            .await;
        assert!(failed.is_err());
        let second = server.client();
        second
            .auth()
            .login(&LoginRequest { email: "ada@example.com".into(), password: "password-ada".into() })
            .await
            .unwrap();
        let key = admin
            .api_keys()
            .create(&CreateApiKeyRequest { name: "ci".into(), expires_at: None, read_only: None })
            .await
            .unwrap();
        admin.api_keys().delete(key.api_key.id).await.unwrap();
        let grace = admin
            .users()
            .create(&CreateUserRequest {
                username: "grace".into(),
                email: "grace@example.com".into(),
                password: "grace-secret-password".into(),
                role: None,
                is_active: None,
            })
            .await
            .unwrap();
        admin
            .users()
            .update(grace.id, &UpdateUserRequest { is_active: Some(false), ..Default::default() })
            .await
            .unwrap();
        admin.users().list(&ListQuery::default()).await.unwrap();
        second.auth().logout().await.unwrap();

        // No waiting: a reported success already has its entry.
        let log = admin
            .audit_logs()
            .list(&ListQuery::default().sort_by("created_at", SortDirection::Asc))
            .await
            .unwrap();
        let trail: Vec<(String, String, bool)> = log
            .audit_logs
            .iter()
            .map(|entry| (entry.action.clone(), entry.resource.clone(), entry.success))
            .collect();
        let expected = [
            ("register", "user", true),
            ("login", "session", false),
            ("login", "session", true),
            ("create", "api_key", true),
            ("revoke", "api_key", true),
            ("create", "user", true),
            ("update", "user", true),
            ("logout", "session", true),
        ];
        assert_eq!(
            trail,
            expected.map(|(action, resource, success)| (action.to_owned(), resource.to_owned(), success)),
            "reads are not audited; everything else is, in order"
        );
        let entries = &log.audit_logs;
        assert_eq!(entries[0].user_id, Some(session.user.id));
        assert_eq!(entries[1].user_id, None, "a failed sign-in is anonymous");
        assert_eq!(entries[1].details.as_ref().unwrap()["email"], "ada@example.com");
        assert_eq!(entries[1].details.as_ref().unwrap()["error_code"], "UNAUTHORIZED");
        assert_eq!(entries[2].user_id, Some(session.user.id));
        assert_eq!(entries[3].resource_id.as_deref(), Some(key.api_key.id.to_string().as_str()));
        assert_eq!(entries[4].resource_id.as_deref(), Some(key.api_key.id.to_string().as_str()));
        assert_eq!(entries[6].resource_id.as_deref(), Some(grace.id.to_string().as_str()));
        assert!(entries.iter().all(|entry| entry.ip_address.as_deref() == Some("127.0.0.1")));
        assert!(entries.iter().all(|entry| {
            entry.user_agent.as_deref().is_some_and(|agent| agent.starts_with("skyclust-sdk-rust/"))
        }));

        let everything = serde_json::to_string(&log).unwrap();
        for secret in [
            "password-ada",
            "hunter2-wrong",
            "grace-secret-password",
            key.key.as_str(),
            session.token.as_str(),
        ] {
            assert!(!everything.contains(secret), "the audit log contains a secret");
        }

        let failures = admin
            .audit_logs()
            .list(&ListQuery::default().filters(AuditLogFilters {
                action: vec!["login".into()],
                success: Some(false),
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(failures.pagination.total, 1);
        let by_user = admin
            .audit_logs()
            .list(
                &ListQuery::default()
                    .filters(AuditLogFilters { user_id: vec![session.user.id], ..Default::default() }),
            )
            .await
            .unwrap();
        assert_eq!(by_user.pagination.total, 7);
        let key_events = admin
            .audit_logs()
            .list(&ListQuery::default().filters(AuditLogFilters {
                resource: vec!["api_key".into(), "user".into()],
                ..Default::default()
            }))
            .await
            .unwrap();
        assert_eq!(key_events.pagination.total, 5);
        let future = admin
            .audit_logs()
            .list(
                &ListQuery::default()
                    .created_between(Some(chrono::Utc::now() + chrono::Duration::hours(1)), None),
            )
            .await
            .unwrap();
        assert_eq!(future.pagination.total, 0);
        assert_eq!(log.pagination.limit, 50, "audit logs default to 50 per page");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
