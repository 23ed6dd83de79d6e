//! Adoption on moto's EC2: an instance started outside SkyClust is discovered, adopted, tagged
//! and released (skipped when moto is not running).

use super::*;

/// One instance as moto's EC2 reports it now.
async fn on_ec2(ec2: &aws_sdk_ec2::Client, id: &str) -> aws_sdk_ec2::types::Instance {
    let output = ec2.describe_instances().instance_ids(id).send().await.unwrap();
    output.reservations()[0].instances()[0].clone()
}

fn tag<'a>(instance: &'a aws_sdk_ec2::types::Instance, key: &str) -> Option<&'a str> {
    instance.tags().iter().find(|tag| tag.key() == Some(key)).and_then(|tag| tag.value())
}

/// The AWS driver on moto: an instance started through the EC2 API itself is discovered
/// unmanaged, adopted (tagged at EC2), stopped through SkyClust, refused a second adoption,
/// and released running and untagged.
#[tokio::test]
async fn ec2_instances_started_elsewhere_are_adopted_and_released() {
    use crate::vms::{MOTO_ENV, MOTO_UBUNTU_AMI, ec2, ec2_state};
    let Ok(moto) = std::env::var(MOTO_ENV) else {
        eprintln!("{MOTO_ENV} not set: skipping discovery against moto");
        return;
    };
    let db = skyclust_tests::TestDatabase::create(skyclust_tests::Backend::Sqlite).await;
    let server = TestServer::start(fast(db.config())).await;
    let ada = server.client();
    register(&ada, "ada").await;
    let prod = workspace(&ada, "prod").await;
    let credential = crate::vms::aws_credential(&ada).await.id;

    // Started with the EC2 API, not through SkyClust.
    let ec2 = ec2(&moto).await;
    let name = aws_sdk_ec2::types::Tag::builder().key("Name").value("legacy-api").build();
    let tags = aws_sdk_ec2::types::TagSpecification::builder()
        .resource_type(aws_sdk_ec2::types::ResourceType::Instance)
        .tags(name)
        .build();
    let launched = ec2
        .run_instances()
        .image_id(MOTO_UBUNTU_AMI)
        .instance_type(aws_sdk_ec2::types::InstanceType::T3Small)
        .min_count(1)
        .max_count(1)
        .tag_specifications(tags)
        .send()
        .await
        .unwrap();
    let id = launched.instances()[0].instance_id().unwrap().to_owned();

    // Discovered in the credential's region, unmanaged, as EC2 describes it.
    let mut query = ListQuery::<InstanceListing>::default();
    query.filters.managed = Some(false);
    let seen: Vec<DiscoveredInstance> =
        ada.credentials().instances(credential, query).try_collect().await.unwrap();
    let listed = find(&seen, &id).expect("the instance started outside SkyClust is listed");
    assert_eq!((listed.name.as_deref(), listed.instance_type.as_str()), (Some("legacy-api"), "t3.small"));
    assert_eq!(
        (listed.region.as_str(), listed.status, listed.managed),
        ("us-east-1", VmStatus::Running, false)
    );
    assert!(listed.launched_at.is_some() && listed.private_ip.is_some() && listed.zone.is_some());

    // Adopted: tagged at EC2, managed from now on; a second adoption is refused.
    let vm = ada.vms().import(&import(credential, &id, prod)).await.unwrap();
    assert_eq!((vm.name.as_str(), vm.status, vm.provider), ("legacy-api", VmStatus::Running, Provider::Aws));
    assert_eq!(vm.image_id.as_deref(), Some(MOTO_UBUNTU_AMI));
    assert_eq!(tag(&on_ec2(&ec2, &id).await, "skyclust-vm-id"), Some(vm.id.to_string().as_str()));
    let again = ada.vms().import(&import(credential, &id, prod)).await.unwrap_err();
    assert_eq!(again.code(), Some(ErrorCode::Conflict));
    let missing = ada.vms().import(&import(credential, "i-0000000000000dead", prod)).await.unwrap_err();
    assert_eq!(missing.code(), Some(ErrorCode::NotFound));

    // Stopped through SkyClust: EC2 stops it.
    ada.vms().stop(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
    assert_eq!(ec2_state(&on_ec2(&ec2, &id).await), "stopped");
    ada.vms().start(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();

    // Released: it runs on at EC2, without the tag, and shows as unmanaged again.
    let released = release(&ada, vm.id).await;
    assert_eq!(released.status, VmStatus::Terminated);
    let left = on_ec2(&ec2, &id).await;
    assert_eq!((ec2_state(&left), tag(&left, "skyclust-vm-id")), ("running", None));
    assert_eq!(tag(&left, "Name"), Some("legacy-api"), "other tags stay");
    let mut query = ListQuery::<InstanceListing>::default();
    query.filters.region = vec!["us-east-1".into()];
    let seen: Vec<DiscoveredInstance> =
        ada.credentials().instances(credential, query).try_collect().await.unwrap();
    assert!(!find(&seen, &id).unwrap().managed);
    ec2.terminate_instances().instance_ids(&id).send().await.unwrap();
    server.stop().await;
    db.drop_now().await;
}
