//! `azure` VMs through Azure Resource Manager, pointed with `SKYCLUST_AZURE_ENDPOINT_URL` and
//! `SKYCLUST_AZURE_AUTHORITY_URL` at the harness's stateful fake of ARM and Entra ID: the
//! whole lifecycle and what it leaves behind (nothing), requests refused before they reach
//! Azure, Azure's refusals, throttling and short-lived tokens, a create cut off by a crash,
//! changes made in the portal, and what an `azure` VM costs.

use std::sync::Arc;

use chrono::TimeZone;
use serde_json::{Map, Value, json};
use skyclust_sdk::types::costs::{CostAnalysisQuery, CostPeriod, CostService};
use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateVmRequest, MemberRole, Provider,
    UpdateCredentialRequest, VmStatus,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_server::Config;
use skyclust_server::clock::ManualClock;
use skyclust_server::providers::azure::DEFAULT_IMAGE;
use skyclust_tests::fake_arm::{Call, FakeArm, Fault};
use skyclust_tests::{Backend, TestDatabase, TestServer, each_backend};

use crate::register;
use crate::vms::{
    PATIENCE, fast, field, notification_titles, notified, reconciled, status_change, workspace,
};

mod refusals;

pub(crate) const SUBSCRIPTION: &str = "6f1c2d3e-4b5a-4978-8877-665544332211";
pub(crate) const GROUP: &str = "skyclust-test";
const SSH_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";

pub(crate) fn on(fake: &FakeArm, config: Config) -> Config {
    Config {
        azure_endpoint_url: Some(fake.endpoint()),
        azure_authority_url: Some(fake.endpoint()),
        ..fast(config)
    }
}

fn azure_vm(workspace: uuid::Uuid, name: &str) -> CreateVmRequest {
    CreateVmRequest {
        name: name.into(),
        provider: Provider::Azure,
        instance_type: "Standard_B1s".into(),
        region: "eastus".into(),
        zone: None,
        workspace_id: Some(workspace),
        image_id: None,
        key_pair: Some(SSH_KEY.into()),
        credential_id: None,
    }
}

async fn store_principal(
    client: &SkyClustClient,
    name: &str,
    data: Map<String, Value>,
) -> skyclust_sdk::types::Credential {
    client
        .credentials()
        .create(&CreateCredentialRequest { name: name.into(), provider: Provider::Azure, data })
        .await
        .unwrap()
}

fn group_path() -> String {
    format!("/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}")
}

/// What is left in the group besides the region's shared network and security group.
fn leftovers(fake: &FakeArm) -> Vec<String> {
    fake.resources()
        .into_iter()
        .filter(|id| !id.contains("/virtualNetworks/") && !id.contains("/networkSecurityGroups/"))
        .collect()
}

/// A server on SQLite calling a fresh fake Azure, with `ada` signed up, her workspace `prod`
/// and a service principal stored.
struct Lab {
    fake: FakeArm,
    db: TestDatabase,
    server: TestServer,
    ada: SkyClustClient,
    prod: uuid::Uuid,
}

impl Lab {
    async fn open(clock: Option<ManualClock>) -> Lab {
        let fake = FakeArm::start().await;
        let db = TestDatabase::create(Backend::Sqlite).await;
        let config = on(&fake, db.config());
        let server = match clock {
            Some(clock) => TestServer::start_with_clock(config, Arc::new(clock)).await,
            None => TestServer::start(config).await,
        };
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        store_principal(&ada, "azure", fake.service_principal(SUBSCRIPTION, GROUP)).await;
        Lab { fake, db, server, ada, prod }
    }

    async fn close(self) {
        self.server.stop().await;
        self.db.drop_now().await;
    }
}

