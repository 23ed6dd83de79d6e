//! The running server serves exactly the operations of the contract, and publishes the
//! committed OpenAPI document.

use std::collections::BTreeSet;

use skyclust_sdk::types::operations;
use skyclust_tests::{Backend, TestDatabase, TestServer};

#[tokio::test]
async fn the_router_serves_exactly_the_declared_operations() {
    let api = skyclust_server::routes::api();
    let served: Vec<&str> = api.served().to_vec();
    let unique: BTreeSet<&str> = served.iter().copied().collect();
    assert_eq!(unique.len(), served.len(), "an operation is registered twice: {served:?}");
    let declared: BTreeSet<&str> = operations::ALL.iter().map(|operation| operation.id).collect();
    assert_eq!(unique, declared, "served operations differ from the contract");
}

#[tokio::test]
async fn every_declared_route_answers_over_http() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let http = reqwest::Client::new();
    for operation in operations::ALL {
        let path = operation.path.replace("{id}", &uuid::Uuid::nil().to_string());
        let method = reqwest::Method::from_bytes(operation.method.as_str().as_bytes()).unwrap();
        let response = http
            .request(method, format!("{}{path}", server.api_url))
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap();
        assert_ne!(status, 405, "{} is not routed for its method", operation.id);
        assert!(
            body["error"] != "No such route",
            "{} {} is not routed",
            operation.method.as_str(),
            operation.path
        );
    }
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn the_served_document_is_the_committed_one_and_swagger_ui_is_vendored() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.json")).unwrap();
    let served = reqwest::get(format!("{}/api-docs/openapi.json", server.root_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(served == committed, "the served document differs from openapi.json");

    let page = reqwest::get(format!("{}/swagger-ui/", server.root_url)).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("swagger-ui"));
    let initializer = reqwest::get(format!("{}/swagger-ui/swagger-initializer.js", server.root_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(initializer.contains("/api-docs/openapi.json"), "{initializer}");
    server.stop().await;
    db.drop_now().await;
}

/// A failure on one backend neither stops the others from running nor goes unnamed.
#[tokio::test]
async fn each_backend_runs_every_backend_and_names_the_ones_that_failed() {
    use futures_util::FutureExt;
    let ran = std::sync::Mutex::new(Vec::new());
    let outcome = std::panic::AssertUnwindSafe(skyclust_tests::each_backend(|db| {
        let ran = &ran;
        async move {
            let backend = db.backend;
            ran.lock().unwrap().push(backend);
            db.drop_now().await;
            assert_ne!(backend, Backend::Sqlite, "refused on purpose");
        }
    }))
    .catch_unwind()
    .await;
    let panic = outcome.expect_err("the SQLite run failed");
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(message.contains("on Sqlite: ") && message.contains("refused on purpose"), "{message}");
    assert!(!message.contains("on Postgres"), "{message}");
    assert_eq!(*ran.lock().unwrap(), skyclust_tests::backends(), "every backend ran");
}
