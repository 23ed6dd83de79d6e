//! `gcp` VMs through Google's Compute Engine client, pointed with `SKYCLUST_GCP_ENDPOINT_URL`
//! at the harness's stateful fake of the Compute REST API: the whole lifecycle with events and
//! notifications, requests refused before they reach Google, Google's refusals and outages,
//! changes made behind SkyClust's back, and what a `gcp` VM costs.

use std::sync::Arc;

use chrono::TimeZone;
use serde_json::{Map, Value, json};
use skyclust_sdk::types::costs::CostService;
use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateVmRequest, ListQuery, MemberRole, Provider,
    UpdateCredentialRequest, VmStatus,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_server::Config;
use skyclust_server::clock::ManualClock;
use skyclust_server::providers::gcp::DEFAULT_IMAGE;
use skyclust_tests::fake_compute::{Call, FakeCompute, Fault};
use skyclust_tests::{Backend, TestDatabase, TestServer, each_backend};

use crate::register;
use crate::vms::{
    PATIENCE, fast, field, notification_titles, notified, reconciled, status_change, workspace,
};

pub(crate) const PROJECT: &str = "skyclust-test";
const SSH_KEY: &str =
    "ada:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";

pub(crate) fn on(fake: &FakeCompute, config: Config) -> Config {
    Config { gcp_endpoint_url: Some(fake.endpoint()), ..fast(config) }
}

fn gcp_vm(workspace: uuid::Uuid, name: &str) -> CreateVmRequest {
    CreateVmRequest {
        name: name.into(),
        provider: Provider::Gcp,
        instance_type: "e2-micro".into(),
        region: "us-central1".into(),
        zone: None,
        workspace_id: Some(workspace),
        image_id: None,
        key_pair: None,
        credential_id: None,
    }
}

async fn store_key(
    client: &SkyClustClient,
    name: &str,
    data: Map<String, Value>,
) -> skyclust_sdk::types::Credential {
    client
        .credentials()
        .create(&CreateCredentialRequest { name: name.into(), provider: Provider::Gcp, data })
        .await
        .unwrap()
}

/// A server on SQLite calling a fresh fake Compute Engine, with `ada` signed up and her
/// workspace `prod`.
struct Lab {
    fake: FakeCompute,
    db: TestDatabase,
    server: TestServer,
    ada: SkyClustClient,
    prod: uuid::Uuid,
}

impl Lab {
    async fn open(clock: Option<ManualClock>) -> Lab {
        let fake = FakeCompute::start().await;
        let db = TestDatabase::create(Backend::Sqlite).await;
        let config = on(&fake, db.config());
        let server = match clock {
            Some(clock) => TestServer::start_with_clock(config, Arc::new(clock)).await,
            None => TestServer::start(config).await,
        };
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        Lab { fake, db, server, ada, prod }
    }
}

