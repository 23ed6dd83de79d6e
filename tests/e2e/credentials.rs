//! Credentials: per-provider validation, encryption at rest (proved on the raw database),
//! masked hints, owner-only access, and notifications of changes.

use serde_json::{Map, Value, json};
use skyclust_sdk::ErrorCode;
use skyclust_sdk::types::{
    AwsCredentialData, AzureCredentialData, CreateCredentialRequest, CredentialFilters, GcpCredentialData,
    ListQuery, Provider, SandboxCredentialData, UpdateCredentialRequest,
};
use skyclust_tests::{TestServer, each_backend};

use crate::register;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn data(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

fn aws(name: &str) -> CreateCredentialRequest {
    CreateCredentialRequest::new(name, AwsCredentialData::new("AKIAIOSFODNN7EXAMPLE", SECRET, "eu-west-1"))
}

#[tokio::test]
async fn secrets_are_encrypted_at_rest_and_never_shown() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let credential = ada.credentials().create(&aws("aws-prod")).await.unwrap();
        assert_eq!(
            (credential.hint.as_str(), credential.region.as_deref()),
            ("AKIA…MPLE", Some("eu-west-1"))
        );
        assert!(credential.is_active);

        // The raw row holds ciphertext only, under the current key version.
        let (ciphertext, nonce, version, hint): (String, String, i64, String) =
            sqlx::query_as("SELECT ciphertext, nonce, key_version, hint FROM credentials")
                .fetch_one(server.state.db.pool())
                .await
                .unwrap();
        assert_eq!(version, 1);
        let dump = format!("{ciphertext}{nonce}{hint}");
        assert!(
            !dump.contains(SECRET) && !dump.contains("AKIAIOSFODNN7EXAMPLE"),
            "a secret is stored in clear"
        );
        let all_rows: Vec<(String,)> = sqlx::query_as("SELECT name || hint || ciphertext FROM credentials")
            .fetch_all(server.state.db.pool())
            .await
            .unwrap();
        assert!(!format!("{all_rows:?}").contains(SECRET));

        // The server can open it again (for its provider drivers), and only for this row.
        let record = skyclust_server::storage::credentials::find_owned(
            &server.state.db,
            credential_owner(&ada).await,
            credential.id,
        )
        .await
        .unwrap()
        .unwrap();
        let opened = skyclust_server::credentials::secrets(&server.state.vault, &record).unwrap();
        assert_eq!(opened.get("secret_key"), Some(SECRET));
        assert!(server.state.vault.open(uuid::Uuid::new_v4().as_bytes(), &record.sealed).is_err());

        // No answer, list or audit entry carries the secret.
        let listed = ada.credentials().list(&ListQuery::default()).await.unwrap();
        let fetched = ada.credentials().get(credential.id).await.unwrap();
        let audit = ada.audit_logs().list(&ListQuery::default()).await.unwrap();
        let answers = format!("{listed:?}{fetched:?}{audit:?}");
        assert!(!answers.contains(SECRET) && !answers.contains("AKIAIOSFODNN7EXAMPLE"));

        // Rotating the secrets re-encrypts with a fresh nonce and changes the hint.
        let rotated = ada
            .credentials()
            .update(
                credential.id,
                &UpdateCredentialRequest::default().with_data(AwsCredentialData::new(
                    "AKIAZZZZZZZZZZZZNEWK",
                    "another-secret-value-123",
                    "us-east-2",
                )),
            )
            .await
            .unwrap();
        assert_eq!(
            (rotated.hint.as_str(), rotated.region.as_deref(), rotated.name.as_str()),
            ("AKIA…NEWK", Some("us-east-2"), "aws-prod")
        );
        let (new_nonce,): (String,) =
            sqlx::query_as("SELECT nonce FROM credentials").fetch_one(server.state.db.pool()).await.unwrap();
        assert_ne!(new_nonce, nonce);
        let renamed = ada
            .credentials()
            .update(
                credential.id,
                &UpdateCredentialRequest {
                    name: Some("aws-main".into()),
                    is_active: Some(false),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(
            (renamed.name.as_str(), renamed.hint.as_str(), renamed.is_active),
            ("aws-main", "AKIA…NEWK", false)
        );

        let news = ada.notifications().list(&ListQuery::default()).await.unwrap();
        let titles: Vec<_> = news.notifications.iter().map(|n| n.title.as_str()).collect();
        assert_eq!(titles, ["Credential changed", "Credential changed", "Credential stored"]);
        assert!(!format!("{news:?}").contains(SECRET));
        ada.credentials().delete(credential.id).await.unwrap();
        assert_eq!(ada.credentials().get(credential.id).await.unwrap_err().code(), Some(ErrorCode::NotFound));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

async fn credential_owner(client: &skyclust_sdk::SkyClustClient) -> uuid::Uuid {
    client.auth().me().await.unwrap().user.id
}

#[tokio::test]
async fn each_provider_is_validated_and_credentials_stay_private() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let admin = server.client();
        register(&admin, "root").await;
        let ada = server.client();
        register(&ada, "ada").await;
        let eve = server.client();
        register(&eve, "eve").await;

        // Valid requests are built from the typed provider structs, as SDK users build them.
        let azure = CreateCredentialRequest::new(
            "azure",
            AzureCredentialData {
                tenant_id: uuid::Uuid::new_v4().to_string(),
                client_id: "2b1c5f4e-9d8a-4c3b-a1f2-0e9d8c7b6a5f".into(),
                client_secret: "a-client-secret-value".into(),
                subscription_id: uuid::Uuid::new_v4().to_string(),
                resource_group: "skyclust".into(),
            },
        );
        // The application (client) id is no secret: it is the hint, whole.
        assert_eq!(
            ada.credentials().create(&azure).await.unwrap().hint,
            "2b1c5f4e-9d8a-4c3b-a1f2-0e9d8c7b6a5f"
        );
        // A key file as Google Cloud's console downloads it reads into the typed struct.
        let key_file = Value::Object(skyclust_tests::fake_compute::service_account_key("acme-prod"));
        let gcp = CreateCredentialRequest::new(
            "gcp",
            serde_json::from_value::<GcpCredentialData>(key_file).unwrap(),
        );
        let email = gcp.data["client_email"].as_str().unwrap().to_owned();
        assert!(email.ends_with("@acme-prod.iam.gserviceaccount.com"));
        assert_eq!(ada.credentials().create(&gcp).await.unwrap().hint, email);
        let sandbox = CreateCredentialRequest::new("sandbox", SandboxCredentialData::default());
        ada.credentials().create(&sandbox).await.unwrap();
        ada.credentials().create(&aws("aws")).await.unwrap();

        let bad = CreateCredentialRequest {
            name: String::new(),
            provider: Provider::Aws,
            data: data(json!({"access_key": "lowercase", "region": "moon", "password": "x"})),
        };
        let fields = ada.credentials().create(&bad).await.unwrap_err().field_errors().unwrap();
        let names: Vec<_> = fields.keys().map(String::as_str).collect();
        assert_eq!(names, ["data.access_key", "data.password", "data.region", "data.secret_key", "name"]);
        let http = reqwest::Client::new();
        let response = http
            .post(format!("{}/credentials", server.api_url))
            .bearer_auth(ada.token().unwrap())
            .json(&json!({"name": "x", "provider": "oracle", "data": {}}))
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["code"], "VALIDATION_ERROR");
        assert!(body["data"]["fields"]["provider"].as_str().unwrap().contains("aws"), "{body}");
        let mismatched = ada
            .credentials()
            .update(
                ada.credentials().list(&ListQuery::default()).await.unwrap().credentials[0].id,
                &UpdateCredentialRequest {
                    data: Some(data(json!({"tenant_id": "nope"}))),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(mismatched.code(), Some(ErrorCode::ValidationError));
        assert_eq!(
            ada.credentials().create(&aws("AWS")).await.unwrap_err().code(),
            Some(ErrorCode::Conflict)
        );

        let only_clouds =
            ada.credentials()
                .list(&ListQuery::default().filters(CredentialFilters {
                    provider: vec![Provider::Aws, Provider::Gcp],
                    is_active: None,
                }))
                .await
                .unwrap();
        assert_eq!(only_clouds.pagination.total, 2);

        // Nobody else sees them, admins included.
        let adas = ada.credentials().list(&ListQuery::default()).await.unwrap();
        assert_eq!(adas.pagination.total, 4);
        for other in [&eve, &admin] {
            assert_eq!(other.credentials().list(&ListQuery::default()).await.unwrap().pagination.total, 0);
            let id = adas.credentials[0].id;
            assert_eq!(other.credentials().get(id).await.unwrap_err().code(), Some(ErrorCode::NotFound));
            assert_eq!(other.credentials().delete(id).await.unwrap_err().code(), Some(ErrorCode::NotFound));
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

/// Made-up fields inside `data` get a bounded answer: ten named, the rest counted.
#[tokio::test]
async fn many_unknown_data_fields_get_a_bounded_answer() {
    let db = skyclust_tests::TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let ada = server.client();
    register(&ada, "ada").await;
    let data: Map<String, serde_json::Value> = (0..5000).map(|n| (format!("k{n:05}"), json!("v"))).collect();
    let request = CreateCredentialRequest { name: "junk".into(), provider: Provider::Sandbox, data };
    let fields = ada.credentials().create(&request).await.unwrap_err().field_errors().unwrap_or_default();
    assert_eq!(fields.len(), 11, "{fields:?}");
    assert_eq!(fields["data"], "has 4990 more fields that do not exist");
    server.stop().await;
    db.drop_now().await;
}
