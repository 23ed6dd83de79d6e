use serde_json::json;

use super::*;

fn problems(provider: Provider, data: Value) -> Vec<String> {
    let mut errors = FieldErrors::default();
    check_data(&mut errors, provider, data.as_object().unwrap());
    errors.fields.into_keys().collect()
}

#[test]
fn provider_fields_are_checked_by_name() {
    let aws = json!({"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region": "us-gov-west-1"});
    assert!(problems(Provider::Aws, aws).is_empty());
    assert_eq!(
        problems(Provider::Aws, json!({"access_key": "lower", "region": "Mars"})),
        ["data.access_key", "data.region", "data.secret_key"]
    );
    assert_eq!(
        problems(Provider::Aws, json!({"access_key": 5})),
        ["data.access_key", "data.region", "data.secret_key"]
    );
    assert!(problems(Provider::Sandbox, json!({})).is_empty());
    assert_eq!(problems(Provider::Sandbox, json!({"secret": "x"})), ["data.secret"]);
    let azure = json!({"tenant_id": Uuid::nil(), "client_id": Uuid::nil(), "client_secret": "0123456789abcdef", "subscription_id": Uuid::nil(), "resource_group": "skyclust"});
    assert!(problems(Provider::Azure, azure).is_empty());
    assert_eq!(
        problems(
            Provider::Azure,
            json!({"tenant_id": Uuid::nil(), "client_id": Uuid::nil(), "client_secret": "0123456789abcdef", "subscription_id": Uuid::nil(), "resource_group": "a/b"})
        ),
        ["data.resource_group"]
    );
    assert!(
        is_resource_group("rg_(prod).1")
            && !is_resource_group("ends.")
            && !is_resource_group(&"a".repeat(91))
    );
    let gcp = json!({
        "type": "service_account", "project_id": "my-project", "private_key_id": "0123abcd",
        "private_key": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n",
        "client_email": "sa@my-project.iam.gserviceaccount.com", "client_id": "1234567890",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/sa%40my-project.iam.gserviceaccount.com",
        "universe_domain": "googleapis.com"
    });
    assert!(problems(Provider::Gcp, gcp).is_empty());
    assert_eq!(
        problems(
            Provider::Gcp,
            json!({"type": "service_account", "project_id": "P", "private_key": "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n", "client_email": "sa@p.example", "token_uri": "file:///etc/passwd"})
        ),
        ["data.private_key_id", "data.project_id", "data.token_uri"]
    );
}

#[test]
fn regions() {
    for good in ["us-east-1", "ap-southeast-2", "us-gov-west-1", "eu-central-1"] {
        assert!(is_aws_region(good), "{good}");
    }
    for bad in ["us-east", "useast1", "US-EAST-1", "u-east-1", "us--1", "us-east-123"] {
        assert!(!is_aws_region(bad), "{bad}");
    }
}