fn gce_status(instance: &Value) -> &str {
    instance["status"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_gcp_vm_runs_its_whole_lifecycle_on_compute_engine() {
    each_backend(|db| async move {
        let fake = FakeCompute::start().await;
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

        // gcp is offered, with priced regions, their zones and the boot disk's price.
        let catalog = ada.providers().list().await.unwrap();
        let gcp =
            catalog.providers.iter().find(|offer| offer.provider == Provider::Gcp).expect("gcp is enabled");
        assert_eq!(gcp.services, [CostService::ComputeEngine, CostService::PersistentDisk]);
        assert!(gcp.regions.len() >= 3);
        let central = gcp.regions.iter().find(|region| region.region == "us-central1").unwrap();
        assert_eq!(central.zones.first().map(String::as_str), Some("us-central1-a"));
        let micro = central.instance_types.iter().find(|price| price.instance_type == "e2-micro").unwrap();
        assert_eq!(micro.hourly_cost, 0.008376);
        let disk = central.storage.as_ref().unwrap();
        assert_eq!((disk.volume_type.as_str(), disk.root_volume_gb), ("pd-balanced", 10));

        // Without a credential nothing reaches Google.
        assert_eq!(field(ada.vms().create(&gcp_vm(prod, "web-1")).await.unwrap_err()), ["credential_id"]);
        let key = fake.key_file(PROJECT);
        let credential = store_key(&ada, "gcp", key.clone()).await;
        assert_eq!(credential.hint, key["client_email"].as_str().unwrap(), "the hint is the service account");
        let shown = serde_json::to_string(&ada.credentials().get(credential.id).await.unwrap()).unwrap();
        assert!(!shown.contains("PRIVATE KEY") && !shown.contains(key["private_key_id"].as_str().unwrap()));

        let mut bob_events = bob.events().subscribe().await.unwrap();
        let mut ada_events = ada.events().subscribe().await.unwrap();
        let vm = ada
            .vms()
            .create(&CreateVmRequest { key_pair: Some(SSH_KEY.into()), ..gcp_vm(prod, "Web 1") })
            .await
            .unwrap();
        assert_eq!(vm.zone.as_deref(), Some("us-central1-a"), "the region's first zone, recorded");
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();

        // What Google was asked to create.
        let instance = fake.instance_of(PROJECT, vm.id).expect("one instance labelled with the VM id");
        let name = instance["name"].as_str().unwrap();
        assert!(name.starts_with("web-1-"));
        let recorded = format!("projects/{PROJECT}/zones/us-central1-a/instances/{name}");
        assert_eq!(running.instance_id.as_deref(), Some(recorded.as_str()), "the project stays with the VM");
        assert_eq!(gce_status(&instance), "RUNNING");
        assert_eq!(instance["labels"]["skyclust-workspace"], prod.to_string());
        assert!(
            instance["machineType"].as_str().unwrap().ends_with("/zones/us-central1-a/machineTypes/e2-micro")
        );
        let boot = &instance["disks"][0];
        assert_eq!((boot["boot"].clone(), boot["autoDelete"].clone()), (json!(true), json!(true)));
        assert_eq!(boot["initializeParams"]["sourceImage"], DEFAULT_IMAGE);
        assert_eq!(boot["initializeParams"]["diskSizeGb"].to_string().trim_matches('"'), "10");
        assert!(boot["initializeParams"]["diskType"].as_str().unwrap().ends_with("diskTypes/pd-balanced"));
        assert_eq!(instance["metadata"]["items"], json!([{"key": "ssh-keys", "value": SSH_KEY}]));
        let nic = &instance["networkInterfaces"][0];
        assert_eq!(nic["network"], "global/networks/default");
        assert_eq!(nic["accessConfigs"][0]["type"], "ONE_TO_ONE_NAT");
        assert_eq!(running.public_ip.as_deref(), nic["accessConfigs"][0]["natIP"].as_str());
        assert_eq!(running.private_ip.as_deref(), nic["networkIP"].as_str());

        assert_eq!(ada.vms().stop(vm.id).await.unwrap().status, VmStatus::Stopping);
        let stopped = ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
        assert_eq!(stopped.public_ip, None, "the ephemeral address went with the stop");
        assert_eq!(gce_status(&fake.instance_of(PROJECT, vm.id).unwrap()), "TERMINATED");
        ada.vms().start(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        ada.vms().reboot(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        assert!(fake.requests().iter().any(|line| line.ends_with(&format!("/instances/{name}/reset"))));
        ada.vms().delete(vm.id).await.unwrap();
        let terminated = ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();
        assert_eq!(terminated.zone.as_deref(), Some("us-central1-a"));
        assert!(fake.instance_of(PROJECT, vm.id).is_none(), "the instance is deleted");

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
        let titles = notification_titles(&ada).await;
        assert_eq!(titles[titles.len() - 4..], ["VM running", "VM running", "VM running", "VM terminated"]);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn gcp_requests_google_would_refuse_are_refused_first() {
    let Lab { fake, db, server, ada, prod } = Lab::open(None).await;

    // A key file that is not one is a 400 naming the field, and never quotes the key.
    let mut broken = fake.key_file(PROJECT);
    broken.insert(
        "private_key".into(),
        json!("-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n-----END PRIVATE KEY-----\n"),
    );
    let request =
        CreateCredentialRequest { name: "gcp".into(), provider: Provider::Gcp, data: broken.clone() };
    let error = ada.credentials().create(&request).await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::ValidationError));
    assert!(!error.to_string().contains("c2VjcmV0LWJ5dGVz"), "{error}");
    assert_eq!(field(error), ["data.private_key"]);
    let mut nameless = fake.key_file(PROJECT);
    nameless.remove("private_key_id");
    let request = CreateCredentialRequest { name: "gcp".into(), provider: Provider::Gcp, data: nameless };
    assert_eq!(field(ada.credentials().create(&request).await.unwrap_err()), ["data.private_key_id"]);
    let credential = store_key(&ada, "gcp", fake.key_file(PROJECT)).await;
    let update = UpdateCredentialRequest { data: Some(broken), ..Default::default() };
    assert_eq!(
        field(ada.credentials().update(credential.id, &update).await.unwrap_err()),
        ["data.private_key"]
    );

    let refused = [
        (CreateVmRequest { region: "us-east-1".into(), ..gcp_vm(prod, "x") }, "region"),
        (CreateVmRequest { zone: Some("us-central1-z".into()), ..gcp_vm(prod, "x") }, "zone"),
        (CreateVmRequest { zone: Some("us-east1-b".into()), ..gcp_vm(prod, "x") }, "zone"),
        (CreateVmRequest { instance_type: "t3.micro".into(), ..gcp_vm(prod, "x") }, "instance_type"),
        (CreateVmRequest { image_id: Some("ami-12345678".into()), ..gcp_vm(prod, "x") }, "image_id"),
        (CreateVmRequest { key_pair: Some("my-key-pair".into()), ..gcp_vm(prod, "x") }, "key_pair"),
    ];
    for (request, named) in refused {
        assert_eq!(field(ada.vms().create(&request).await.unwrap_err()), [named], "{request:?}");
    }
    assert!(fake.requests().is_empty(), "nothing reached Google: {:?}", fake.requests());

    // A zone and an image of one's choosing are used as given.
    let chosen = CreateVmRequest {
        zone: Some("us-central1-f".into()),
        image_id: Some("projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64".into()),
        ..gcp_vm(prod, "chosen")
    };
    let vm = ada.vms().create(&chosen).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    let instance = fake.instance_of(PROJECT, vm.id).unwrap();
    assert!(instance["zone"].as_str().unwrap().ends_with("/zones/us-central1-f"));
    assert_eq!(instance["disks"][0]["initializeParams"]["sourceImage"], chosen.image_id.unwrap());
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn googles_refusals_become_errors_and_its_outages_are_retried() {
    let Lab { fake, db, server, ada, prod } = Lab::open(None).await;
    let good = store_key(&ada, "gcp", fake.key_file(PROJECT)).await;

    // A quota Google reports in the insert's operation: the VM is `error` with Google's reason.
    let quota = "Quota 'CPUS' exceeded.  Limit: 8.0 in region us-central1.";
    fake.fail_next(
        Call::Insert,
        Fault::Operation { code: "QUOTA_EXCEEDED", message: quota.into(), http_status: 403 },
    );
    let vm = ada.vms().create(&gcp_vm(prod, "over-quota")).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    let reason = failed.status_reason.unwrap_or_default();
    assert!(reason.starts_with("quota exceeded: QUOTA_EXCEEDED") && reason.contains(quota), "{reason}");
    assert!(fake.instance_of(PROJECT, vm.id).is_none());

    // Throttling and outages are retried.
    fake.fail_next(
        Call::Insert,
        Fault::Http { status: 503, reason: "backendError", message: "Backend Error".into() },
    );
    fake.fail_next(
        Call::Get,
        Fault::Http { status: 429, reason: "rateLimitExceeded", message: "Rate Limit Exceeded".into() },
    );
    let vm = ada.vms().create(&gcp_vm(prod, "flaky")).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    let labelled = |vm: uuid::Uuid| {
        fake.instances(PROJECT)
            .into_iter()
            .filter(|instance| instance["labels"]["skyclust-vm-id"] == vm.to_string())
            .count()
    };
    // Inserts are logged with the instance name, which starts with the VM's name.
    let inserts_of = |vm_name: &str| {
        fake.requests().iter().filter(|line| line.contains(&format!("/instances name={vm_name}-"))).count()
    };
    assert_eq!((labelled(vm.id), inserts_of("flaky")), (1, 3), "503, then 429 on the read, then done");

    // An insert whose answer was lost ran: its retry (a new attempt, with a request id of its
    // own) finds the name taken by this VM's instance — its label says so — and adopts it.
    fake.fail_next(Call::Insert, Fault::AnswerLost);
    let vm = ada.vms().create(&gcp_vm(prod, "lost-answer")).await.unwrap();
    let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!((labelled(vm.id), inserts_of("lost-answer")), (1, 2), "retried, and one instance for the VM");
    assert!(running.public_ip.is_some());

    // A zone out of capacity fails the insert's operation; the next attempt, under a new
    // request id, is a new request to Google and succeeds.
    let stockout = "The zone 'projects/skyclust-test/zones/us-central1-a' does not have enough resources available to fulfill the request.";
    fake.fail_next(
        Call::Insert,
        Fault::Operation { code: "ZONE_RESOURCE_POOL_EXHAUSTED", message: stockout.into(), http_status: 503 },
    );
    let vm = ada.vms().create(&gcp_vm(prod, "stockout")).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!((labelled(vm.id), inserts_of("stockout")), (1, 2));

    // A key Google does not know (deleted in the console): the VM fails with a clear reason.
    let revoked = store_key(&ada, "revoked", fake.unknown_key_file(PROJECT)).await;
    let vm = ada
        .vms()
        .create(&CreateVmRequest { credential_id: Some(revoked.id), ..gcp_vm(prod, "revoked") })
        .await
        .unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    let reason = failed.status_reason.unwrap_or_default();
    assert!(reason.starts_with("authentication failed: 401 authError"), "{reason}");
    assert!(!reason.contains("PRIVATE KEY"));
    // A key of another project may not touch this one.
    let mut elsewhere = fake.key_file("other-project");
    elsewhere.insert("project_id".into(), json!(PROJECT));
    let foreign = store_key(&ada, "foreign", elsewhere).await;
    let vm = ada
        .vms()
        .create(&CreateVmRequest { credential_id: Some(foreign.id), ..gcp_vm(prod, "foreign") })
        .await
        .unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    assert!(failed.status_reason.unwrap_or_default().starts_with("authentication failed: 403 forbidden"));

    // An image Google cannot find is the request's fault, not a missing instance.
    let missing = CreateVmRequest {
        image_id: Some("projects/debian-cloud/global/images/does-not-exist".into()),
        credential_id: Some(good.id),
        ..gcp_vm(prod, "no-image")
    };
    let vm = ada.vms().create(&missing).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    let reason = failed.status_reason.unwrap_or_default();
    assert!(reason.starts_with("invalid request: 404 notFound: The resource"), "{reason}");
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn the_reconciler_follows_changes_made_in_the_google_console() {
    each_backend(|db| async move {
        let fake = FakeCompute::start().await;
        let server = TestServer::start(on(&fake, db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        store_key(&ada, "gcp", fake.key_file(PROJECT)).await;
        let vm = ada.vms().create(&gcp_vm(prod, "web")).await.unwrap();
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        let recorded = running.instance_id.unwrap();
        let name = recorded.rsplit('/').next().unwrap();

        fake.set_status(name, "TERMINATED");
        reconciled(&server, &ada, vm.id, VmStatus::Stopped).await;
        fake.set_status(name, "RUNNING");
        reconciled(&server, &ada, vm.id, VmStatus::Running).await;

        // Repairing: the VM keeps its status and says why it may misbehave; then it clears.
        fake.set_status(name, "REPAIRING");
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        let repairing = ada.vms().get(vm.id).await.unwrap();
        assert_eq!(repairing.status, VmStatus::Running);
        let reason = repairing.status_reason.unwrap_or_default();
        assert!(reason.contains("REPAIRING"), "{reason}");
        fake.set_status(name, "RUNNING");
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status_reason, None);

        // The credential is given another project's key: the VM stays with its own project
        // (Google refuses the new key there), and is not taken for gone.
        let credential = ada.credentials().list(&ListQuery::default()).await.unwrap().credentials[0].id;
        let moved =
            UpdateCredentialRequest { data: Some(fake.key_file("other-project")), ..Default::default() };
        ada.credentials().update(credential, &moved).await.unwrap();
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status, VmStatus::Running);
        let back = UpdateCredentialRequest { data: Some(fake.key_file(PROJECT)), ..Default::default() };
        ada.credentials().update(credential, &back).await.unwrap();

        fake.remove(name);
        let gone = reconciled(&server, &ada, vm.id, VmStatus::Terminated).await;
        assert_eq!(gone.status_reason.as_deref(), Some("the instance no longer exists at the provider"));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn a_gcp_vm_is_priced_as_compute_engine_and_persistent_disk() {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 3, 1, 0, 0, 0).unwrap());
    let Lab { fake, db, server, ada, prod } = Lab::open(Some(clock.clone())).await;
    store_key(&ada, "gcp", fake.key_file(PROJECT)).await;
    let request = CreateVmRequest { instance_type: "e2-standard-4".into(), ..gcp_vm(prod, "priced") };
    let vm = ada.vms().create(&request).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    clock.advance(chrono::Duration::hours(100));

    // 100 h × $0.134023 = $13.4023; 10 GB × $0.10 per GB-month × 100/730 month = $0.136986.
    let (total, services) = crate::vms::week_of(&ada, Provider::Gcp).await;
    assert_eq!(total, 13.54);
    assert_eq!(services, [(CostService::ComputeEngine, 13.4), (CostService::PersistentDisk, 0.14)]);
    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn a_slow_zone_operation_does_not_hold_up_other_vms() {
    let Lab { fake, db, server, ada, prod } = Lab::open(None).await;
    store_key(&ada, "gcp", fake.key_file(PROJECT)).await;

    // The insert's operation does not finish, so its worker waits on it (up to 20 s) …
    fake.hold_operations(true);
    let slow = ada.vms().create(&gcp_vm(prod, "slow")).await.unwrap();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while fake.instance_of(PROJECT, slow.id).is_none() {
        assert!(tokio::time::Instant::now() < deadline, "the insert was never sent");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    // … while another VM's operations run meanwhile.
    let quick = ada.vms().create(&crate::vms::sandbox_vm(prod, "quick")).await.unwrap();
    ada.vms().wait_until(quick.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!(ada.vms().get(slow.id).await.unwrap().status, VmStatus::Pending, "still waiting on Google");
    fake.hold_operations(false);
    ada.vms().wait_until(slow.id, VmStatus::Running, PATIENCE).await.unwrap();
    server.stop().await;
    db.drop_now().await;
}
