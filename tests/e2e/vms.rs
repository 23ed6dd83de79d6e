//! VMs on the sandbox cloud: the whole lifecycle with events and notifications, refusals before
//! anything reaches a provider, provider failures, a crash mid-operation, and two servers
//! sharing one PostgreSQL database without running an operation twice.

use std::time::Duration;

use futures_util::StreamExt;
use skyclust_sdk::types::events::Event;
use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateVmRequest, CreateWorkspaceRequest, ListQuery,
    MemberRole, NotificationFilters, Provider, VmAction, VmFilters, VmStatus,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_server::Config;
use skyclust_server::providers::ProviderError;
use skyclust_server::providers::sandbox::Call;
use skyclust_tests::{Backend, TestDatabase, TestServer, each_backend};

use crate::register;

mod durability;
mod ec2;
mod idempotency;

pub(crate) const PATIENCE: Duration = Duration::from_secs(20);

/// Fast sandbox and worker, so a lifecycle takes a second rather than a minute.
pub(crate) fn fast(mut config: Config) -> Config {
    config.sandbox_delay_ms = 100;
    config.worker_poll_ms = 20;
    config.vm_poll_ms = 30;
    config
}

pub(crate) fn sandbox_vm(workspace: uuid::Uuid, name: &str) -> CreateVmRequest {
    CreateVmRequest {
        name: name.into(),
        provider: Provider::Sandbox,
        instance_type: "t3.micro".into(),
        region: "us-east-1".into(),
        zone: None,
        workspace_id: Some(workspace),
        image_id: Some("ami-12345678".into()),
        key_pair: None,
        credential_id: None,
    }
}

/// The first event on `events` that `pick` accepts (skipping the others).
pub(crate) async fn next_matching<T>(
    events: &mut skyclust_sdk::EventStream,
    pick: impl Fn(Event) -> Option<T>,
) -> T {
    loop {
        match tokio::time::timeout(PATIENCE, events.next()).await.expect("the event arrives") {
            Some(Ok(event)) => {
                if let Some(picked) = pick(event) {
                    return picked;
                }
            }
            Some(Err(_)) => {}
            None => panic!("the event stream ended"),
        }
    }
}

/// Waits for the notification titled `title`; a notification is stored just after the
/// status change it reports.
pub(crate) async fn notified(
    events: &mut skyclust_sdk::EventStream,
    title: &str,
) -> skyclust_sdk::types::Notification {
    next_matching(events, |event| match event {
        Event::NotificationReceived { data, .. } if data.title == title => Some(data),
        _ => None,
    })
    .await
}

/// The next status `vm` was announced to have.
pub(crate) async fn status_change(events: &mut skyclust_sdk::EventStream, vm: uuid::Uuid) -> VmStatus {
    next_matching(events, |event| match event {
        Event::VmStatusChanged { data, .. } if data.vm_id == vm => Some(data.status),
        _ => None,
    })
    .await
}

/// The titles of `client`'s notifications, oldest first.
pub(crate) async fn notification_titles(client: &SkyClustClient) -> Vec<String> {
    let query = ListQuery::default()
        .sort_by("created_at", skyclust_sdk::types::SortDirection::Asc)
        .filters(NotificationFilters::default());
    client.notifications().list(&query).await.unwrap().notifications.into_iter().map(|n| n.title).collect()
}

