//! Discovery and adoption on the Compute Engine and Azure fakes: an instance made in the
//! console (not through SkyClust) is listed unmanaged, adopted with its label or tag set and
//! its others kept, refused a second time, and released running without it; a tag naming a
//! VM the database lacks is reported as drift.

use futures_util::TryStreamExt;
use serde_json::json;
use skyclust_sdk::types::instances::{DiscoveredInstance, InstanceListing};
use skyclust_sdk::types::{CreateCredentialRequest, ImportVmRequest, ListQuery, Provider, VmStatus};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_tests::fake_arm::FakeArm;
use skyclust_tests::fake_compute::FakeCompute;
use skyclust_tests::{TestServer, each_backend};
use uuid::Uuid;

use crate::register;
use crate::vms::{PATIENCE, workspace};

async fn credential(
    client: &SkyClustClient,
    provider: Provider,
    data: serde_json::Map<String, serde_json::Value>,
) -> Uuid {
    let request = CreateCredentialRequest { name: provider.as_str().into(), provider, data };
    client.credentials().create(&request).await.unwrap().id
}

async fn discovered(client: &SkyClustClient, credential: Uuid, region: &str) -> Vec<DiscoveredInstance> {
    let mut query = ListQuery::<InstanceListing>::default().limit(1);
    query.filters.region = vec![region.into()];
    client.credentials().instances(credential, query).try_collect().await.unwrap()
}

fn import(credential: Uuid, instance: &str, region: &str, workspace: Uuid) -> ImportVmRequest {
    ImportVmRequest {
        credential_id: credential,
        provider_instance_id: instance.into(),
        region: region.into(),
        workspace_id: workspace,
        name: None,
    }
}

