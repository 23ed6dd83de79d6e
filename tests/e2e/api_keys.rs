//! API keys: shown once, stored hashed, acting as their owner, read-only when asked, revocable.

use futures_util::TryStreamExt;
use skyclust_sdk::ErrorCode;
use skyclust_sdk::types::{AuthMethod, CreateApiKeyRequest, ListQuery, SortDirection};
use skyclust_tests::{TestServer, each_backend};

use crate::register;

fn request(name: &str, read_only: bool) -> CreateApiKeyRequest {
    CreateApiKeyRequest { name: name.into(), expires_at: None, read_only: Some(read_only) }
}

#[tokio::test]
async fn a_key_acts_as_its_owner_until_revoked() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let owner = server.client();
        register(&owner, "ada").await;
        let created = owner.api_keys().create(&request("ci", false)).await.unwrap();
        assert!(created.key.starts_with("sk_") && created.key.len() >= 40);
        assert!(created.key.starts_with(&created.api_key.prefix));
        assert_eq!(created.api_key.last_used_at, None);

        // Only the hash is stored.
        let stored: Vec<(String, String)> = sqlx::query_as("SELECT prefix, key_hash FROM api_keys")
            .fetch_all(server.state.db.pool())
            .await
            .expect("read the raw table");
        assert_eq!(
            stored,
            [(created.api_key.prefix.clone(), skyclust_server::auth::api_key::hash(&created.key))]
        );
        assert!(!format!("{stored:?}").contains(&created.key), "the key is stored in clear");

        let service = server.client();
        service.set_api_key(created.key.clone());
        let me = service.auth().me().await.unwrap();
        assert_eq!(me.user.username, "ada");
        assert_eq!(me.auth_method, AuthMethod::ApiKey);
        // Sent both (as generic OpenAPI tools do), the bearer token is the one used.
        let both = reqwest::Client::new()
            .get(format!("{}/auth/me", server.api_url))
            .bearer_auth(owner.token().unwrap())
            .header(skyclust_sdk::types::headers::API_KEY, "sk_not_a_key")
            .send()
            .await
            .unwrap();
        let answer: serde_json::Value = both.json().await.unwrap();
        assert_eq!(answer["data"]["auth_method"], "jwt", "{answer}");
        // Two of one header are refused: which caller the request acts for is not a guess.
        for (name, first, second) in [
            ("authorization", format!("Bearer {}", owner.token().unwrap()), "Bearer forged".to_owned()),
            ("x-api-key", created.key.clone(), "sk_forged".to_owned()),
        ] {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.append(name, first.parse().unwrap());
            headers.append(name, second.parse().unwrap());
            let twice = reqwest::Client::new()
                .get(format!("{}/auth/me", server.api_url))
                .headers(headers)
                .send()
                .await
                .unwrap();
            assert_eq!(twice.status().as_u16(), 401, "{name}");
        }
        // A key cannot mint keys (it could outlive or out-scope itself); the owner's session can.
        let minted = service.api_keys().create(&request("from-a-key", false)).await.unwrap_err();
        assert_eq!(minted.code(), Some(ErrorCode::Forbidden));
        let again = owner.api_keys().create(&request("from-a-session", false)).await.unwrap();

        let listed =
            owner.api_keys().list(&ListQuery::default().sort_by("name", SortDirection::Asc)).await.unwrap();
        assert_eq!(listed.pagination.total, 2);
        assert_eq!(
            listed.api_keys.iter().map(|key| key.name.as_str()).collect::<Vec<_>>(),
            ["ci", "from-a-session"]
        );
        let used = listed.api_keys.iter().find(|key| key.id == created.api_key.id).unwrap();
        // The use is recorded in the background; give it a moment.
        let mut last_used = used.last_used_at;
        for _ in 0..50 {
            if last_used.is_some() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let keys: Vec<_> = owner.api_keys().list_all(ListQuery::default()).try_collect().await.unwrap();
            last_used = keys.iter().find(|key| key.id == created.api_key.id).unwrap().last_used_at;
        }
        assert!(last_used.is_some(), "last_used_at is recorded");

        // Another user can neither see nor revoke it.
        let stranger = server.client();
        register(&stranger, "grace").await;
        assert_eq!(stranger.api_keys().list(&ListQuery::default()).await.unwrap().pagination.total, 0);
        let error = stranger.api_keys().delete(created.api_key.id).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::NotFound));

        owner.api_keys().delete(created.api_key.id).await.unwrap();
        assert_eq!(service.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));
        assert_eq!(
            owner.api_keys().delete(created.api_key.id).await.unwrap_err().code(),
            Some(ErrorCode::NotFound)
        );
        owner.api_keys().delete(again.api_key.id).await.unwrap();
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn read_only_and_expired_keys_are_limited() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let owner = server.client();
        register(&owner, "ada").await;
        let read_only = owner.api_keys().create(&request("reader", true)).await.unwrap();
        assert!(read_only.api_key.read_only);
        let reader = server.client();
        reader.set_api_key(read_only.key);
        let me = reader.auth().me().await.unwrap();
        assert!(me.permissions.iter().all(|permission| permission.as_str().ends_with(":read")));
        assert!(reader.users().list(&ListQuery::default()).await.is_ok(), "admin reads stay allowed");
        let error = reader.api_keys().create(&request("escalate", false)).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Forbidden));

        let soon = chrono::Utc::now() + chrono::Duration::seconds(1);
        let expiring = owner
            .api_keys()
            .create(&CreateApiKeyRequest { name: "brief".into(), expires_at: Some(soon), read_only: None })
            .await
            .unwrap();
        assert_eq!(expiring.api_key.expires_at.map(|at| at.timestamp()), Some(soon.timestamp()));
        // Expiry is checked against the server's clock: make the stored expiry lie in the past.
        sqlx::query("UPDATE api_keys SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE name = 'brief'")
            .execute(server.state.db.pool())
            .await
            .unwrap();
        let expired = server.client();
        expired.set_api_key(expiring.key);
        assert_eq!(expired.auth().me().await.unwrap_err().code(), Some(ErrorCode::Unauthorized));

        let past = owner
            .api_keys()
            .create(&CreateApiKeyRequest {
                name: "past".into(),
                expires_at: Some(chrono::Utc::now() - chrono::Duration::hours(1)),
                read_only: None,
            })
            .await
            .unwrap_err();
        assert_eq!(past.field_errors().unwrap()["expires_at"], "must be in the future");
        let unnamed = owner.api_keys().create(&request("  ", false)).await.unwrap_err();
        assert!(unnamed.field_errors().unwrap().contains_key("name"));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
