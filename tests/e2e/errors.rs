//! Every error the server can give, including those produced outside handlers, arrives in
//! the seed's envelope with the right code; request ids are kept or generated.

use reqwest::StatusCode;
use serde_json::Value;
use skyclust_tests::{Backend, TestDatabase, TestServer};

async fn envelope(response: reqwest::Response) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let status = response.status();
    let headers = response.headers().clone();
    let body: Value = response.json().await.expect("a JSON envelope");
    assert_eq!(body["success"], false, "{body}");
    assert!(body["error"].is_string() && body["timestamp"].is_string(), "{body}");
    assert_eq!(
        headers["x-request-id"].to_str().unwrap(),
        body["request_id"].as_str().unwrap(),
        "the header and the body carry the same id"
    );
    (status, headers, body)
}

#[tokio::test]
async fn foreign_errors_are_enveloped() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let mut config = db.config();
    config.max_body_bytes = 1024;
    let server = TestServer::start(config).await;
    let http = reqwest::Client::new();
    let api = &server.api_url;

    // Outside /api/v1 the answer names the usual mistake: a base URL without it.
    for (url, hinted) in
        [(format!("{}/workspaces", server.root_url), true), (format!("{api}/nowhere"), false)]
    {
        let (status, _, body) = envelope(http.get(&url).send().await.unwrap()).await;
        assert_eq!((status.as_u16(), body["code"].as_str()), (404, Some("NOT_FOUND")));
        assert_eq!(body["error"].as_str().unwrap().contains("base URL end in /api/v1"), hinted, "{url}");
    }

    let (status, headers, body) = envelope(http.delete(format!("{api}/health")).send().await.unwrap()).await;
    assert_eq!((status.as_u16(), body["code"].as_str()), (405, Some("METHOD_NOT_ALLOWED")));
    assert!(headers["allow"].to_str().unwrap().contains("GET"));

    let big = format!(r#"{{"email":"{}","password":"x"}}"#, "a".repeat(4096));
    let response = http
        .post(format!("{api}/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    let (status, _, body) = envelope(response).await;
    assert_eq!((status.as_u16(), body["code"].as_str()), (413, Some("PAYLOAD_TOO_LARGE")));

    // A declared length over the limit is answered before any body is sent (nor asked for).
    let address = api.trim_start_matches("http://").split('/').next().unwrap().to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: 50000000\r\nExpect: 100-continue\r\n\r\n"
    );
    tokio::io::AsyncWriteExt::write_all(&mut stream, head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 512];
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        tokio::io::AsyncReadExt::read(&mut stream, &mut answer),
    )
    .await
    .expect("answered without waiting for the body")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn malformed_bodies_name_the_problem() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let http = reqwest::Client::new();
    let login = format!("{}/auth/login", server.api_url);
    let cases: [(&str, Option<&str>, &str, &str); 7] = [
        ("{bad", Some("application/json"), "body", "malformed JSON"),
        (r#"{"email":"a@b.c","password":"x"} trailing"#, Some("application/json"), "body", "after the JSON"),
        (r#"{"email": 5, "password": "x"}"#, Some("application/json"), "email", "expected a string"),
        (r#"{"email": "a@b.c"}"#, Some("application/json"), "password", "is required"),
        ("", Some("application/json"), "body", "required"),
        (r#"{"email":"a@b.c","password":"x"}"#, Some("text/plain"), "body", "Content-Type"),
        (r#"[1, 2]"#, Some("application/json"), "body", "JSON object"),
    ];
    for (body, content_type, field, message) in cases {
        let mut request = http.post(&login).body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (status, _, envelope) = envelope(request.send().await.unwrap()).await;
        assert_eq!(status.as_u16(), 400, "{body}");
        assert_eq!(envelope["code"], "VALIDATION_ERROR");
        let detail = envelope["data"]["fields"][field].as_str().unwrap_or_else(|| panic!("{envelope}"));
        assert!(detail.contains(message), "{body}: {detail}");
    }

    // Every missing field is named at once, not the first serde met.
    let response =
        http.post(&login).header("content-type", "application/json").body("{}").send().await.unwrap();
    let (status, _, refused) = envelope(response).await;
    assert_eq!(status.as_u16(), 400);
    assert_eq!(
        refused["data"]["fields"],
        serde_json::json!({"email": "is required", "password": "is required"})
    );
    // and with a field the request does not have, that one too.
    let response = http
        .post(&login)
        .header("content-type", "application/json")
        .body(r#"{"emial": "a@b.c"}"#)
        .send()
        .await
        .unwrap();
    let (_, _, refused) = envelope(response).await;
    assert_eq!(
        refused["data"]["fields"],
        serde_json::json!({
            "email": "is required", "password": "is required", "emial": "is not a field of this request"
        })
    );

    // Fields a request does not have are refused, each named, with the fields it has: a
    // misspelt field must not be silently dropped.
    let body = r#"{"email":"a@b.c","password":"x","remember":true,"mfa":"123456"}"#;
    let response =
        http.post(&login).header("content-type", "application/json").body(body).send().await.unwrap();
    let (status, _, refused) = envelope(response).await;
    assert_eq!(status.as_u16(), 400);
    let fields = &refused["data"]["fields"];
    assert_eq!(fields["remember"], "is not a field of this request (its fields: email, password)");
    assert_eq!(fields["mfa"], "is not a field of this request");
    // So are query parameters it does not take: `?Release=true` must not delete the VM. The
    // parameters are read before the caller's right to the VM is looked at, and nothing happens.
    let token = crate::register(&server.client(), "querier").await.token;
    let misspelt = format!("{}/vms/{}?Release=true", server.api_url, uuid::Uuid::new_v4());
    let response = http.delete(&misspelt).bearer_auth(&token).send().await.unwrap();
    let (status, _, refused) = envelope(response).await;
    assert_eq!(status.as_u16(), 400, "{refused}");
    assert_eq!(refused["data"]["fields"]["Release"], "is not a parameter of this request", "{refused}");
    // `release` itself is `true` or `false`, said as every yes/no parameter says it.
    let unclear = format!("{}/vms/{}?release=1", server.api_url, uuid::Uuid::new_v4());
    let (status, _, refused) =
        envelope(http.delete(&unclear).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(status.as_u16(), 400, "{refused}");
    assert_eq!(refused["data"]["fields"]["release"], "must be true or false", "{refused}");
    // Nor may a misspelt filter list everything; known filters, paging and sorting pass, and a
    // percent-encoded name is read as its decoded self.
    let list = |query: &str| format!("{}/vms?{query}", server.api_url);
    let response = http.get(list("stauts=running&limit=5")).bearer_auth(&token).send().await.unwrap();
    let (status, _, refused) = envelope(response).await;
    assert_eq!(status.as_u16(), 400, "{refused}");
    assert_eq!(refused["data"]["fields"]["stauts"], "is not a parameter of this request", "{refused}");
    assert!(refused["data"]["fields"].get("limit").is_none(), "{refused}");
    // Many are answered in bounded form, counted as the query's, not the body's.
    let many: Vec<String> = (0..15).map(|n| format!("u{n}=1")).collect();
    let response = http.get(list(&many.join("&"))).bearer_auth(&token).send().await.unwrap();
    let (status, _, refused) = envelope(response).await;
    assert_eq!(status.as_u16(), 400, "{refused}");
    let fields = refused["data"]["fields"].as_object().unwrap();
    assert_eq!(fields["query"], "has 5 more parameters that do not exist", "{refused}");
    assert!(!fields.contains_key("body") && fields.len() == 11, "{refused}");
    for known in ["st%61tus=running&limit=5&offset=0&sort=created_at:desc", "provider=aws&status=stopped"] {
        let response = http.get(list(known)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200, "{known}");
    }
    // Paging is given once (a second `limit` must not silently win), a filter at most 100
    // times, and a region filter holds region names.
    let regions = |count: usize| (0..count).map(|n| format!("region=r{n}")).collect::<Vec<_>>().join("&");
    for (query, field, message) in [
        ("limit=5&limit=100".to_owned(), "limit", "must be given once"),
        ("sort=name:asc&status=running&sort=name:desc".to_owned(), "sort", "must be given once"),
        (regions(101), "region", "must be given at most 100 times"),
        ("region=Mars%20Base".to_owned(), "region", "must be 1 to 64 lower-case letters, digits and '-'"),
        ("workspace_id=zzz".to_owned(), "workspace_id", "must be a valid UUID"),
    ] {
        let response = http.get(list(&query)).bearer_auth(&token).send().await.unwrap();
        let (status, _, refused) = envelope(response).await;
        assert_eq!(status.as_u16(), 400, "{query}: {refused}");
        assert_eq!(refused["data"]["fields"][field], message, "{query}: {refused}");
    }
    let response = http.get(list(&regions(100))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let twice = format!("{}/workspaces?is_active=true&is_active=false", server.api_url);
    let (status, _, refused) = envelope(http.get(twice).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(status.as_u16(), 400, "{refused}");
    assert_eq!(refused["data"]["fields"]["is_active"], "must be given once", "{refused}");
    // An operation without a body takes none (or `{}`): a field sent to it is not silently ignored.
    let read_all = format!("{}/notifications/read-all", server.api_url);
    for (body, status) in
        [("", 200), ("{ }", 200), ("{\"force\": true}", 400), ("not json", 400), ("[]", 400)]
    {
        let response = http
            .put(&read_all)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), status, "{body}");
        if status == 400 {
            let (_, _, answer) = envelope(response).await;
            let (field, message) = match body.contains("force") {
                true => ("force", "is not a field of this request (it takes no body)"),
                false => ("body", "this request takes no body"),
            };
            assert_eq!(answer["data"]["fields"][field], message, "{body}: {answer}");
        }
    }
    // A flag is `true` or `false` (not an HTML checkbox's `on`), and a page size names its range.
    for (query, field, message) in [
        ("is_active=on", "is_active", "must be true or false"),
        ("limit=-1", "limit", "must be an integer between 1 and 100"),
        ("offset=-1", "offset", "must be a non-negative integer"),
    ] {
        let url = format!("{}/workspaces?{query}", server.api_url);
        let (status, _, refused) = envelope(http.get(url).bearer_auth(&token).send().await.unwrap()).await;
        assert_eq!(status.as_u16(), 400, "{query}: {refused}");
        assert_eq!(refused["data"]["fields"][field], message, "{query}: {refused}");
    }

    // A body of many made-up keys gets a bounded answer: ten named, the rest counted.
    let mut junk: serde_json::Map<String, Value> =
        (0..500).map(|n| (format!("junk{n:04}"), Value::from(n))).collect();
    junk.insert("email".into(), "a@b.c".into());
    junk.insert("password".into(), "x".into());
    let response = http.post(&login).json(&junk).send().await.unwrap();
    let (status, _, answer) = envelope(response).await;
    assert_eq!(status.as_u16(), 400);
    let fields = answer["data"]["fields"].as_object().unwrap();
    assert_eq!(fields.len(), 11, "{answer}");
    assert_eq!(fields["body"], "has 490 more fields that do not exist");
    // A long name is shortened (it may be anything, a key pasted in the wrong place too).
    let long = format!("-----BEGIN PRIVATE KEY-----\n{}", "A".repeat(5000));
    let body = serde_json::json!({"email": "a@b.c", "password": "x", long: 1});
    let (status, _, answer) = envelope(http.post(&login).json(&body).send().await.unwrap()).await;
    assert_eq!(status.as_u16(), 400);
    assert!(answer.to_string().len() < 1000, "{answer}");
    assert!(!answer.to_string().contains(&"A".repeat(33)), "{answer}");

    // A made-up name is quoted printable: no control or bidirectional character comes back.
    let body = serde_json::json!({"email": "a@b.c", "password": "x", "\u{202e}\u{1b}[31mevil\n": 1});
    let (status, _, answer) = envelope(http.post(&login).json(&body).send().await.unwrap()).await;
    assert_eq!(status.as_u16(), 400);
    let fields = answer["data"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("\\u{202e}\\u{1b}[31mevil\\u{a}"), "{answer}");
    let text = answer.to_string();
    assert!(!text.contains('\u{202e}') && !text.contains("\\u001b") && !text.contains("\\n"), "{text}");
    let response = http
        .get(format!("{}/users?%1B%5B2J%0Ax=1", server.api_url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, _, answer) = envelope(response).await;
    assert_eq!(status.as_u16(), 400);
    assert!(answer["data"]["fields"].get("\\u{1b}[2J\\u{a}x").is_some(), "{answer}");

    // A body without Content-Type is still read as JSON.
    let response =
        http.post(&login).body(r#"{"email":"who@example.com","password":"whatever1"}"#).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn request_ids_are_kept_when_valid_and_generated_otherwise() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let http = reqwest::Client::new();
    let health = format!("{}/health", server.api_url);

    let response = http.get(&health).header("x-request-id", "trace-42.a_b").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-42.a_b");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["request_id"], "trace-42.a_b");
    assert_eq!(body["success"], true);

    let response = http.get(&health).header("x-request-id", "no spaces allowed").send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.starts_with("req_") && id.len() == 36, "{id}");
    server.stop().await;
    db.drop_now().await;
}
