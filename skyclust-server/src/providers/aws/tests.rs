use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;

fn secrets() -> Secrets {
    let data = json!({"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region": "us-east-1"});
    Secrets(data.as_object().unwrap().clone())
}

fn ec2_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_string(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code>\
             <Message>{code} happened</Message></Error></Errors><RequestID>r-1</RequestID></Response>"
    ))
}

async fn describe_against(response: ResponseTemplate, timeout: Duration) -> ProviderError {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(response).mount(&server).await;
    let aws = Aws::new(Some(server.uri()), timeout);
    let instance = InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: "i-0123456789abcdef0".into(),
        request_id: uuid::Uuid::new_v4(),
    };
    aws.describe(&secrets(), &instance).await.unwrap_err()
}

#[tokio::test]
async fn one_client_per_credential_and_region_is_built_and_reused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ec2_error(400, "InvalidInstanceID.NotFound"))
        .mount(&server)
        .await;
    let aws = Aws::new(Some(server.uri()), Duration::from_secs(5));
    let instance = |region: &str| InstanceRef {
        region: region.into(),
        zone: None,
        instance_id: "i-0123456789abcdef0".into(),
        request_id: uuid::Uuid::new_v4(),
    };
    for _ in 0..3 {
        aws.describe(&secrets(), &instance("us-east-1")).await.unwrap_err();
    }
    assert_eq!(aws.cached_clients(), 1, "the same credential and region reuse their client");
    aws.describe(&secrets(), &instance("eu-west-1")).await.unwrap_err();
    let mut rekeyed = secrets();
    rekeyed.0.insert("secret_key".into(), json!("another-secret"));
    aws.describe(&rekeyed, &instance("us-east-1")).await.unwrap_err();
    assert_eq!(aws.cached_clients(), 3, "another region or other keys: another client");
    assert_eq!(server.received_requests().await.unwrap().len(), 5);
}

#[tokio::test]
async fn ec2_failures_are_classified() {
    let quick = Duration::from_secs(5);
    assert!(matches!(
        describe_against(ec2_error(503, "RequestLimitExceeded"), quick).await,
        ProviderError::Retryable(_)
    ));
    assert!(matches!(describe_against(ec2_error(401, "AuthFailure"), quick).await, ProviderError::Auth(_)));
    assert!(matches!(
        describe_against(ec2_error(400, "InvalidInstanceID.NotFound"), quick).await,
        ProviderError::NotFound(_)
    ));
    assert!(matches!(
        describe_against(ec2_error(400, "InstanceLimitExceeded"), quick).await,
        ProviderError::Quota(_)
    ));
    assert!(matches!(
        describe_against(ec2_error(400, "InvalidAMIID.Malformed"), quick).await,
        ProviderError::InvalidRequest(_)
    ));
    let slow = ResponseTemplate::new(200).set_delay(Duration::from_secs(3));
    let error = describe_against(slow, Duration::from_millis(300)).await;
    assert!(
        matches!(error, ProviderError::Retryable(ref message) if message.contains("in time")),
        "{error:?}"
    );
    let message = describe_against(ec2_error(401, "AuthFailure"), quick).await.to_string();
    assert!(!message.contains("wJalrXUtnFEMI"), "secrets never reach error messages");
}

#[test]
fn instance_types_come_from_the_sdk() {
    assert!(offers("t3.micro") && offers("m7g.large"));
    assert!(!offers("nope.huge") && !offers("T3.MICRO"));
}

#[test]
fn graviton_types_are_arm64() {
    for arm in [
        "t4g.micro",
        "m6g.large",
        "m7gd.xlarge",
        "c7gn.large",
        "im4gn.large",
        "is4gen.large",
        "a1.large",
        "g5g.xlarge",
    ] {
        assert_eq!(architecture(arm), "arm64", "{arm}");
    }
    for x86 in [
        "t3.micro",
        "t3a.small",
        "m5.large",
        "m7i.large",
        "c6in.large",
        "g5.xlarge",
        "p4d.24xlarge",
        "x2iedn.xlarge",
    ] {
        assert_eq!(architecture(x86), "x86_64", "{x86}");
    }
}

fn instances_page(ids: &[&str], next: Option<&str>) -> ResponseTemplate {
    let items: String = ids
            .iter()
            .map(|id| {
                format!(
                    "<item><instanceId>{id}</instanceId><instanceState><code>16</code><name>running</name></instanceState>\
                     <instanceType>t3.micro</instanceType><launchTime>2026-11-30T10:00:00.000Z</launchTime>\
                     <tagSet><item><key>Name</key><value>n-{id}</value></item></tagSet></item>"
                )
            })
            .collect();
    let next = next.map(|token| format!("<nextToken>{token}</nextToken>")).unwrap_or_default();
    ResponseTemplate::new(200).set_body_string(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">\
             <requestId>r-1</requestId><reservationSet><item><reservationId>r-1</reservationId><instancesSet>{items}\
             </instancesSet></item></reservationSet>{next}</DescribeInstancesResponse>"
        ))
}

#[tokio::test]
async fn discovery_follows_describe_instances_pages_up_to_the_limit() {
    use wiremock::matchers::body_string_contains;
    let server = MockServer::start().await;
    Mock::given(body_string_contains("NextToken=page-2"))
        .respond_with(instances_page(&["i-3", "i-4"], Some("page-3")))
        .mount(&server)
        .await;
    Mock::given(body_string_contains("NextToken=page-3"))
        .respond_with(instances_page(&["i-5"], None))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(instances_page(&["i-1", "i-2"], Some("page-2")))
        .mount(&server)
        .await;
    let aws = Aws::new(Some(server.uri()), Duration::from_secs(5));
    let all = aws.list(&secrets(), "us-east-1", 100).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|instance| instance.instance_id.as_str()).collect();
    assert_eq!(ids, ["i-1", "i-2", "i-3", "i-4", "i-5"]);
    assert_eq!((all[0].name.as_deref(), all[0].status), (Some("n-i-1"), skyclust_types::VmStatus::Running));
    assert_eq!(all[0].launched_at.map(|at| at.to_rfc3339()).as_deref(), Some("2026-11-30T10:00:00+00:00"));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "one request per page");
    let first = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(
        first.contains("Filter.1.Name=instance-state-name"),
        "terminated instances are left out: {first}"
    );
    let capped = aws.list(&secrets(), "us-east-1", 3).await.unwrap();
    assert_eq!(capped.len(), 3, "no more than the limit");
    assert_eq!(server.received_requests().await.unwrap().len(), 5, "and no page after it");
}

#[tokio::test]
async fn a_credential_without_keys_is_an_auth_error() {
    let aws = Aws::new(Some("http://127.0.0.1:9".into()), Duration::from_secs(1));
    let instance = InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: "i-1".into(),
        request_id: uuid::Uuid::new_v4(),
    };
    assert!(matches!(aws.describe(&Secrets::default(), &instance).await, Err(ProviderError::Auth(_))));
}
