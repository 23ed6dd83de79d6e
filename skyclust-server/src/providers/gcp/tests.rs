use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
use base64::Engine as _;
use serde_json::json;
use wiremock::matchers::{method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use uuid::Uuid;

use super::*;

/// A service-account key file with a fresh RSA key.
fn key_file() -> Secrets {
    let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
    let der = AsDer::<Pkcs8V1Der<'_>>::as_der(&pair).unwrap();
    let body = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
    let lines: Vec<String> =
        body.as_bytes().chunks(64).map(|line| String::from_utf8_lossy(line).into()).collect();
    let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
    let file = json!({
        "type": "service_account", "project_id": "my-project", "private_key_id": Uuid::new_v4().simple().to_string(),
        "private_key": pem, "client_email": "sa@my-project.iam.gserviceaccount.com"
    });
    Secrets(file.as_object().unwrap().clone())
}

fn somewhere(request_id: Uuid) -> InstanceRef {
    InstanceRef {
        region: "us-central1".into(),
        zone: Some("us-central1-a".into()),
        instance_id: "projects/my-project/zones/us-central1-a/instances/web-0f1e2d3c4b5a".into(),
        request_id,
    }
}

fn google_error(status: u16, reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error": {
        "code": status, "message": format!("{reason} happened"),
        "errors": [{"message": format!("{reason} happened"), "domain": "global", "reason": reason}]
    }}))
}

/// A driver whose calls go to `base`, each attempt allowed `timeout`.
fn gcp_at(base: String, timeout: Duration) -> Gcp {
    Gcp::new(Some(base), timeout, Duration::from_secs(1), Duration::from_millis(10))
}

async fn describe_against(response: ResponseTemplate, secrets: &Secrets) -> ProviderError {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path_regex("^/compute/v1/projects/my-project/zones/us-central1-a/instances/"))
        .respond_with(response)
        .mount(&server)
        .await;
    let gcp = gcp_at(server.uri(), Duration::from_millis(500));
    gcp.describe(secrets, &somewhere(Uuid::new_v4())).await.unwrap_err()
}

#[tokio::test]
async fn compute_engine_failures_are_classified_without_quoting_the_key() {
    let secrets = key_file();
    let cases = [
            (google_error(401, "authError"), "Auth"),
            (google_error(403, "forbidden"), "Auth"),
            (google_error(403, "quotaExceeded"), "Quota"),
            (google_error(403, "rateLimitExceeded"), "Retryable"),
            (google_error(429, "rateLimitExceeded"), "Retryable"),
            (google_error(503, "backendError"), "Retryable"),
            // Gone only when the 404 names the instance, not its project or zone.
            (
                ResponseTemplate::new(404).set_body_json(json!({"error": {"code": 404, "errors": [{"reason": "notFound"}],
                    "message": "The resource 'projects/my-project/zones/us-central1-a/instances/web-0f1e2d3c4b5a' was not found"}})),
                "NotFound",
            ),
            (google_error(404, "notFound"), "InvalidRequest"),
            (google_error(400, "resourceNotReady"), "Retryable"),
            (google_error(400, "invalid"), "InvalidRequest"),
            // The newer shape: the reason in an ErrorInfo detail, upper case; a QuotaFailure.
            (
                ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "Quota exceeded",
                    "status": "PERMISSION_DENIED", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "QUOTA_EXCEEDED", "domain": "compute.googleapis.com"}]}})),
                "Quota",
            ),
            (
                ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "Quota 'CPUS' exceeded",
                    "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [{"subject": "CPUS", "description": "Quota 'CPUS' exceeded"}]}]}})),
                "Quota",
            ),
            (
                ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "slow down",
                    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"}]}})),
                "Retryable",
            ),
            (ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"), "Retryable"),
            (ResponseTemplate::new(200).set_delay(Duration::from_secs(3)), "Retryable"),
        ];
    for (response, class) in cases {
        let error = describe_against(response, &secrets).await;
        assert!(format!("{error:?}").starts_with(class), "{class}: {error:?}");
        let key = secrets.get("private_key").unwrap();
        assert!(!error.to_string().contains(&key[40..80]), "{error}");
    }
    let late = describe_against(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)), &secrets).await;
    assert_eq!(late, ProviderError::Retryable("Compute Engine did not answer in time".into()));
}

