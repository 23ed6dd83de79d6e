//! The AWS driver against moto's EC2 (skipped when moto is not running).

use super::*;

/// The AWS driver against an EC2-compatible server (moto, which `scripts/test.sh` starts and
/// names in `SKYCLUST_TEST_MOTO_URL`): the VM's stored credential signs every call and the
/// instance on the cloud follows the VM. The server finds moto the way every AWS SDK would,
/// through `AWS_ENDPOINT_URL_EC2` (which `scripts/test.sh` sets too).
#[tokio::test]
async fn an_aws_vm_runs_its_lifecycle_on_ec2() {
    let Ok(moto) = std::env::var(MOTO_ENV) else {
        eprintln!("{MOTO_ENV} not set: skipping the AWS driver against moto");
        return;
    };
    assert_eq!(
        std::env::var("AWS_ENDPOINT_URL_EC2").ok().as_deref(),
        Some(moto.as_str()),
        "run with AWS_ENDPOINT_URL_EC2={moto} (scripts/test.sh sets it)"
    );
    let db = TestDatabase::create(Backend::Sqlite).await;
    let config = fast(db.config());
    assert_eq!(config.aws_endpoint_url, None, "the SDK's own endpoint resolution is what is tested");
    let server = TestServer::start(config).await;
    let ada = server.client();
    register(&ada, "ada").await;
    let prod = workspace(&ada, "prod").await;
    let aws_vm = |name: &str| CreateVmRequest {
        provider: Provider::Aws,
        instance_type: "t3.micro".into(),
        image_id: Some(MOTO_UBUNTU_AMI.into()),
        ..sandbox_vm(prod, name)
    };

    // Without a credential nothing reaches EC2.
    assert_eq!(field(ada.vms().create(&aws_vm("web-1")).await.unwrap_err()), ["credential_id"]);
    let credential = aws_credential(&ada).await;
    let unknown_type = CreateVmRequest { instance_type: "nope.huge".into(), ..aws_vm("web-1") };
    assert_eq!(field(ada.vms().create(&unknown_type).await.unwrap_err()), ["instance_type"]);
    let nowhere = CreateVmRequest { region: "moon-1".into(), ..aws_vm("web-1") };
    assert_eq!(field(ada.vms().create(&nowhere).await.unwrap_err()), ["region"]);
    let other_region = CreateVmRequest { zone: Some("eu-west-1a".into()), ..aws_vm("web-1") };
    assert_eq!(field(ada.vms().create(&other_region).await.unwrap_err()), ["zone"]);

    let vm = ada.vms().create(&aws_vm("web-1")).await.unwrap();
    assert_eq!(vm.credential_id, Some(credential.id));
    assert_eq!(vm.zone, None, "EC2 chooses the availability zone");
    let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    let ec2 = ec2(&moto).await;
    let instance = tagged_instance(&ec2, vm.id).await;
    let placed = instance.placement().and_then(|placement| placement.availability_zone());
    assert!(placed.is_some_and(|zone| zone.starts_with("us-east-1")));
    assert_eq!(running.zone.as_deref(), placed, "and the VM records its choice");
    assert_eq!(running.instance_id.as_deref(), instance.instance_id());
    assert_eq!(running.private_ip.as_deref(), instance.private_ip_address());
    assert_eq!(ec2_state(&instance), "running");
    assert_eq!(instance.image_id(), Some(MOTO_UBUNTU_AMI));
    assert_eq!(instance.instance_type().map(|t| t.as_str()), Some("t3.micro"));
    assert!(instance.tags().iter().any(|tag| tag.key() == Some("Name") && tag.value() == Some("web-1")));

    ada.vms().stop(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
    assert_eq!(ec2_state(&tagged_instance(&ec2, vm.id).await), "stopped");
    ada.vms().start(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    // Stopped on EC2 directly, the VM shows it once reconciled.
    ec2.stop_instances().instance_ids(instance.instance_id().unwrap()).send().await.unwrap();
    reconciled(&server, &ada, vm.id, VmStatus::Stopped).await;
    ada.vms().start(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!(ec2_state(&tagged_instance(&ec2, vm.id).await), "running");
    ada.vms().delete(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();
    assert_eq!(ec2_state(&tagged_instance(&ec2, vm.id).await), "terminated");

    // An availability zone asked for is where EC2 places the instance.
    let placed = ada
        .vms()
        .create(&CreateVmRequest { zone: Some("us-east-1b".into()), ..aws_vm("web-b") })
        .await
        .unwrap();
    assert_eq!(placed.zone.as_deref(), Some("us-east-1b"));
    ada.vms().wait_until(placed.id, VmStatus::Running, PATIENCE).await.unwrap();
    let instance = tagged_instance(&ec2, placed.id).await;
    assert_eq!(instance.placement().and_then(|placement| placement.availability_zone()), Some("us-east-1b"));

    // Without an image: the newest Amazon Linux 2023 for the type's architecture, recorded.
    let arm = CreateVmRequest { image_id: None, instance_type: "t4g.micro".into(), ..aws_vm("arm-1") };
    let imageless = ada.vms().create(&arm).await.unwrap();
    assert_eq!(imageless.image_id, None, "not known before EC2 is asked");
    let running = ada.vms().wait_until(imageless.id, VmStatus::Running, PATIENCE).await.unwrap();
    let image = running.image_id.expect("the image EC2 used is recorded");
    assert_eq!(tagged_instance(&ec2, imageless.id).await.image_id(), Some(image.as_str()));
    let described = ec2.describe_images().image_ids(&image).send().await.unwrap();
    let name = described.images()[0].name().unwrap_or_default();
    assert!(name.starts_with("al2023-ami-2023.") && name.ends_with("-arm64"), "{name}");

    // EC2's refusal becomes the VM's error, with EC2's reason and never the credential's secret.
    let missing_image = CreateVmRequest { image_id: Some("ami-0000dead".into()), ..aws_vm("web-2") };
    let vm = ada.vms().create(&missing_image).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    let reason = failed.status_reason.unwrap_or_default();
    assert!(reason.contains("InvalidAMIID.NotFound"), "{reason}");
    assert!(!reason.contains("wJalrXUtnFEMI"));
    server.stop().await;
    db.drop_now().await;
}
