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

#[tokio::test]
async fn an_operation_interrupted_by_a_restart_resumes() {
    each_backend(|db| async move {
        // The first server accepts the VM but its worker never gets to it.
        let mut idle = fast(db.config());
        idle.worker_poll_ms = 3_600_000;
        let first = TestServer::start(idle).await;
        let ada = first.client();
        let session = register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let vm = ada.vms().create(&sandbox_vm(prod, "survivor")).await.unwrap();
        first.stop().await;

        let second = TestServer::start(fast(db.config())).await;
        let client = second.client();
        client.set_token(Some(session.token));
        assert_eq!(
            client.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap().status,
            VmStatus::Running
        );
        second.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn two_servers_on_one_database_run_each_operation_once() {
    const VMS: usize = 8;
    let backends = skyclust_tests::backends();
    let backend = if backends.contains(&Backend::Postgres) { Backend::Postgres } else { Backend::Sqlite };
    let db = TestDatabase::create(backend).await;
    // With Redis (when this run has one), as replicas are deployed.
    let mut config = fast(db.config());
    if let Ok(url) = std::env::var(skyclust_tests::REDIS_ENV) {
        config.redis_url = Some(url);
        config.redis_prefix = format!("skyclust-test:{}:", uuid::Uuid::new_v4().simple());
    }
    let one = TestServer::start(config.clone()).await;
    let two = TestServer::start(config).await;
    let ada = one.client();
    let session = register(&ada, "ada").await;
    let prod = workspace(&ada, "prod").await;
    let mut ids = Vec::new();
    for n in 0..VMS {
        ids.push(ada.vms().create(&sandbox_vm(prod, &format!("vm-{n}"))).await.unwrap().id);
    }
    let other = two.client();
    other.set_token(Some(session.token));
    for id in &ids {
        assert_eq!(
            other.vms().wait_until(*id, VmStatus::Running, PATIENCE).await.unwrap().status,
            VmStatus::Running
        );
    }
    // Had a create run twice, the sandbox would hold two instances for one VM.
    let instances: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_instances")
        .fetch_one(one.state.db.pool())
        .await
        .unwrap();
    assert_eq!(instances, VMS as i64);
    // Each operation closes just after its VM shows `running`: wait for the last to close.
    let succeeded = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM vm_operations WHERE state = 'succeeded'")
            .fetch_one(one.state.db.pool())
            .await
            .unwrap()
    };
    let runs = tokio::time::timeout(PATIENCE, async {
        loop {
            let runs = succeeded().await;
            if runs >= VMS as i64 {
                return runs;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("every operation closes");
    assert_eq!(runs, VMS as i64, "each operation ran once");
    one.stop().await;
    two.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn the_reconciler_shows_changes_made_outside_skyclust() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let vm = ada.vms().create(&sandbox_vm(prod, "web-1")).await.unwrap();
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        let instance_id = running.instance_id.unwrap();
        let mut events = ada.events().subscribe().await.unwrap();

        // Someone stops the instance from the cloud's own console…
        sqlx::query(
            "UPDATE sandbox_instances SET state = 'stopped', settles_at = NULL WHERE instance_id = $1",
        )
        .bind(instance_id.clone())
        .execute(server.state.db.pool())
        .await
        .unwrap();
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status, VmStatus::Running, "not noticed yet");
        let stopped = reconciled(&server, &ada, vm.id, VmStatus::Stopped).await;
        assert_eq!(stopped.public_ip, None);
        assert_eq!(status_change(&mut events, vm.id).await, VmStatus::Stopped);

        // …then deletes it there: the VM is terminated and its creator told.
        sqlx::query("DELETE FROM sandbox_instances WHERE instance_id = $1")
            .bind(instance_id.clone())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        reconciled(&server, &ada, vm.id, VmStatus::Terminated).await;
        let history = skyclust_server::storage::vms::history(&server.state.db, vm.id).await.unwrap();
        let tail: Vec<VmStatus> = history.iter().rev().take(2).map(|(status, _)| *status).collect();
        assert_eq!(tail, [VmStatus::Terminated, VmStatus::Stopped]);
        notified(&mut events, "VM terminated").await;
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn a_repeated_idempotency_key_answers_the_first_result() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        let ada_token = register(&ada, "ada").await.token;
        let bob = server.client();
        register(&bob, "bob").await;
        let prod = workspace(&ada, "prod").await;
        let request = sandbox_vm(prod, "web-1");

        let first = ada.vms().create_with_idempotency_key(&request, "order-66").await.unwrap();
        ada.vms().wait_until(first.id, VmStatus::Running, PATIENCE).await.unwrap();
        // The repeat answers the first result — the VM as it was then — and creates nothing.
        let again = ada.vms().create_with_idempotency_key(&request, "order-66").await.unwrap();
        assert_eq!(again, first);
        assert_eq!(again.status, VmStatus::Pending);
        // The key cannot be reused for another request; another user's key is theirs alone.
        let other = CreateVmRequest { name: "web-2".into(), ..request.clone() };
        let error = ada.vms().create_with_idempotency_key(&other, "order-66").await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Conflict));
        let bobs = workspace(&bob, "lab").await;
        let bobs_vm =
            bob.vms().create_with_idempotency_key(&sandbox_vm(bobs, "web-1"), "order-66").await.unwrap();
        assert_ne!(bobs_vm.id, first.id);

        // Concurrent repeats race for the key: one VM, one answer.
        let racing = CreateVmRequest { name: "web-3".into(), ..request.clone() };
        let answers = futures_util::future::join_all(
            (0..6).map(|_| async { ada.vms().create_with_idempotency_key(&racing, "race").await }),
        )
        .await;
        let ids: std::collections::BTreeSet<_> =
            answers.into_iter().map(|answer| answer.unwrap().id).collect();
        assert_eq!(ids.len(), 1, "{ids:?}");
        let query = ListQuery::<skyclust_sdk::types::vms::VmListing>::default();
        // (ada, the first user, is an admin and also sees bob's VM.)
        let vms = ada.vms().list(&query).await.unwrap().vms;
        let names: Vec<String> =
            vms.into_iter().filter(|vm| vm.workspace_id == prod).map(|vm| vm.name).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(sorted, ["web-1", "web-3"], "nothing was created twice");

        // A malformed key is refused by the server too (the SDK refuses it before sending).
        let response = reqwest::Client::new()
            .post(format!("{}/vms", server.api_url))
            .bearer_auth(&ada_token)
            .header("Idempotency-Key", "x".repeat(256))
            .json(&request)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "VALIDATION_ERROR");
        assert!(body["data"]["fields"]["Idempotency-Key"].is_string(), "{body}");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn idempotency_keys_expire_after_a_day() {
    use skyclust_server::storage::idempotency::{self, FirstResult, KeyScope};
    let db = TestDatabase::create(Backend::Sqlite).await;
    let server = TestServer::start(db.config()).await;
    let user = register(&server.client(), "ada").await.user.id;
    let scope = KeyScope { user_id: user, operation: "create_vm", key: "k" };
    let first = FirstResult { request_hash: "h".into(), response: "{}".into() };
    let then = chrono::Utc::now() - chrono::Duration::hours(25);
    let mut connection = server.state.db.pool().acquire().await.unwrap();
    idempotency::remember(&mut connection, scope, &first, then).await.unwrap();
    drop(connection);
    let db_ = &server.state.db;
    assert!(idempotency::find(db_, scope, then).await.unwrap().is_some(), "kept within the day");
    assert!(idempotency::find(db_, scope, chrono::Utc::now()).await.unwrap().is_none(), "expired");
    // An expired key can be used again before the purge, and the purge forgets only the old.
    let mut connection = server.state.db.pool().acquire().await.unwrap();
    idempotency::remember(&mut connection, scope, &first, chrono::Utc::now()).await.unwrap();
    let other = KeyScope { key: "old", ..scope };
    idempotency::remember(&mut connection, other, &first, then).await.unwrap();
    drop(connection);
    assert_eq!(idempotency::purge_expired(db_, chrono::Utc::now()).await.unwrap(), 1);
    assert!(idempotency::find(db_, scope, chrono::Utc::now()).await.unwrap().is_some());
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