#[tokio::test]
async fn one_client_per_key_is_built_and_reused() {
    let server = MockServer::start().await;
    let instance = json!({"name": "web-0f1e2d3c4b5a", "status": "RUNNING", "zone": "https://www.googleapis.com/compute/v1/projects/my-project/zones/us-central1-a",
            "networkInterfaces": [{"networkIP": "10.128.0.7", "accessConfigs": [{"type": "ONE_TO_ONE_NAT", "natIP": "34.1.2.3"}]}]});
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(instance))
        .mount(&server)
        .await;
    let gcp = gcp_at(server.uri(), Duration::from_secs(5));
    let (first, second) = (key_file(), key_file());
    let seen = gcp.describe(&first, &somewhere(Uuid::new_v4())).await.unwrap();
    assert_eq!(
        (seen.status, seen.public_ip.as_deref(), seen.private_ip.as_deref(), seen.zone.as_deref()),
        (VmStatus::Running, Some("34.1.2.3"), Some("10.128.0.7"), Some("us-central1-a"))
    );
    gcp.describe(&first, &somewhere(Uuid::new_v4())).await.unwrap();
    assert_eq!(gcp.cached_clients(), 1, "the same key reuses its client");
    gcp.describe(&second, &somewhere(Uuid::new_v4())).await.unwrap();
    assert_eq!(gcp.cached_clients(), 2);
    let unreachable = gcp_at("http://127.0.0.1:9/".into(), Duration::from_secs(1));
    assert_eq!(
        unreachable.describe(&first, &somewhere(Uuid::new_v4())).await.unwrap_err(),
        ProviderError::Retryable("cannot reach Compute Engine".into())
    );
}

#[tokio::test]
async fn keys_are_checked_by_signing_locally() {
    assert_eq!(check_key(&key_file().0).await, Ok(()));
    let mut pkcs1 = key_file().0.clone();
    pkcs1.insert("private_key".into(), json!("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n"));
    assert!(check_key(&pkcs1).await.is_err());
    let mut missing_id = key_file().0.clone();
    missing_id.remove("private_key_id");
    assert!(check_key(&missing_id).await.is_err());
}

#[test]
fn statuses_map_as_documented() {
    let with = |status: &str| {
        let instance: Instance = serde_json::from_value(json!({"name": "x", "status": status})).unwrap();
        let at = Place { project: "p", zone: "z" };
        observed(&instance, &at, "x").map(|state| (state.status, state.note.is_some()))
    };
    assert_eq!(with("PROVISIONING"), Ok((VmStatus::Starting, false)));
    assert_eq!(with("STAGING"), Ok((VmStatus::Starting, false)));
    assert_eq!(with("RUNNING"), Ok((VmStatus::Running, false)));
    assert_eq!(with("STOPPING"), Ok((VmStatus::Stopping, false)));
    assert_eq!(with("SUSPENDING"), Ok((VmStatus::Stopping, false)));
    assert_eq!(with("TERMINATED"), Ok((VmStatus::Stopped, false)));
    assert_eq!(with("SUSPENDED"), Ok((VmStatus::Stopped, false)));
    assert_eq!(with("REPAIRING").map(|(_, noted)| noted), Ok(true));
    assert!(matches!(with("EXPLODED"), Err(ProviderError::Retryable(_))));
}

#[test]
fn images_are_paths_or_urls_of_images_or_families() {
    for good in [
        DEFAULT_IMAGE,
        "projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20250101",
        "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/family/debian-12",
        "global/images/my-golden-image",
    ] {
        assert!(is_image(good), "{good}");
    }
    for bad in ["ami-12345678", "projects/x/global/images/", "projects/x/zones/images/y", "../../etc", ""] {
        assert!(!is_image(bad), "{bad}");
    }
}

#[test]
fn ssh_keys_entries_are_checked() {
    let ed25519 =
        "alice:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";
    assert!(is_ssh_keys_entry(ed25519));
    assert!(is_ssh_keys_entry(ed25519.trim_end_matches(" alice@laptop")));
    assert!(!is_ssh_keys_entry(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    ));
    assert!(!is_ssh_keys_entry(
        "alice:ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    ));
    assert!(!is_ssh_keys_entry(
        "Alice:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
    ));
    assert!(!is_ssh_keys_entry("alice:ssh-ed25519 not-base64!"));
    assert!(!is_ssh_keys_entry(&format!("{ed25519}\nbob:ssh-ed25519 AAAA")));
}
