//! Idempotency keys on VM creation: a repeated key answers the first result, a changed body is
//! a 409, and keys expire after a day.

use super::*;

#[tokio::test]
async fn a_repeated_idempotency_key_answers_the_first_result() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        let ada_token = register(&ada, "ada").await.token;
        let bob = server.client();
        register(&bob, "bob").await;
        let prod = workspace(&ada, "prod").await;
        let request = sandbox_vm(prod, "web-1");

        let first = ada.vms().create_with_idempotency_key(&request, "order-66").await.unwrap();
        ada.vms().wait_until(first.id, VmStatus::Running, PATIENCE).await.unwrap();
        // The repeat answers the first result — the VM as it was then — and creates nothing.
        let again = ada.vms().create_with_idempotency_key(&request, "order-66").await.unwrap();
        assert_eq!(again, first);
        assert_eq!(again.status, VmStatus::Pending);
        // The key cannot be reused for another request; another user's key is theirs alone.
        let other = CreateVmRequest { name: "web-2".into(), ..request.clone() };
        let error = ada.vms().create_with_idempotency_key(&other, "order-66").await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Conflict));
        let bobs = workspace(&bob, "lab").await;
        let bobs_vm =
            bob.vms().create_with_idempotency_key(&sandbox_vm(bobs, "web-1"), "order-66").await.unwrap();
        assert_ne!(bobs_vm.id, first.id);

        // Concurrent repeats race for the key: one VM, one answer.
        let racing = CreateVmRequest { name: "web-3".into(), ..request.clone() };
        let answers = futures_util::future::join_all(
            (0..6).map(|_| async { ada.vms().create_with_idempotency_key(&racing, "race").await }),
        )
        .await;
        let ids: std::collections::BTreeSet<_> =
            answers.into_iter().map(|answer| answer.unwrap().id).collect();
        assert_eq!(ids.len(), 1, "{ids:?}");
        let query = ListQuery::<skyclust_sdk::types::vms::VmListing>::default();
        // (ada, the first user, is an admin and also sees bob's VM.)
        let vms = ada.vms().list(&query).await.unwrap().vms;
        let names: Vec<String> =
            vms.into_iter().filter(|vm| vm.workspace_id == prod).map(|vm| vm.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(sorted, ["web-1", "web-3"], "nothing was created twice");

        // A malformed key is refused by the server too (the SDK refuses it before sending), and
        // so are two keys on one request: which request would it repeat?
        let refusal = async |keys: &[String]| {
            let mut post =
                reqwest::Client::new().post(format!("{}/vms", server.api_url)).bearer_auth(&ada_token);
            for key in keys {
                post = post.header("Idempotency-Key", key);
            }
            let response = post.json(&request).send().await.unwrap();
            assert_eq!(response.status(), 400);
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], "VALIDATION_ERROR");
            body["data"]["fields"]["Idempotency-Key"].clone()
        };
        assert!(refusal(&["x".repeat(256)]).await.is_string());
        assert_eq!(refusal(&["first-key".into(), "second-key".into()]).await, "must be sent once");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn idempotency_keys_expire_after_a_day() {
    use skyclust_server::storage::idempotency::{self, FirstResult, KeyScope};
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let user = register(&server.client(), "ada").await.user.id;
    let scope = KeyScope { user_id: user, operation: "create_vm", key: "k" };
    let first = FirstResult { request_hash: "h".into(), response: "{}".into() };
    let then = chrono::Utc::now() - chrono::Duration::hours(25);
    let mut connection = server.state.db.pool().acquire().await.unwrap();
    idempotency::remember(&mut connection, scope, &first, then).await.unwrap();
    drop(connection);
    let db_ = &server.state.db;
    assert!(idempotency::find(db_, scope, then).await.unwrap().is_some(), "kept within the day");
    assert!(idempotency::find(db_, scope, chrono::Utc::now()).await.unwrap().is_none(), "expired");
    // An expired key can be used again before the purge, and the purge forgets only the old.
    let mut connection = server.state.db.pool().acquire().await.unwrap();
    idempotency::remember(&mut connection, scope, &first, chrono::Utc::now()).await.unwrap();
    let other = KeyScope { key: "old", ..scope };
    idempotency::remember(&mut connection, other, &first, then).await.unwrap();
    drop(connection);
    assert_eq!(idempotency::purge_expired(db_, chrono::Utc::now()).await.unwrap(), 1);
    assert!(idempotency::find(db_, scope, chrono::Utc::now()).await.unwrap().is_some());
    server.stop().await;
    db.drop_now().await;
}
