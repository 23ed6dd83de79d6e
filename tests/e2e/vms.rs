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

const PATIENCE: Duration = Duration::from_secs(20);

/// Fast sandbox and worker, so a lifecycle takes a second rather than a minute.
fn fast(mut config: Config) -> Config {
    config.sandbox_delay_ms = 100;
    config.worker_poll_ms = 20;
    config.vm_poll_ms = 30;
    config
}

fn sandbox_vm(workspace: uuid::Uuid, name: &str) -> CreateVmRequest {
    CreateVmRequest {
        name: name.into(),
        provider: Provider::Sandbox,
        instance_type: "t3.micro".into(),
        region: "us-east-1".into(),
        workspace_id: workspace,
        image_id: Some("ami-12345678".into()),
        key_pair: None,
        credential_id: None,
    }
}

async fn workspace(client: &SkyClustClient, name: &str) -> uuid::Uuid {
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
            .add_member(prod, &AddMemberRequest { user_id: bob_id, role: Some(MemberRole::Viewer) })
            .await
            .unwrap();
        let mut bob_events = bob.events().subscribe().await.unwrap();

        let vm = ada.vms().create(&sandbox_vm(prod, "web-1")).await.unwrap();
        assert_eq!((vm.status, vm.actions.as_slice()), (VmStatus::Pending, &[VmAction::Delete][..]));
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
            match tokio::time::timeout(PATIENCE, bob_events.next()).await.unwrap() {
                Some(Ok(Event::VmStatusChanged { data, .. })) if data.vm_id == vm.id => {
                    heard.push(data.status)
                }
                Some(_) => {}
                None => panic!("the event stream ended"),
            }
        }
        assert_eq!(heard, expected[1..]);
        let news = ada
            .notifications()
            .list(
                &ListQuery::default()
                    .sort_by("created_at", skyclust_sdk::types::SortDirection::Asc)
                    .filters(NotificationFilters::default()),
            )
            .await
            .unwrap();
        let titles: Vec<_> = news.notifications.iter().map(|n| n.title.as_str()).collect();
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

        let field = |error: skyclust_sdk::Error| {
            error.field_errors().unwrap_or_default().into_keys().collect::<Vec<_>>()
        };
        let bad_type = CreateVmRequest { instance_type: "z9.huge".into(), ..sandbox_vm(prod, "x") };
        assert_eq!(field(ada.vms().create(&bad_type).await.unwrap_err()), ["instance_type"]);
        let bad_region = CreateVmRequest { region: "moon".into(), ..sandbox_vm(prod, "x") };
        assert_eq!(field(ada.vms().create(&bad_region).await.unwrap_err()), ["region"]);
        let gcp = CreateVmRequest { provider: Provider::Gcp, ..sandbox_vm(prod, "x") };
        let error = ada.vms().create(&gcp).await.unwrap_err();
        assert_eq!(field(error), ["provider"]);
        assert_eq!(
            eve.vms().create(&sandbox_vm(prod, "x")).await.unwrap_err().code(),
            Some(ErrorCode::NotFound)
        );
        let stranger = CreateVmRequest { workspace_id: uuid::Uuid::new_v4(), ..sandbox_vm(prod, "x") };
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
    server.state.sandbox.inject(Call::Create, ProviderError::Quota("instance limit of 20 reached".into()));
    let vm = ada.vms().create(&sandbox_vm(prod, "doomed")).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!(failed.status, VmStatus::Error);
    assert!(
        failed.status_reason.as_deref().is_some_and(|reason| reason.contains("instance limit of 20")),
        "{failed:?}"
    );
    assert_eq!(failed.actions, [VmAction::Delete]);
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
    let one = TestServer::start(fast(db.config())).await;
    let two = TestServer::start(fast(db.config())).await;
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
    let runs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vm_operations WHERE state = 'succeeded'")
        .fetch_one(one.state.db.pool())
        .await
        .unwrap();
    assert_eq!(runs, VMS as i64);
    one.stop().await;
    two.stop().await;
    db.drop_now().await;
}
