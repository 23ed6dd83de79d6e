//! The HTTP layer with operations of its own: path parsing, panics and time limits are
//! answered in the envelope, never with axum's plain text and never with details.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use skyclust_server::http::{Api, Ctx, Input, middleware::Limits, with_middleware};
use skyclust_server::{Config, Server};
use skyclust_types::{Access, Empty, Endpoint, IdPath, Method};

/// A public `GET` operation of the test tag.
macro_rules! public_get {
    ($name:ident, $id:literal, $path:literal, $summary:literal, $path_type:ty, $response:ty) => {
        struct $name;
        impl Endpoint for $name {
            const ID: &'static str = $id;
            const METHOD: Method = Method::Get;
            const PATH: &'static str = $path;
            const TAG: &'static str = "test";
            const SUMMARY: &'static str = $summary;
            const ACCESS: Access = Access::Public;
            type Path = $path_type;
            type Query = Empty;
            type Body = Empty;
            type Response = $response;
        }
    };
}

public_get!(Probe, "probe", "/probe/{id}", "Echo the id", IdPath, IdPath);
public_get!(Panics, "panics", "/panics", "Panic", Empty, Empty);
public_get!(Hangs, "hangs", "/hangs", "Never answer", Empty, Empty);

async fn probe(_: Ctx, input: Input<Probe>) -> Result<IdPath, skyclust_server::ApiError> {
    Ok(input.path)
}

async fn panics(_: Ctx, _: Input<Panics>) -> Result<Empty, skyclust_server::ApiError> {
    panic!("secret detail that must stay in the log")
}

async fn hangs(_: Ctx, _: Input<Hangs>) -> Result<Empty, skyclust_server::ApiError> {
    std::future::pending().await
}

async fn start() -> SocketAddr {
    let server = Server::bind(Config::for_database("sqlite::memory:")).await.unwrap();
    let api =
        Api::default().endpoint::<Probe, _>(probe).endpoint::<Panics, _>(panics).endpoint::<Hangs, _>(hangs);
    let state = server.state().clone();
    let router = with_middleware(
        api.into_router().with_state(state.clone()),
        state,
        Limits { timeout: Duration::from_millis(200) },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

async fn get(address: SocketAddr, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("http://{address}{path}")).await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn path_parameters_are_parsed_and_bad_ones_named() {
    let address = start().await;
    let id = uuid::Uuid::new_v4();
    let (status, body) = get(address, &format!("/probe/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(body["data"]["id"], id.to_string());

    let (status, body) = get(address, "/probe/not-a-uuid").await;
    assert_eq!(status, 400);
    assert_eq!(body["code"], "VALIDATION_ERROR");
    assert_eq!(body["data"]["fields"]["id"], "must be a valid UUID", "{body}");
}

#[tokio::test]
async fn panics_are_internal_errors_without_details_and_timeouts_retryable_503s() {
    let address = start().await;
    let (status, body) = get(address, "/panics").await;
    assert_eq!(status, 500);
    assert_eq!(body["code"], "INTERNAL_ERROR");
    assert_eq!(body["error"], "Internal server error");
    assert!(!body.to_string().contains("secret detail"));
    assert!(body["request_id"].as_str().unwrap().starts_with("req_"));

    let response = reqwest::get(format!("http://{address}/hangs")).await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "SERVICE_UNAVAILABLE");
    assert!(body["request_id"].as_str().unwrap().starts_with("req_"));
    // The server keeps serving after a panic.
    let (status, _) = get(address, &format!("/probe/{}", uuid::Uuid::nil())).await;
    assert_eq!(status, 200);
}