#[tokio::test]
async fn an_azure_vm_runs_its_whole_lifecycle_and_leaves_nothing_behind() {
    each_backend(|db| async move {
        let fake = FakeArm::start().await;
        let server = TestServer::start(on(&fake, db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let bob = server.client();
        let bob_id = register(&bob, "bob").await.user.id;
        let prod = workspace(&ada, "prod").await;
        ada.workspaces()
            .add_member(prod, &AddMemberRequest::user(bob_id, Some(MemberRole::Viewer)))
            .await
            .unwrap();

        // azure is offered, with priced regions, their zones and the OS disk's price.
        let catalog = ada.providers().list().await.unwrap();
        let azure = catalog
            .providers
            .iter()
            .find(|offer| offer.provider == Provider::Azure)
            .expect("azure is enabled");
        assert_eq!(azure.services, [CostService::VirtualMachines, CostService::ManagedDisks]);
        let regions: Vec<&str> = azure.regions.iter().map(|region| region.region.as_str()).collect();
        assert_eq!(regions, ["eastus", "northeurope", "westeurope"]);
        let east = &azure.regions[0];
        assert_eq!(east.zones, ["1", "2", "3"]);
        let sizes: Vec<&str> = east.instance_types.iter().map(|price| price.instance_type.as_str()).collect();
        assert_eq!(sizes, ["Standard_B1s", "Standard_B2s", "Standard_D2s_v5", "Standard_D4s_v5"]);
        assert_eq!(east.instance_types[0].hourly_cost, 0.0104);
        let disk = east.storage.as_ref().unwrap();
        assert_eq!(
            (disk.volume_type.as_str(), disk.root_volume_gb, disk.gb_month_cost),
            ("StandardSSD_LRS (E4)", 32, 0.075)
        );

        // Without a credential nothing reaches Azure; the hint is the application id.
        assert_eq!(field(ada.vms().create(&azure_vm(prod, "web-1")).await.unwrap_err()), ["credential_id"]);
        let principal = fake.service_principal(SUBSCRIPTION, GROUP);
        let credential = store_principal(&ada, "azure", principal.clone()).await;
        assert_eq!(credential.hint, principal["client_id"].as_str().unwrap());
        let shown = serde_json::to_string(&ada.credentials().get(credential.id).await.unwrap()).unwrap();
        assert!(!shown.contains(principal["client_secret"].as_str().unwrap()));

        let mut bob_events = bob.events().subscribe().await.unwrap();
        let mut ada_events = ada.events().subscribe().await.unwrap();
        let vm = ada.vms().create(&azure_vm(prod, "Web 1")).await.unwrap();
        assert_eq!(vm.zone, None, "regional unless a zone is asked for");
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();

        // What Azure was asked to create, in the credential's subscription and group.
        let created = fake.vm_of(vm.id).expect("one VM tagged with the VM id");
        let name = created["name"].as_str().unwrap().to_owned();
        assert!(name.starts_with("web-1-"), "{name}");
        let vm_path = format!("{}/providers/Microsoft.Compute/virtualMachines/{name}", group_path());
        assert_eq!(
            running.instance_id.as_deref(),
            Some(vm_path.as_str()),
            "the full resource id is recorded"
        );
        assert_eq!(running.image_id.as_deref(), Some("Canonical:ubuntu-24_04-lts:server:24.04.202411030"));
        assert_eq!(created["tags"]["skyclust-workspace"], prod.to_string());
        let properties = &created["properties"];
        assert_eq!(properties["hardwareProfile"]["vmSize"], "Standard_B1s");
        let image = &properties["storageProfile"]["imageReference"];
        assert_eq!(
            format!(
                "{}:{}:{}:{}",
                image["publisher"].as_str().unwrap(),
                image["offer"].as_str().unwrap(),
                image["sku"].as_str().unwrap(),
                image["version"].as_str().unwrap()
            ),
            DEFAULT_IMAGE
        );
        let os_disk = &properties["storageProfile"]["osDisk"];
        assert_eq!(
            (os_disk["diskSizeGB"].clone(), os_disk["managedDisk"]["storageAccountType"].clone()),
            (json!(32), json!("StandardSSD_LRS"))
        );
        assert_eq!(properties["osProfile"]["adminUsername"], "azureuser");
        let ssh = &properties["osProfile"]["linuxConfiguration"];
        assert_eq!(ssh["disablePasswordAuthentication"], true);
        assert_eq!(
            ssh["ssh"]["publicKeys"][0],
            json!({"path": "/home/azureuser/.ssh/authorized_keys", "keyData": SSH_KEY})
        );
        let address = fake
            .resource(&format!("{}/providers/Microsoft.Network/publicIPAddresses/{name}-ip", group_path()))
            .unwrap();
        assert_eq!(
            (address["sku"]["name"].clone(), address["properties"]["publicIPAllocationMethod"].clone()),
            (json!("Standard"), json!("Static"))
        );
        assert_eq!(running.public_ip.as_deref(), address["properties"]["ipAddress"].as_str());
        let nic = fake
            .resource(&format!("{}/providers/Microsoft.Network/networkInterfaces/{name}-nic", group_path()))
            .unwrap();
        assert_eq!(
            running.private_ip.as_deref(),
            nic["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"].as_str()
        );
        assert_eq!(nic["tags"]["skyclust-vm-id"], vm.id.to_string());
        let vnet = format!("{}/providers/Microsoft.Network/virtualNetworks/skyclust-eastus", group_path());
        assert_eq!(
            fake.resource(&vnet).unwrap()["properties"]["addressSpace"]["addressPrefixes"],
            json!(["10.0.0.0/16"])
        );
        // The subnet is behind the region's security group, which lets SSH in and nothing else
        // (a Standard public address takes no inbound traffic unless a group allows it).
        let subnet = fake.resource(&format!("{vnet}/subnets/default")).unwrap();
        let guard =
            format!("{}/providers/Microsoft.Network/networkSecurityGroups/skyclust-eastus", group_path());
        assert_eq!(subnet["properties"]["networkSecurityGroup"]["id"], guard);
        let rules = &fake.resource(&guard).unwrap()["properties"]["securityRules"];
        assert_eq!(rules.as_array().unwrap().len(), 1);
        let ssh = &rules[0]["properties"];
        assert_eq!(
            (
                ssh["direction"].clone(),
                ssh["access"].clone(),
                ssh["protocol"].clone(),
                ssh["destinationPortRange"].clone()
            ),
            (json!("Inbound"), json!("Allow"), json!("Tcp"), json!("22"))
        );

        // A second VM of the region reuses its network.
        let second = ada.vms().create(&azure_vm(prod, "web-2")).await.unwrap();
        ada.vms().wait_until(second.id, VmStatus::Running, PATIENCE).await.unwrap();
        let vnet_puts = fake
            .requests()
            .iter()
            .filter(|line| line.starts_with("PUT") && line.ends_with("/virtualNetworks/skyclust-eastus"))
            .count();
        assert_eq!(vnet_puts, 1, "one network per region, created once");

        // Stop deallocates (its operation tracked by Location), then start, restart, delete.
        assert_eq!(ada.vms().stop(vm.id).await.unwrap().status, VmStatus::Stopping);
        let stopped = ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
        assert_eq!(stopped.public_ip, running.public_ip, "the static address stays");
        assert!(fake.requests().iter().any(|line| line == &format!("POST {vm_path}/deallocate")));
        ada.vms().start(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        ada.vms().reboot(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        assert!(fake.requests().iter().any(|line| line == &format!("POST {vm_path}/restart")));
        for id in [vm.id, second.id] {
            ada.vms().delete(id).await.unwrap();
            ada.vms().wait_until(id, VmStatus::Terminated, PATIENCE).await.unwrap();
        }
        assert_eq!(
            leftovers(&fake),
            Vec::<String>::new(),
            "VMs, interfaces, addresses and disks all deleted"
        );
        assert_eq!(
            fake.resources().len(),
            3,
            "the region's network, subnet and security group stay for its next VM"
        );

        use VmStatus::*;
        let expected = [
            Starting,
            Running,
            Stopping,
            Stopped,
            Starting,
            Running,
            Starting,
            Running,
            Terminating,
            Terminated,
        ];
        let mut heard = Vec::new();
        while heard.len() < expected.len() {
            heard.push(status_change(&mut bob_events, vm.id).await);
        }
        assert_eq!(heard, expected, "members hear every change");
        notified(&mut ada_events, "VM terminated").await;
        assert!(notification_titles(&ada).await.iter().filter(|title| *title == "VM running").count() >= 3);
        assert_eq!(fake.token_grants(), 1, "one token, cached for every call");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

/// The resources made for the VM named `name`.
fn vm_resources(fake: &FakeArm, name: &str) -> Vec<String> {
    fake.resources()
        .into_iter()
        .filter(|id| id.rsplit('/').next().is_some_and(|last| last.starts_with(name)))
        .collect()
}

#[tokio::test]
async fn a_create_cut_off_between_interface_and_vm_resumes_with_one_interface() {
    each_backend(|db| async move {
        let fake = FakeArm::start().await;
        // The VM's PUT never arrives: the server is stopped while it waits for the answer.
        fake.hold_next(Call::PutVm);
        let first = TestServer::start(on(&fake, db.config())).await;
        let ada = first.client();
        let session = register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        store_principal(&ada, "azure", fake.service_principal(SUBSCRIPTION, GROUP)).await;
        let vm = ada.vms().create(&azure_vm(prod, "survivor")).await.unwrap();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        while !fake
            .requests()
            .iter()
            .any(|line| line.starts_with("PUT") && line.contains("/virtualMachines/survivor-"))
        {
            assert!(tokio::time::Instant::now() < deadline, "the VM was never asked for");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        first.stop().await;
        let nic = |fake: &FakeArm| {
            fake.resources().into_iter().filter(|id| id.contains("/networkInterfaces/")).collect::<Vec<_>>()
        };
        assert_eq!(nic(&fake).len(), 1);
        assert!(fake.vm_of(vm.id).is_none());

        // The lease of the stopped server's worker runs out (as it would a minute later)…
        let pool = skyclust_server::storage::Database::open(&db.url, 1).await.unwrap();
        sqlx::query("UPDATE vm_operations SET locked_until = '2000-01-01T00:00:00.000000Z'")
            .execute(pool.pool())
            .await
            .unwrap();
        // … and another server takes the create over from where it stopped.
        let second = TestServer::start(on(&fake, db.config())).await;
        let client = second.client();
        client.set_token(Some(session.token));
        client.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        assert_eq!(nic(&fake).len(), 1, "the interface was PUT again, not made twice");
        let interface_puts = fake
            .requests()
            .iter()
            .filter(|line| line.starts_with("PUT") && line.contains("/networkInterfaces/survivor-"))
            .count();
        assert_eq!(interface_puts, 2);
        assert!(fake.vm_of(vm.id).is_some());
        second.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn the_reconciler_follows_changes_made_in_the_azure_portal() {
    each_backend(|db| async move {
        let fake = FakeArm::start().await;
        let server = TestServer::start(on(&fake, db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let credential = store_principal(&ada, "azure", fake.service_principal(SUBSCRIPTION, GROUP)).await;
        let vm = ada.vms().create(&azure_vm(prod, "web")).await.unwrap();
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        let recorded = running.instance_id.unwrap();

        fake.set_power(&recorded, "deallocated");
        reconciled(&server, &ada, vm.id, VmStatus::Stopped).await;
        fake.set_power(&recorded, "running");
        reconciled(&server, &ada, vm.id, VmStatus::Running).await;

        // An unknown power state: the VM keeps its status and says why; then it clears.
        fake.set_power(&recorded, "unknown");
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        let unknown = ada.vms().get(vm.id).await.unwrap();
        assert_eq!(unknown.status, VmStatus::Running);
        assert!(unknown.status_reason.unwrap_or_default().contains("PowerState/unknown"));
        fake.set_power(&recorded, "running");
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status_reason, None);

        // The credential is given another group: the VM stays where it was made.
        let moved = UpdateCredentialRequest {
            data: Some(fake.service_principal(SUBSCRIPTION, "elsewhere")),
            ..Default::default()
        };
        ada.credentials().update(credential.id, &moved).await.unwrap();
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status, VmStatus::Running);

        fake.remove(&recorded);
        let gone = reconciled(&server, &ada, vm.id, VmStatus::Terminated).await;
        assert_eq!(gone.status_reason.as_deref(), Some("the instance no longer exists at the provider"));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn short_lived_tokens_are_renewed_before_they_expire() {
    let Lab { fake, db, server, ada, prod } = Lab::open(None).await;
    // A deployment whose tokens live two seconds: renewed half-way, never used expired.
    fake.set_token_lifetime(2);
    let vm = ada.vms().create(&azure_vm(prod, "brief")).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    ada.vms().stop(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
    assert!(fake.early_renewals() >= 1, "a new token was taken while the old one was still valid");
    assert_eq!(fake.expired_token_uses(), 0);

    // Tokens revoked (a secret reset in the portal, say): the refused one is replaced once,
    // and the request goes through.
    fake.set_token_lifetime(3599);
    ada.vms().start(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    let before = fake.token_grants();
    fake.revoke_tokens();
    ada.vms().stop(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
    assert_eq!(fake.token_grants(), before + 1);
    Lab { fake, db, server, ada, prod }.close().await;
}

#[tokio::test]
async fn an_azure_vm_is_priced_as_virtual_machines_and_managed_disks() {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 3, 1, 0, 0, 0).unwrap());
    let Lab { fake, db, server, ada, prod } = Lab::open(Some(clock.clone())).await;
    let request = CreateVmRequest { instance_type: "Standard_D2s_v5".into(), ..azure_vm(prod, "priced") };
    let vm = ada.vms().create(&request).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    clock.advance(chrono::Duration::hours(100));

    // 100 h × $0.096 = $9.60; 32 GB × $0.075 per GB-month × 100/730 month = $0.328767.
    let (total, services) = crate::vms::week_of(&ada, Provider::Azure).await;
    assert_eq!(total, 9.93);
    assert_eq!(services, [(CostService::VirtualMachines, 9.6), (CostService::ManagedDisks, 0.33)]);

    // Deallocated, it costs its disk only: 100 h more add $0.328767.
    ada.vms().stop(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
    clock.advance(chrono::Duration::hours(100));
    let month = CostAnalysisQuery {
        period: Some(CostPeriod::Month),
        provider: Some(Provider::Azure),
        ..Default::default()
    };
    let costs = ada.cost_analysis().get(&month).await.unwrap();
    assert_eq!(costs.total_cost, 10.26);
    Lab { fake, db, server, ada, prod }.close().await;
}