/// Runs the reconciler until the VM shows `status`. (A VM is reconciled once its last
/// operation has been closed, which happens just after its final status is stored.)
pub(crate) async fn reconciled(
    server: &TestServer,
    client: &SkyClustClient,
    vm: uuid::Uuid,
    status: VmStatus,
) -> skyclust_sdk::types::Vm {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        skyclust_server::vms::worker::reconcile(&server.state).await.unwrap();
        let current = client.vms().get(vm).await.unwrap();
        if current.status == status {
            return current;
        }
        assert!(tokio::time::Instant::now() < deadline, "the VM is still {:?}", current.status);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The fields a validation error names.
/// One provider's cost over the last week: its total, and its services' costs.
pub(crate) async fn week_of(
    client: &SkyClustClient,
    provider: Provider,
) -> (f64, Vec<(skyclust_sdk::types::costs::CostService, f64)>) {
    use skyclust_sdk::types::costs::{CostAnalysisQuery, CostBreakdownQuery, CostPeriod};
    let week =
        CostAnalysisQuery { period: Some(CostPeriod::Week), provider: Some(provider), ..Default::default() };
    let costs = client.cost_analysis().get(&week).await.unwrap();
    assert_eq!((costs.breakdown[0].provider, costs.breakdown[0].cost), (provider, costs.total_cost));
    let query =
        CostBreakdownQuery { provider, service: None, period: Some(CostPeriod::Week), workspace_id: None };
    let breakdown = client.cost_analysis().breakdown(&query).await.unwrap();
    assert!(breakdown.unpriced_vms.is_empty());
    (costs.total_cost, breakdown.services.iter().map(|service| (service.service, service.cost)).collect())
}

pub(crate) fn field(error: skyclust_sdk::Error) -> Vec<String> {
    error.field_errors().unwrap_or_default().into_keys().collect()
}

pub(crate) async fn workspace(client: &SkyClustClient, name: &str) -> uuid::Uuid {
    client
        .workspaces()
        .create(&CreateWorkspaceRequest { name: name.into(), description: None })
        .await
        .unwrap()
        .id
}

#[tokio::test]
async fn a_sandbox_vm_runs_its_whole_lifecycle() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let bob = server.client();
        let bob_id = register(&bob, "bob").await.user.id;
        let prod = workspace(&ada, "prod").await;
        ada.workspaces()
            .add_member(prod, &AddMemberRequest::user(bob_id, Some(MemberRole::Viewer)))
            .await
            .unwrap();
        let mut bob_events = bob.events().subscribe().await.unwrap();
        let mut ada_events = ada.events().subscribe().await.unwrap();

        let vm = ada.vms().create(&sandbox_vm(prod, "web-1")).await.unwrap();
        assert_eq!((vm.status, vm.actions.as_slice()), (VmStatus::Pending, &[VmAction::Delete][..]));
        assert_eq!(vm.zone.as_deref(), Some("us-east-1a"), "the region's first zone");
        assert_eq!(vm.created_by, ada_id);
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        assert_eq!(running.status, VmStatus::Running);
        assert!(running.instance_id.as_deref().is_some_and(|id| id.starts_with("i-")));
        assert!(running.public_ip.as_deref().is_some_and(|ip| ip.starts_with("203.0.113.")));
        assert!(running.private_ip.as_deref().is_some_and(|ip| ip.starts_with("10.")));
        assert_eq!(running.actions, [VmAction::Stop, VmAction::Reboot, VmAction::Delete]);

        // A viewer member sees it but cannot touch it; an action the status does not allow is a 409.
        assert_eq!(bob.vms().get(vm.id).await.unwrap().status, VmStatus::Running);
        assert_eq!(bob.vms().stop(vm.id).await.unwrap_err().code(), Some(ErrorCode::Forbidden));
        assert_eq!(ada.vms().start(vm.id).await.unwrap_err().code(), Some(ErrorCode::Conflict));

        assert_eq!(ada.vms().stop(vm.id).await.unwrap().status, VmStatus::Stopping);
        let stopped = ada.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap();
        assert_eq!((stopped.status, stopped.public_ip.as_deref()), (VmStatus::Stopped, None));
        assert_eq!(ada.vms().start(vm.id).await.unwrap().status, VmStatus::Starting);
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        ada.vms().reboot(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();

        // The workspace cannot go while the VM lives.
        assert_eq!(ada.workspaces().delete(prod).await.unwrap_err().code(), Some(ErrorCode::Conflict));
        assert_eq!(ada.vms().delete(vm.id).await.unwrap().status, VmStatus::Terminating);
        let terminated = ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();
        assert!(terminated.actions.is_empty());

        // Every change was recorded, in order.
        let history: Vec<VmStatus> = skyclust_server::storage::vms::history(&server.state.db, vm.id)
            .await
            .unwrap()
            .into_iter()
            .map(|(status, _)| status)
            .collect();
        use VmStatus::*;
        let expected = [
            Pending,
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
        assert_eq!(history, expected);

        // The viewer member heard every change; the creator was told about the important ones.
        let mut heard = Vec::new();
        while heard.len() < expected.len() - 1 {
            heard.push(status_change(&mut bob_events, vm.id).await);
        }
        assert_eq!(heard, expected[1..]);
        // The notification follows the status change: wait for the last one to be announced.
        notified(&mut ada_events, "VM terminated").await;
        let titles = notification_titles(&ada).await;
        assert_eq!(titles, ["VM running", "VM running", "VM running", "VM terminated"]);

        let listed = bob
            .vms()
            .list(&ListQuery::default().filters(VmFilters { status: vec![Terminated], ..Default::default() }))
            .await
            .unwrap();
        assert_eq!(listed.pagination.total, 1);
        ada.workspaces().delete(prod).await.expect("only terminated VMs are left");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn bad_requests_are_refused_before_any_provider_call() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let eve = server.client();
        register(&eve, "eve").await;
        let prod = workspace(&ada, "prod").await;

        let bad_type = CreateVmRequest { instance_type: "z9.huge".into(), ..sandbox_vm(prod, "x") };
        assert_eq!(field(ada.vms().create(&bad_type).await.unwrap_err()), ["instance_type"]);
        let bad_region = CreateVmRequest { region: "moon".into(), ..sandbox_vm(prod, "x") };
        assert_eq!(field(ada.vms().create(&bad_region).await.unwrap_err()), ["region"]);
        let no_such_region = CreateVmRequest { region: "us-east-9".into(), ..sandbox_vm(prod, "x") };
        let error = ada.vms().create(&no_such_region).await.unwrap_err();
        assert_eq!(
            error.field_errors().unwrap_or_default().get("region").map(String::as_str),
            Some("must be a sandbox region: us-east-1, us-east-2, us-west-2")
        );
        let bad_zone = CreateVmRequest { zone: Some("us-east-1d".into()), ..sandbox_vm(prod, "x") };
        assert_eq!(field(ada.vms().create(&bad_zone).await.unwrap_err()), ["zone"]);
        // Each provider checks the request by its own rules: an EC2 type, region and image
        // are no Azure VM's.
        let azure = CreateVmRequest { provider: Provider::Azure, ..sandbox_vm(prod, "x") };
        let error = ada.vms().create(&azure).await.unwrap_err();
        assert_eq!(field(error), ["image_id", "key_pair", "region"]);
        assert_eq!(
            eve.vms().create(&sandbox_vm(prod, "x")).await.unwrap_err().code(),
            Some(ErrorCode::NotFound)
        );
        let stranger = CreateVmRequest { workspace_id: Some(uuid::Uuid::new_v4()), ..sandbox_vm(prod, "x") };
        assert_eq!(ada.vms().create(&stranger).await.unwrap_err().code(), Some(ErrorCode::NotFound));

        // A credential of someone else, or of another provider, is refused by name.
        let eves = eve
            .credentials()
            .create(&CreateCredentialRequest {
                name: "lab".into(),
                provider: Provider::Sandbox,
                data: Default::default(),
            })
            .await
            .unwrap();
        let borrowed = CreateVmRequest { credential_id: Some(eves.id), ..sandbox_vm(prod, "x") };
        assert_eq!(field(ada.vms().create(&borrowed).await.unwrap_err()), ["credential_id"]);
        let mine = ada
            .credentials()
            .create(&CreateCredentialRequest {
                name: "lab".into(),
                provider: Provider::Sandbox,
                data: Default::default(),
            })
            .await
            .unwrap();
        let vm = ada
            .vms()
            .create(&CreateVmRequest { credential_id: Some(mine.id), ..sandbox_vm(prod, "uses-it") })
            .await
            .unwrap();
        assert_eq!(vm.credential_id, Some(mine.id));
        assert_eq!(ada.credentials().delete(mine.id).await.unwrap_err().code(), Some(ErrorCode::Conflict));
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        ada.vms().delete(vm.id).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();
        ada.credentials().delete(mine.id).await.expect("no live VM uses it any more");
        assert_eq!(
            ada.vms().list(&ListQuery::default()).await.unwrap().pagination.total,
            1,
            "nothing else was created"
        );
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn provider_failures_become_error_with_the_reason() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(fast(db.config())).await;
    let ada = server.client();
    register(&ada, "ada").await;
    let prod = workspace(&ada, "prod").await;
    let mut events = ada.events().subscribe().await.unwrap();
    server.state.sandbox.inject(Call::Create, ProviderError::Quota("instance limit of 20 reached".into()));
    let vm = ada.vms().create(&sandbox_vm(prod, "doomed")).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!(failed.status, VmStatus::Error);
    assert!(
        failed.status_reason.as_deref().is_some_and(|reason| reason.contains("instance limit of 20")),
        "{failed:?}"
    );
    assert_eq!(failed.actions, [VmAction::Delete]);
    assert!(notified(&mut events, "VM error").await.message.contains("instance limit"));
    let errors = ada.notifications().list(&ListQuery::default()).await.unwrap();
    assert!(
        errors.notifications.iter().any(|n| n.title == "VM error" && n.message.contains("instance limit"))
    );
    // Retryable failures are retried: the VM still gets there.
    server.state.sandbox.inject(Call::Create, ProviderError::Retryable("throttled".into()));
    let vm = ada.vms().create(&sandbox_vm(prod, "persistent")).await.unwrap();
    assert_eq!(
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap().status,
        VmStatus::Running
    );
    ada.vms().delete(failed.id).await.unwrap();
    assert_eq!(
        ada.vms().wait_until(failed.id, VmStatus::Terminated, PATIENCE).await.unwrap().status,
        VmStatus::Terminated
    );
    server.stop().await;
    db.drop_now().await;
}

pub(crate) const MOTO_ENV: &str = "SKYCLUST_TEST_MOTO_URL";
/// One of the images moto's EC2 has in every region.
pub(crate) const MOTO_UBUNTU_AMI: &str = "ami-1e749f67";

/// An EC2 client of the test itself, to look at what SkyClust did on the cloud's side.
pub(crate) async fn ec2(endpoint: &str) -> aws_sdk_ec2::Client {
    let credentials = aws_sdk_ec2::config::Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
        None,
        "test",
    );
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_sdk_ec2::config::Region::new("us-east-1"))
        .credentials_provider(credentials)
        .endpoint_url(endpoint)
        .load()
        .await;
    aws_sdk_ec2::Client::new(&config)
}

