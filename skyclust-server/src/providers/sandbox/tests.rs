use std::sync::Arc;

use chrono::TimeZone;
use skyclust_types::events::VmStatus;

use super::*;
use crate::clock::ManualClock;

async fn sandbox() -> (Sandbox, ManualClock) {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap());
    let db = Database::open("sqlite::memory:", 1).await.unwrap();
    let timing = SandboxTiming::from_base(Duration::from_secs(10));
    (Sandbox::new(db, Arc::new(clock.clone()), timing), clock)
}

fn spec(instance_type: &str) -> InstanceSpec {
    InstanceSpec {
        vm_id: Uuid::new_v4(),
        workspace_id: Uuid::new_v4(),
        request_id: Uuid::new_v4(),
        name: "web".into(),
        instance_type: instance_type.into(),
        region: "us-east-1".into(),
        zone: Some("us-east-1a".into()),
        image_id: None,
        key_pair: None,
    }
}

#[tokio::test]
async fn instances_boot_stop_start_and_terminate_on_the_clock() {
    let (sandbox, clock) = sandbox().await;
    let secrets = Secrets::default();
    let created = sandbox.create(&secrets, &spec("t3.micro")).await.unwrap();
    assert_eq!(created.status, VmStatus::Starting);
    assert!(created.instance_id.starts_with("i-") && created.public_ip.is_none());
    let instance = InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: created.instance_id.clone(),
        request_id: Uuid::new_v4(),
    };

    clock.advance(chrono::Duration::seconds(9));
    assert_eq!(sandbox.describe(&secrets, &instance).await.unwrap().status, VmStatus::Starting);
    clock.advance(chrono::Duration::seconds(1));
    let running = sandbox.describe(&secrets, &instance).await.unwrap();
    assert_eq!(running.status, VmStatus::Running);
    assert!(running.public_ip.as_deref().is_some_and(|ip| ip.starts_with("203.0.113.")));
    assert_eq!(running.private_ip, created.private_ip, "addresses are stable");

    assert_eq!(sandbox.change(&secrets, &instance, Change::Reboot).await.unwrap().status, VmStatus::Running);
    assert_eq!(sandbox.change(&secrets, &instance, Change::Stop).await.unwrap().status, VmStatus::Stopping);
    // Asked again (a server restarted mid-operation repeats its call), it answers as it is.
    assert_eq!(sandbox.change(&secrets, &instance, Change::Stop).await.unwrap().status, VmStatus::Stopping);
    clock.advance(chrono::Duration::seconds(5));
    let stopped = sandbox.describe(&secrets, &instance).await.unwrap();
    assert_eq!((stopped.status, stopped.public_ip), (VmStatus::Stopped, None));
    let refused = sandbox.change(&secrets, &instance, Change::Reboot).await.unwrap_err();
    assert!(matches!(refused, ProviderError::InvalidRequest(_)));
    assert_eq!(sandbox.change(&secrets, &instance, Change::Stop).await.unwrap().status, VmStatus::Stopped);
    assert_eq!(sandbox.change(&secrets, &instance, Change::Start).await.unwrap().status, VmStatus::Starting);
    assert_eq!(sandbox.change(&secrets, &instance, Change::Start).await.unwrap().status, VmStatus::Starting);
    assert_eq!(sandbox.terminate(&secrets, &instance).await.unwrap().status, VmStatus::Terminating);
    assert_eq!(sandbox.terminate(&secrets, &instance).await.unwrap().status, VmStatus::Terminating);
    clock.advance(chrono::Duration::seconds(5));
    assert_eq!(sandbox.describe(&secrets, &instance).await.unwrap().status, VmStatus::Terminated);
    assert_eq!(sandbox.terminate(&secrets, &instance).await.unwrap().status, VmStatus::Terminated);
    assert!(sandbox.change(&secrets, &instance, Change::Start).await.is_err());
    let missing = InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: "i-missing".into(),
        request_id: Uuid::new_v4(),
    };
    assert!(matches!(sandbox.describe(&secrets, &missing).await, Err(ProviderError::NotFound(_))));
}

#[tokio::test]
async fn bad_requests_and_injected_failures_are_classified() {
    let (sandbox, _) = sandbox().await;
    let secrets = Secrets::default();
    assert!(matches!(
        sandbox.create(&secrets, &spec("z9.huge")).await,
        Err(ProviderError::InvalidRequest(_))
    ));
    let mut moon = spec("t3.micro");
    moon.region = "moon".into();
    assert!(matches!(sandbox.create(&secrets, &moon).await, Err(ProviderError::InvalidRequest(_))));

    sandbox.inject(Call::Create, ProviderError::Quota("instance limit reached".into()));
    let error = sandbox.create(&secrets, &spec("t3.micro")).await.unwrap_err();
    assert_eq!(error, ProviderError::Quota("instance limit reached".into()));
    assert!(!error.is_retryable());
    sandbox.inject(Call::Describe, ProviderError::Retryable("throttled".into()));
    let created = sandbox.create(&secrets, &spec("m6i.large")).await.expect("the fault was used up");
    let instance = InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: created.instance_id,
        request_id: Uuid::new_v4(),
    };
    assert!(sandbox.describe(&secrets, &instance).await.unwrap_err().is_retryable());
    assert!(sandbox.describe(&secrets, &instance).await.is_ok());
    assert!(Sandbox::offers("c6i.2xlarge") && !Sandbox::offers("c6i") && !Sandbox::offers("p4d.24xlarge"));
}

#[tokio::test]
async fn instances_survive_a_new_driver_on_the_same_database() {
    let (sandbox, clock) = sandbox().await;
    let created = sandbox.create(&Secrets::default(), &spec("t3.small")).await.unwrap();
    let again = Sandbox::new(sandbox.db.clone(), Arc::new(clock.clone()), sandbox.timing);
    clock.advance(chrono::Duration::seconds(10));
    let instance = InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: created.instance_id,
        request_id: Uuid::new_v4(),
    };
    assert_eq!(again.describe(&Secrets::default(), &instance).await.unwrap().status, VmStatus::Running);
}