#[tokio::test]
async fn compute_engine_instances_are_discovered_adopted_and_released() {
    use crate::gcp::{PROJECT, on};
    each_backend(|db| async move {
        let fake = FakeCompute::start().await;
        let server = TestServer::start(on(&fake, db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let key = credential(&ada, Provider::Gcp, fake.key_file(PROJECT)).await;
        let legacy = fake.add_instance(PROJECT, "us-central1-a", "legacy", json!({"team": "data"}));
        let other = fake.add_instance(PROJECT, "us-central1-b", "other", json!({}));
        fake.add_instance(PROJECT, "europe-west1-b", "far", json!({}));

        // Listed a page at a time from the region's zones only, as Compute Engine shows them.
        let seen = discovered(&ada, key, "us-central1").await;
        let ids: Vec<&str> = seen.iter().map(|instance| instance.instance_id.as_str()).collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(ids.contains(&legacy.as_str()) && ids.contains(&other.as_str()));
        let listed = seen.iter().find(|instance| instance.instance_id == legacy).unwrap();
        assert_eq!((listed.name.as_deref(), listed.instance_type.as_str()), (Some("legacy"), "e2-small"));
        assert_eq!(
            (listed.zone.as_deref(), listed.status, listed.provider_status.as_str()),
            (Some("us-central1-a"), VmStatus::Running, "RUNNING")
        );
        assert_eq!(
            listed.launched_at,
            Some(chrono::DateTime::parse_from_rfc3339("2026-11-30T09:02:03Z").unwrap().into())
        );
        assert_eq!((listed.tags.get("team").map(String::as_str), listed.managed), (Some("data"), false));
        assert!(listed.public_ip.is_some() && listed.private_ip.is_some());

        // Adopted: labelled (its other labels kept), refused a second time, managed.
        let vm = ada.vms().import(&import(key, &legacy, "us-central1", prod)).await.unwrap();
        assert_eq!(
            (vm.provider, vm.status, vm.zone.as_deref()),
            (Provider::Gcp, VmStatus::Running, Some("us-central1-a"))
        );
        assert_eq!(
            fake.labels(PROJECT, "us-central1-a", "legacy"),
            json!({"team": "data", "skyclust-vm-id": vm.id.to_string()})
        );
        let again = ada.vms().import(&import(key, &legacy, "us-central1", prod)).await.unwrap_err();
        assert_eq!(again.code(), Some(ErrorCode::Conflict));
        let wrong_region = ada.vms().import(&import(key, &other, "us-east1", prod)).await.unwrap_err();
        assert_eq!(wrong_region.code(), Some(ErrorCode::NotFound), "{wrong_region}");
        // A clone made from its machine image carries its label, naming a VM that manages
        // another instance: stale, so the clone can be adopted too.
        let clone = fake.add_instance(
            PROJECT,
            "us-central1-b",
            "clone",
            json!({"skyclust-vm-id": vm.id.to_string()}),
        );
        let cloned = ada.vms().import(&import(key, &clone, "us-central1", prod)).await.unwrap();
        assert_eq!(
            fake.labels(PROJECT, "us-central1-b", "clone"),
            json!({"skyclust-vm-id": cloned.id.to_string()})
        );
        ada.vms().stop(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
        assert_eq!(
            fake.instances(PROJECT).iter().find(|i| i["name"] == "legacy").unwrap()["status"],
            "TERMINATED"
        );
        ada.vms().start(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();

        // Released: running, its own labels back as they were.
        let released = crate::adoption::release(&ada, vm.id).await;
        assert_eq!(released.status, VmStatus::Terminated);
        assert_eq!(fake.labels(PROJECT, "us-central1-a", "legacy"), json!({"team": "data"}));
        assert_eq!(
            fake.instances(PROJECT).iter().find(|i| i["name"] == "legacy").unwrap()["status"],
            "RUNNING"
        );

        // Drift: a label naming a VM the database lacks.
        let forgotten = Uuid::new_v4();
        fake.add_instance(
            PROJECT,
            "us-central1-c",
            "orphan",
            json!({"skyclust-vm-id": forgotten.to_string()}),
        );
        assert_eq!(skyclust_server::vms::drift::report(&server.state).await.unwrap(), 1);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn azure_vms_are_discovered_adopted_and_released() {
    use crate::azure::{GROUP, SUBSCRIPTION, on};
    each_backend(|db| async move {
        let fake = FakeArm::start().await;
        let server = TestServer::start(on(&fake, db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let principal = credential(&ada, Provider::Azure, fake.service_principal(SUBSCRIPTION, GROUP)).await;
        let legacy = fake.add_vm(SUBSCRIPTION, GROUP, "legacy", "eastus", json!({"team": "data"}));
        fake.add_vm(SUBSCRIPTION, GROUP, "second", "eastus", json!({}));
        fake.add_vm(SUBSCRIPTION, GROUP, "far", "westeurope", json!({}));
        // Two to a page: discovery follows nextLink.
        fake.set_page_size(Some(2));

        let seen = discovered(&ada, principal, "eastus").await;
        assert_eq!(seen.len(), 2, "{seen:?}");
        let listed = seen.iter().find(|instance| instance.instance_id == legacy).unwrap();
        assert_eq!((listed.name.as_deref(), listed.instance_type.as_str()), (Some("legacy"), "Standard_B2s"));
        assert_eq!(
            (listed.status, listed.provider_status.as_str()),
            (VmStatus::Running, "PowerState/running")
        );
        assert_eq!((listed.zone.as_deref(), listed.managed), (Some("2"), false));
        assert_eq!(
            listed.launched_at,
            Some(chrono::DateTime::parse_from_rfc3339("2026-11-29T08:00:00Z").unwrap().into())
        );

        let vm = ada.vms().import(&import(principal, &legacy, "eastus", prod)).await.unwrap();
        assert_eq!(
            (vm.provider, vm.status, vm.instance_type.as_str()),
            (Provider::Azure, VmStatus::Running, "Standard_B2s")
        );
        assert_eq!(vm.image_id.as_deref(), Some("Canonical:ubuntu-24_04-lts:server:24.04.202611010"));
        let tags = fake.resource(&legacy).unwrap()["tags"].clone();
        assert_eq!(tags, json!({"team": "data", "skyclust-vm-id": vm.id.to_string()}));
        let again = ada.vms().import(&import(principal, &legacy, "eastus", prod)).await.unwrap_err();
        assert_eq!(again.code(), Some(ErrorCode::Conflict));
        ada.vms().stop(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
        ada.vms().start(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();

        crate::adoption::release(&ada, vm.id).await;
        assert_eq!(fake.resource(&legacy).unwrap()["tags"], json!({"team": "data"}));
        assert!(fake.resources().iter().any(|id| id == &legacy), "the VM is left where it is");

        let forgotten = Uuid::new_v4();
        fake.add_vm(
            SUBSCRIPTION,
            GROUP,
            "orphan",
            "eastus",
            json!({"skyclust-vm-id": forgotten.to_string()}),
        );
        assert_eq!(skyclust_server::vms::drift::report(&server.state).await.unwrap(), 1);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