/// `client`'s credential for moto's account (the keys moto accepts), in us-east-1.
pub(crate) async fn aws_credential(client: &SkyClustClient) -> skyclust_sdk::types::Credential {
    let data = serde_json::json!({
        "access_key": "AKIAIOSFODNN7EXAMPLE",
        "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "region": "us-east-1"
    });
    let request = CreateCredentialRequest {
        name: "aws".into(),
        provider: Provider::Aws,
        data: data.as_object().unwrap().clone(),
    };
    client.credentials().create(&request).await.unwrap()
}

/// The EC2 instance SkyClust tagged with this VM's id.
async fn tagged_instance(ec2: &aws_sdk_ec2::Client, vm: uuid::Uuid) -> aws_sdk_ec2::types::Instance {
    let filter =
        aws_sdk_ec2::types::Filter::builder().name("tag:skyclust-vm-id").values(vm.to_string()).build();
    let output = ec2.describe_instances().filters(filter).send().await.unwrap();
    let mut instances: Vec<_> =
        output.reservations().iter().flat_map(|reservation| reservation.instances()).cloned().collect();
    assert_eq!(instances.len(), 1, "one instance per VM");
    instances.remove(0)
}

pub(crate) fn ec2_state(instance: &aws_sdk_ec2::types::Instance) -> &str {
    instance.state().and_then(|state| state.name()).map(|name| name.as_str()).unwrap()
}

/// A misspelt field is refused, not dropped: `"keypair"` would otherwise create a VM without
/// its key.
#[tokio::test]
async fn a_misspelt_field_is_refused_with_the_fields_that_exist() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let ada = server.client();
    let token = register(&ada, "ada").await.token;
    let prod = workspace(&ada, "prod").await;
    let mut body = serde_json::to_value(sandbox_vm(prod, "web")).unwrap();
    body["keypair"] = serde_json::json!("my-key");
    let response = reqwest::Client::new()
        .post(format!("{}/vms", server.api_url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let envelope: serde_json::Value = response.json().await.unwrap();
    let detail = envelope["data"]["fields"]["keypair"].as_str().unwrap_or_else(|| panic!("{envelope}"));
    assert!(detail.starts_with("is not a field of this request (its fields: name, provider,"), "{detail}");
    assert!(detail.contains("key_pair"), "{detail}");
    assert_eq!(
        ada.vms().list(&ListQuery::default()).await.unwrap().pagination.total,
        0,
        "nothing was created"
    );
    server.stop().await;
    db.drop_now().await;
}
