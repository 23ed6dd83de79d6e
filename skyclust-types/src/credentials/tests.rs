use serde_json::json;

use super::*;
use utoipa::openapi::{RefOr, Schema};

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

fn typed_examples() -> Vec<CredentialData> {
    let gcp: GcpCredentialData = serde_json::from_value(json!({
        "type": "service_account", "project_id": "my-project", "private_key_id": "0123abcd",
        "private_key": "-----BEGIN PRIVATE KEY-----\nhunter2-pem\n-----END PRIVATE KEY-----\n",
        "client_email": "sa@my-project.iam.gserviceaccount.com",
        "token_uri": "https://oauth2.googleapis.com/token", "universe_domain": "googleapis.com"
    }))
    .unwrap();
    let mut aws = AwsCredentialData::new("AKIAIOSFODNN7EXAMPLE", "hunter2-key-0123456789", "eu-west-1");
    aws.session_token = Some("hunter2-session".into());
    vec![
        aws.into(),
        gcp.into(),
        AzureCredentialData {
            tenant_id: Uuid::nil().to_string(),
            client_id: Uuid::max().to_string(),
            client_secret: "hunter2-client-0123456789".into(),
            subscription_id: Uuid::nil().to_string(),
            resource_group: "skyclust".into(),
        }
        .into(),
        SandboxCredentialData { region: Some("us-east-2".into()) }.into(),
    ]
}

#[test]
fn typed_data_is_what_the_rules_accept() {
    for data in typed_examples() {
        let provider = data.provider();
        let request = CreateCredentialRequest::new("typed", data.clone());
        assert_eq!(request.provider, provider);
        assert!(request.validate().is_ok(), "{provider:?}: {:?}", request.validate());
        assert_eq!(CredentialData::from_fields(provider, request.data), Some(data));
    }
    // Fields another provider's struct does not have are refused, as the rules refuse them.
    let aws = CreateCredentialRequest::new("typed", typed_examples().remove(0));
    assert_eq!(CredentialData::from_fields(Provider::Sandbox, aws.data.clone()), None);
    assert_eq!(
        problems(Provider::Sandbox, Value::Object(aws.data)),
        ["data.access_key", "data.secret_key", "data.session_token"]
    );
}

#[test]
fn typed_data_never_prints_a_secret() {
    for data in typed_examples() {
        let printed = format!("{data:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        // Nor does a request carrying it.
        let create = CreateCredentialRequest::new("typed", data.clone());
        let update = UpdateCredentialRequest::default().with_data(data);
        let printed = format!("{create:?} {update:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
    }
    let printed = format!("{:?}", CreateCredentialRequest::new("typed", typed_examples().remove(0)));
    assert!(printed.contains("secret_key") && printed.contains("Aws"), "{printed}");
}

// The documented schemas derive from the structs, the checks from the rule table: they must
// name the same fields, require the same ones and document each field with its rule.
#[test]
fn derived_schemas_agree_with_the_rule_table() {
    use utoipa::openapi::schema::AdditionalProperties;
    for provider in Provider::ALL {
        let (name, schema) = data_schema(provider);
        let RefOr::T(Schema::Object(object)) = schema else { panic!("{name} is not an object") };
        let table = rules::fields(provider);
        let names: Vec<&str> = table.iter().map(|field| field.name).collect();
        assert_eq!(object.properties.keys().map(String::as_str).collect::<Vec<_>>(), names, "{name}");
        let required: Vec<&str> =
            table.iter().filter(|field| field.required).map(|field| field.name).collect();
        assert_eq!(object.required, required, "{name}");
        assert!(
            matches!(object.additional_properties.as_deref(), Some(AdditionalProperties::FreeForm(false))),
            "{name} must refuse unknown fields"
        );
        for field in table {
            let documented = serde_json::to_value(&object.properties[field.name]).unwrap();
            let ruled = serde_json::to_value(RefOr::<Schema>::from(field.rule.schema())).unwrap();
            assert_eq!(documented, ruled, "{name}.{}", field.name);
        }
    }
}
