//! Discovery, adoption, release and drift on the sandbox cloud: instances started outside
//! SkyClust are listed unmanaged, adopted once (also under concurrent requests), managed like
//! any VM, costed from their adoption, and let go without being terminated.

use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use futures_util::TryStreamExt;
use skyclust_sdk::types::events::Event;
use skyclust_sdk::types::instances::{DiscoveredInstance, InstanceListing};
use skyclust_sdk::types::{
    AddMemberRequest, CostAnalysisQuery, CostPeriod, CreateCredentialRequest, ImportVmRequest, ListQuery,
    MemberRole, NotificationType, Provider, VmStatus,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_server::clock::{Clock, ManualClock};
use skyclust_server::providers::sandbox::{Call, with_account};
use skyclust_server::providers::{InstanceDiscovery, InstanceRef, ProviderError, Secrets};
use skyclust_tests::{TestServer, each_backend};
use uuid::Uuid;

use crate::register;
use crate::vms::{PATIENCE, fast, next_matching, sandbox_vm, workspace};

mod ec2;

async fn sandbox_credential(client: &SkyClustClient) -> Uuid {
    let request = CreateCredentialRequest {
        name: "sandbox".into(),
        provider: Provider::Sandbox,
        data: Default::default(),
    };
    client.credentials().create(&request).await.unwrap().id
}

/// What discovery lists in us-east-1 for `credential`, by instance id.
async fn discovered(client: &SkyClustClient, credential: Uuid) -> Vec<DiscoveredInstance> {
    let mut query = ListQuery::<InstanceListing>::default();
    query.filters.region = vec!["us-east-1".into()];
    client.credentials().instances(credential, query).try_collect().await.unwrap()
}

fn find(instances: &[DiscoveredInstance], id: &str) -> Option<DiscoveredInstance> {
    instances.iter().find(|instance| instance.instance_id == id).cloned()
}

fn import(credential: Uuid, instance: &str, workspace: Uuid) -> ImportVmRequest {
    ImportVmRequest {
        credential_id: credential,
        provider_instance_id: instance.into(),
        region: "us-east-1".into(),
        workspace_id: workspace,
        name: None,
    }
}

/// Moves the clock a second at a time until `vm` is `status`.
async fn until(clock: &ManualClock, client: &SkyClustClient, vm: Uuid, status: VmStatus) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        if client.vms().get(vm).await.unwrap().status == status {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "{vm} did not reach {status:?}");
        clock.advance(chrono::Duration::seconds(1));
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// Waits until no operation is queued or under way (the one following an adoption is closed
/// just after the VM reaches its status).
async fn settled(server: &TestServer) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while skyclust_server::storage::operations::unfinished(&server.state.db).await.unwrap().0 > 0 {
        assert!(tokio::time::Instant::now() < deadline, "operations are still under way");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Releases `vm`, once the request that brought it to its status is closed (a VM that has
/// just reached `running` is released a moment later, when its start is over).
pub(crate) async fn release(client: &SkyClustClient, vm: Uuid) -> skyclust_sdk::types::Vm {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match client.vms().release(vm).await {
            Ok(released) => return released,
            Err(error)
                if error.code() == Some(ErrorCode::Conflict) && tokio::time::Instant::now() < deadline =>
            {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(error) => panic!("{vm} was not released: {error}"),
        }
    }
}

fn account(user: Uuid) -> Secrets {
    with_account(Secrets::default(), user)
}

fn at(instance: &str) -> InstanceRef {
    InstanceRef {
        region: "us-east-1".into(),
        zone: None,
        instance_id: instance.into(),
        request_id: Uuid::new_v4(),
    }
}

#[tokio::test]
async fn sandbox_instances_are_discovered_adopted_costed_and_released() {
    each_backend(|db| async move {
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 3, 1, 0, 0, 0).unwrap());
        let server = TestServer::start_with_clock(fast(db.config()), Arc::new(clock.clone())).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let bob = server.client();
        let bob_id = register(&bob, "bob").await.user.id;
        let prod = workspace(&ada, "prod").await;
        let credential = sandbox_credential(&ada).await;
        let sandbox = &server.state.sandbox;

        // Started outside SkyClust: two of ada's, one of bob's; and one VM SkyClust creates.
        let legacy = sandbox.launch(ada_id, "legacy-db", "m5.large", "us-east-1b").await.unwrap();
        let batch = sandbox.launch(ada_id, "batch", "t3.small", "us-east-1a").await.unwrap();
        let bobs = sandbox.launch(bob_id, "bobs", "t3.micro", "us-east-1a").await.unwrap();
        let created = ada.vms().create(&sandbox_vm(prod, "web")).await.unwrap();
        until(&clock, &ada, created.id, VmStatus::Running).await;
        let created = ada.vms().get(created.id).await.unwrap();
        let launched_at = chrono::Utc.with_ymd_and_hms(2030, 3, 1, 0, 0, 0).unwrap();

        let seen = discovered(&ada, credential).await;
        assert_eq!(seen.len(), 3, "ada's account only: {seen:?}");
        assert!(find(&seen, &bobs).is_none(), "another user's sandbox account stays hidden");
        let listed = find(&seen, &legacy).expect("the instance started outside SkyClust is listed");
        assert_eq!((listed.managed, listed.vm_id), (false, None));
        assert_eq!((listed.name.as_deref(), listed.instance_type.as_str()), (Some("legacy-db"), "m5.large"));
        assert_eq!((listed.zone.as_deref(), listed.status), (Some("us-east-1b"), VmStatus::Running));
        assert_eq!((listed.provider_status.as_str(), listed.launched_at), ("running", Some(launched_at)));
        assert!(listed.public_ip.is_some() && listed.private_ip.is_some());
        let mine = find(&seen, created.instance_id.as_deref().unwrap()).unwrap();
        assert_eq!((mine.managed, mine.vm_id), (true, Some(created.id)));
        assert_eq!(mine.tags.get("skyclust-vm-id"), Some(&created.id.to_string()));

        // One page at a time, with the regions read; every priced region when none is named.
        let mut first = ListQuery::<InstanceListing>::default().limit(2);
        first.filters.region = vec!["us-east-1".into()];
        first.filters.managed = Some(false);
        let page = ada.credentials().instances_page(credential, &first).await.unwrap();
        assert_eq!((page.instances.len(), page.pagination.total), (2, 2));
        assert_eq!(
            (page.regions.as_slice(), page.failed_regions.len()),
            (["us-east-1".to_owned()].as_slice(), 0)
        );
        let everywhere = ada.credentials().instances_page(credential, &ListQuery::default()).await.unwrap();
        assert!(everywhere.regions.len() > 1 && everywhere.pagination.total == 3, "{:?}", everywhere.regions);
        let unknown = ListQuery::<InstanceListing>::default().filters(skyclust_sdk::types::InstanceFilters {
            region: vec!["moon-1".into()],
            ..Default::default()
        });
        let refused = ada.credentials().instances_page(credential, &unknown).await.unwrap_err();
        assert_eq!(crate::vms::field(refused), ["region"]);
        let not_yours = bob.credentials().instances_page(credential, &first).await.unwrap_err();
        assert_eq!(not_yours.code(), Some(ErrorCode::NotFound));

        // What the provider said is reused for a while, then read again; a changed credential
        // (which may reach another account) is read again at once.
        let late = sandbox.launch(ada_id, "late", "t3.micro", "us-east-1c").await.unwrap();
        assert!(find(&discovered(&ada, credential).await, &late).is_none(), "answered from the last read");
        clock.advance(chrono::Duration::seconds(31));
        assert!(find(&discovered(&ada, credential).await, &late).is_some());
        let later = sandbox.launch(ada_id, "later", "t3.micro", "us-east-1c").await.unwrap();
        assert!(find(&discovered(&ada, credential).await, &later).is_none());
        let renamed = skyclust_sdk::types::UpdateCredentialRequest {
            name: Some("renamed".into()),
            data: None,
            is_active: None,
        };
        clock.advance(chrono::Duration::seconds(1));
        ada.credentials().update(credential, &renamed).await.unwrap();
        assert!(find(&discovered(&ada, credential).await, &later).is_some());

        // Adoption, two days after the launch: announced, tagged at the provider, created at
        // the launch time, and refused a second time.
        clock.advance(launched_at + chrono::Duration::hours(48) - clock.now());
        let adopted_at = clock.now();
        let mut events = ada.events().subscribe().await.unwrap();
        let vm = ada.vms().import(&import(credential, &legacy, prod)).await.unwrap();
        assert_eq!(
            (vm.name.as_str(), vm.status, vm.provider),
            ("legacy-db", VmStatus::Running, Provider::Sandbox)
        );
        assert_eq!(
            (vm.instance_id.as_deref(), vm.zone.as_deref()),
            (Some(legacy.as_str()), Some("us-east-1b"))
        );
        assert_eq!((vm.instance_type.as_str(), vm.credential_id), ("m5.large", Some(credential)));
        assert_eq!((vm.created_at, vm.updated_at), (launched_at, adopted_at));
        assert_eq!(vm.created_by, ada_id);
        let announced = next_matching(&mut events, |event| match event {
            Event::VmStatusChanged { data, .. } if data.vm_id == vm.id => Some(data),
            _ => None,
        })
        .await;
        assert_eq!((announced.status, announced.previous_status), (VmStatus::Running, None));
        let tagged = sandbox.inspect(&account(ada_id), &at(&legacy)).await.unwrap();
        assert_eq!(tagged.owner(), Some(vm.id));
        let again = ada.vms().import(&import(credential, &legacy, prod)).await.unwrap_err();
        assert_eq!(again.code(), Some(ErrorCode::Conflict));
        let listed = find(&discovered(&ada, credential).await, &legacy).unwrap();
        assert_eq!((listed.managed, listed.vm_id), (true, Some(vm.id)));
        assert_eq!(ada.vms().get(vm.id).await.unwrap().id, vm.id);

        // Managed like any VM: stopped and started through SkyClust, at the provider too.
        ada.vms().stop(vm.id).await.unwrap();
        until(&clock, &ada, vm.id, VmStatus::Stopped).await;
        assert_eq!(sandbox.inspect(&account(ada_id), &at(&legacy)).await.unwrap().provider_status, "stopped");
        ada.vms().start(vm.id).await.unwrap();
        until(&clock, &ada, vm.id, VmStatus::Running).await;

        // Released: SkyClust lets go, the instance runs on untagged, and can be adopted again.
        let released = release(&ada, vm.id).await;
        assert_eq!(released.status, VmStatus::Terminated);
        assert!(released.status_reason.as_deref().is_some_and(|reason| reason.starts_with("released")));
        let left = sandbox.inspect(&account(ada_id), &at(&legacy)).await.unwrap();
        assert_eq!((left.status, left.owner()), (VmStatus::Running, None));
        let listed = find(&discovered(&ada, credential).await, &legacy).unwrap();
        assert_eq!((listed.managed, listed.vm_id), (false, None));
        let readopted = ada.vms().import(&import(credential, &legacy, prod)).await.unwrap();
        assert_ne!(readopted.id, vm.id);
        release(&ada, readopted.id).await;

        // A released VM cannot be released again; one under way cannot be released at all.
        let twice = ada.vms().release(vm.id).await.unwrap_err();
        assert_eq!(twice.code(), Some(ErrorCode::Conflict));
        ada.vms().stop(created.id).await.unwrap();
        let busy = ada.vms().release(created.id).await.unwrap_err();
        assert_eq!(busy.code(), Some(ErrorCode::Conflict), "a stopping VM is not released");

        // Refusals: a viewer, another user's credential or instance, a terminated instance.
        ada.workspaces()
            .add_member(prod, &AddMemberRequest::user(bob_id, Some(MemberRole::Viewer)))
            .await
            .unwrap();
        let bobs_credential = sandbox_credential(&bob).await;
        let viewer = bob.vms().import(&import(bobs_credential, &bobs, prod)).await.unwrap_err();
        assert_eq!(viewer.code(), Some(ErrorCode::Forbidden));
        let foreign = ada.vms().import(&import(bobs_credential, &batch, prod)).await.unwrap_err();
        assert_eq!(crate::vms::field(foreign), ["credential_id"]);
        let elsewhere = ada.vms().import(&import(credential, &bobs, prod)).await.unwrap_err();
        assert_eq!(elsewhere.code(), Some(ErrorCode::NotFound), "bob's instance is not in ada's account");
        // A system admin brings instances only into workspaces they belong to, as the worker
        // would drive them only there.
        let bobs_workspace = workspace(&bob, "bobs").await;
        let elsewhere = ada.vms().import(&import(credential, &batch, bobs_workspace)).await.unwrap_err();
        assert_eq!(elsewhere.code(), Some(ErrorCode::Forbidden), "{elsewhere}");

        until(&clock, &ada, created.id, VmStatus::Stopped).await;
        ada.vms().delete(created.id).await.unwrap();
        until(&clock, &ada, created.id, VmStatus::Terminated).await;
        let gone = ada.vms().import(&import(credential, created.instance_id.as_deref().unwrap(), prod)).await;
        assert_eq!(gone.unwrap_err().code(), Some(ErrorCode::Conflict), "a terminated instance");

        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn an_adopted_vm_costs_from_its_adoption_until_its_release() {
    each_backend(|db| async move {
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 2, 27, 0, 0, 0).unwrap());
        let server = TestServer::start_with_clock(fast(db.config()), Arc::new(clock.clone())).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let prod = workspace(&ada, "prod").await;
        let credential = sandbox_credential(&ada).await;
        // Launched two days before it is adopted at midnight on 1 March.
        let instance = server.state.sandbox.launch(ada_id, "old", "t3.micro", "us-east-1a").await.unwrap();
        clock.advance(chrono::Duration::days(2));
        let vm = ada.vms().import(&import(credential, &instance, prod)).await.unwrap();
        assert_eq!(vm.created_at, chrono::Utc.with_ymd_and_hms(2030, 2, 27, 0, 0, 0).unwrap());
        // Managed for ten hours, then released.
        clock.advance(chrono::Duration::hours(10));
        ada.vms().release(vm.id).await.unwrap();
        clock.advance(chrono::Duration::hours(10));
        // Compute 10 h at $0.0104 and the 8 GB volume for 10 h at $0.64 a month: $0.112767.
        let week = CostAnalysisQuery { period: Some(CostPeriod::Week), ..Default::default() };
        let costs = ada.cost_analysis().get(&week).await.unwrap();
        assert_eq!(costs.total_cost, 0.11, "nothing before the adoption, nothing after the release");
        let days: Vec<(String, f64)> = costs
            .trend
            .iter()
            .filter(|point| point.cost > 0.0)
            .map(|p| (p.date.to_string(), p.cost))
            .collect();
        assert_eq!(days, [("2030-03-01".to_owned(), 0.11)]);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_adoptions_of_one_instance_store_one_vm() {
    each_backend(|db| async move {
        // The sandbox's clock stands still until the imports are answered, so the instance is
        // still booting then however slowly they run.
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 3, 1, 0, 0, 0).unwrap());
        let server = TestServer::start_with_clock(fast(db.config()), Arc::new(clock.clone())).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let prod = workspace(&ada, "prod").await;
        let credential = sandbox_credential(&ada).await;
        let instance =
            server.state.sandbox.launch(ada_id, "contended", "t3.micro", "us-east-1a").await.unwrap();
        let request = import(credential, &instance, prod);
        let attempts = futures_util::future::join_all((0..8).map(|_| {
            let client = ada.clone();
            let request = request.clone();
            async move { client.vms().import(&request).await }
        }))
        .await;
        let adopted: Vec<_> = attempts.iter().filter_map(|attempt| attempt.as_ref().ok()).collect();
        assert_eq!(adopted.len(), 1, "{attempts:?}");
        for refused in attempts.iter().filter_map(|attempt| attempt.as_ref().err()) {
            assert_eq!(refused.code(), Some(ErrorCode::Conflict), "{refused}");
        }
        let vms = ada.vms().list(&ListQuery::default()).await.unwrap();
        assert_eq!(vms.pagination.total, 1);
        let tagged = server.state.sandbox.inspect(&account(ada_id), &at(&instance)).await.unwrap();
        assert_eq!(tagged.owner(), Some(adopted[0].id), "the tag names the VM that was stored");
        // Adopted while booting, it is followed until it runs.
        assert_eq!(adopted[0].status, VmStatus::Starting);
        clock.advance(chrono::Duration::seconds(5));
        ada.vms().wait_until(adopted[0].id, VmStatus::Running, PATIENCE).await.unwrap();
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn provider_failures_leave_nothing_half_done() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let prod = workspace(&ada, "prod").await;
        let credential = sandbox_credential(&ada).await;
        let sandbox = &server.state.sandbox;
        let instance = sandbox.launch(ada_id, "flaky", "t3.micro", "us-east-1a").await.unwrap();

        // The tag cannot be written: no VM is kept, and the instance is as it was.
        sandbox.inject(Call::Tag, ProviderError::Auth("not allowed to tag".into()));
        let refused = ada.vms().import(&import(credential, &instance, prod)).await.unwrap_err();
        assert_eq!(refused.code(), Some(ErrorCode::ProviderError));
        assert!(refused.to_string().contains("not allowed to tag"), "{refused}");
        assert_eq!(ada.vms().list(&ListQuery::default()).await.unwrap().pagination.total, 0);
        assert_eq!(sandbox.inspect(&account(ada_id), &at(&instance)).await.unwrap().owner(), None);

        // A region that fails is named; when every region fails, the answer is the failure.
        sandbox.inject(Call::List, ProviderError::Retryable("throttled".into()));
        let mut two = ListQuery::<InstanceListing>::default();
        two.filters.region = vec!["us-east-1".into(), "us-west-2".into()];
        let page = ada.credentials().instances_page(credential, &two).await.unwrap();
        assert_eq!(page.failed_regions.len(), 1, "{page:?}");
        assert_eq!(page.failed_regions[0].code, "PROVIDER_ERROR");
        assert!(page.failed_regions[0].message.contains("throttled"));
        assert_eq!(page.regions.len(), 1);
        // (The SDK tries a GET again after a 502: the failure, kept for a few seconds, answers.)
        sandbox.inject(Call::List, ProviderError::Auth("expired".into()));
        let mut one = ListQuery::<InstanceListing>::default();
        one.filters.region = vec!["us-east-2".into()];
        let failed = ada.credentials().instances_page(credential, &one).await.unwrap_err();
        assert_eq!(failed.code(), Some(ErrorCode::ProviderError));
        assert!(failed.to_string().contains("expired"), "{failed}");

        // Untagging fails: the VM stays managed.
        let vm = ada.vms().import(&import(credential, &instance, prod)).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        settled(&server).await;
        for _ in 0..3 {
            sandbox.inject(Call::Tag, ProviderError::Retryable("busy".into()));
        }
        let kept = ada.vms().release(vm.id).await.unwrap_err();
        assert_eq!(kept.code(), Some(ErrorCode::ProviderError));
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status, VmStatus::Running);
        assert_eq!(sandbox.inspect(&account(ada_id), &at(&instance)).await.unwrap().owner(), Some(vm.id));
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn instances_tagged_for_missing_vms_are_reported_once_and_left_alone() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        let ada_id = register(&ada, "ada").await.user.id;
        let prod = workspace(&ada, "prod").await;
        sandbox_credential(&ada).await;
        let sandbox = &server.state.sandbox;
        // As after restoring an older database: the instance names a VM the database lacks.
        let orphan = sandbox.launch(ada_id, "orphan", "t3.micro", "us-east-1a").await.unwrap();
        let forgotten = Uuid::new_v4();
        sandbox.set_owner(&account(ada_id), &at(&orphan), Some(forgotten)).await.unwrap();
        // A managed instance and an untagged one are not drift.
        let vm = ada.vms().create(&sandbox_vm(prod, "web")).await.unwrap();
        ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        sandbox.launch(ada_id, "plain", "t3.micro", "us-east-1a").await.unwrap();

        let state = &server.state;
        assert_eq!(skyclust_server::vms::drift::report(state).await.unwrap(), 1);
        assert_eq!(skyclust_server::vms::drift::report(state).await.unwrap(), 0, "reported once");
        let notifications = ada.notifications().list(&ListQuery::default()).await.unwrap().notifications;
        let warning = notifications.iter().find(|n| n.title == "Unmanaged SkyClust instance").unwrap();
        assert_eq!(warning.kind, NotificationType::Warning);
        assert!(warning.message.contains(&orphan) && warning.message.contains(&forgotten.to_string()));
        // Neither adopted nor terminated.
        let left = sandbox.inspect(&account(ada_id), &at(&orphan)).await.unwrap();
        assert_eq!((left.status, left.owner()), (VmStatus::Running, Some(forgotten)));
        assert_eq!(ada.vms().list(&ListQuery::default()).await.unwrap().pagination.total, 1);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
