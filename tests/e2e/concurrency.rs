//! Invariants that must hold when requests race, proved by firing them concurrently on every
//! backend (PostgreSQL is the one where a check-then-act guard would break).

use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateUserRequest, CreateVmRequest, Provider, RegisterRequest,
    Role, UpdateUserRequest,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_tests::{TestServer, each_backend};

use crate::register;
use crate::vms::sandbox_vm;

#[tokio::test]
async fn concurrent_first_sign_ups_make_exactly_one_admin() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let sign_ups = (0..6).map(|n| {
            let client = server.client();
            async move {
                client
                    .auth()
                    .register(&RegisterRequest {
                        username: format!("first{n}"),
                        email: format!("first{n}@example.com"),
                        password: format!("password-first{n}"),
                    })
                    .await
                    .unwrap()
                    .user
                    .role
            }
        });
        let roles = futures_util::future::join_all(sign_ups).await;
        assert_eq!(
            roles.iter().filter(|role| **role == Role::Admin).count(),
            1,
            "{roles:?} on {:?}",
            db.backend
        );
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_demotions_never_leave_the_system_without_an_admin() {
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let root = server.client();
        let root_user = register(&root, "root").await.user;
        let mut current = (root, root_user);
        for round in 0..6 {
            // A second admin, then each demotes the other at the same moment.
            let name = format!("admin{round}");
            let other_user = current
                .0
                .users()
                .create(&CreateUserRequest {
                    username: name.clone(),
                    email: format!("{name}@example.com"),
                    password: format!("password-{name}"),
                    role: Some(Role::Admin),
                    is_active: None,
                })
                .await
                .unwrap();
            let other = server.client_as(&other_user);
            let demote = |client: SkyClustClient, target: uuid::Uuid| async move {
                client
                    .users()
                    .update(
                        target,
                        &UpdateUserRequest { username: None, role: Some(Role::User), is_active: None },
                    )
                    .await
            };
            let (first, second) =
                tokio::join!(demote(current.0.clone(), other_user.id), demote(other.clone(), current.1.id));
            let succeeded = [first.is_ok(), second.is_ok()].iter().filter(|ok| **ok).count();
            for refused in [&first, &second].into_iter().filter_map(|result| result.as_ref().err()) {
                assert!(
                    matches!(refused.code(), Some(ErrorCode::Conflict | ErrorCode::Forbidden)),
                    "refused as the last admin, or as no longer an admin: {refused}"
                );
            }
            assert_eq!(succeeded, 1, "round {round} on {:?}: exactly one demotion wins", db.backend);
            let admins: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1")
                    .fetch_one(server.state.db.pool())
                    .await
                    .unwrap();
            assert_eq!(admins, 1, "round {round} on {:?}", db.backend);
            current = if first.is_ok() { current } else { (other, other_user) };
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn a_workspace_deleted_while_a_vm_is_created_in_it_never_loses_the_vm() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.worker_poll_ms = 3_600_000;
        let server = TestServer::start(config).await;
        let ada = server.client();
        register(&ada, "ada").await;
        for round in 0..8 {
            let workspace = crate::vms::workspace(&ada, &format!("race-{round}")).await;
            let request = sandbox_vm(workspace, "racer");
            let (vms, workspaces) = (ada.vms(), ada.workspaces());
            let (created, deleted) = tokio::join!(vms.create(&request), workspaces.delete(workspace));
            match (&created, &deleted) {
                (Ok(vm), Err(refused)) => {
                    assert_eq!(refused.code(), Some(ErrorCode::Conflict), "{refused}");
                    assert!(ada.vms().get(vm.id).await.is_ok(), "the VM is still tracked");
                }
                (Err(refused), Ok(())) => assert!(
                    matches!(refused.code(), Some(ErrorCode::NotFound | ErrorCode::Conflict)),
                    "{refused}"
                ),
                other => panic!("round {round} on {:?}: both or neither succeeded: {other:?}", db.backend),
            }
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn concurrent_workers_claim_each_due_operation_exactly_once() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.worker_poll_ms = 3_600_000;
        config.db_max_connections = 8;
        let server = TestServer::start(config).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let workspace = crate::vms::workspace(&ada, "fleet").await;
        const VMS: usize = 8;
        for n in 0..VMS {
            ada.vms().create(&sandbox_vm(workspace, &format!("vm{n}"))).await.unwrap();
        }
        let now = chrono::Utc::now() + chrono::Duration::seconds(1);
        let lease = now + chrono::Duration::minutes(5);
        let claims = (0..VMS).map(|n| {
            let db = server.state.db.clone();
            async move {
                skyclust_server::storage::operations::claim(&db, &format!("worker-{n}"), now, lease)
                    .await
                    .unwrap()
            }
        });
        let claimed: Vec<_> = futures_util::future::join_all(claims).await.into_iter().flatten().collect();
        let mut ids: Vec<_> = claimed.iter().map(|operation| operation.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), claimed.len(), "no operation is claimed twice");
        assert_eq!(claimed.len(), VMS, "every worker got an operation on {:?}", db.backend);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn a_user_deleted_while_creating_a_vm_never_takes_the_vm_with_them() {
    each_backend(|db| async move {
        let mut config = db.config();
        config.worker_poll_ms = 3_600_000;
        let server = TestServer::start(config).await;
        let admin = server.client();
        register(&admin, "root").await;
        for round in 0..6 {
            let user = server.client();
            let user_id = register(&user, &format!("racer{round}")).await.user.id;
            let workspace = crate::vms::workspace(&user, "mine").await;
            let request = sandbox_vm(workspace, "racer");
            let (vms, users) = (user.vms(), admin.users());
            let (created, deleted) = tokio::join!(vms.create(&request), users.delete(user_id));
            match (&created, &deleted) {
                (Ok(vm), Err(refused)) => {
                    assert_eq!(refused.code(), Some(ErrorCode::Conflict), "{refused}");
                    assert!(user.vms().get(vm.id).await.is_ok(), "the VM is still tracked");
                }
                // Deleted first: the creation is refused (the caller or the workspace is gone).
                (Err(refused), Ok(())) => assert!(
                    matches!(
                        refused.code(),
                        Some(ErrorCode::Unauthorized | ErrorCode::NotFound | ErrorCode::Conflict)
                    ),
                    "{refused}"
                ),
                other => panic!("round {round} on {:?}: both or neither succeeded: {other:?}", db.backend),
            }
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn replicas_running_the_hourly_job_send_each_cost_update_once() {
    each_backend(|db| async move {
        let one = TestServer::start(crate::vms::fast(db.config())).await;
        let two = TestServer::start(crate::vms::fast(db.config())).await;
        let ada = one.client();
        register(&ada, "ada").await;
        let workspace = crate::vms::workspace(&ada, "billed").await;
        let vm = ada.vms().create(&sandbox_vm(workspace, "meter")).await.unwrap();
        ada.vms()
            .wait_until(vm.id, skyclust_sdk::types::VmStatus::Running, crate::vms::PATIENCE)
            .await
            .unwrap();
        // An hour later (the VM's own `running` update was sent now), both replicas' hourly jobs
        // fire at once: the figure goes out once.
        sqlx::query("UPDATE cost_updates_sent SET sent_at = '2000-01-01T00:00:00.000000Z'")
            .execute(one.state.db.pool())
            .await
            .unwrap();
        let (sent_one, sent_two) = tokio::join!(
            skyclust_server::costs::updates::publish_due(one.state.publisher()),
            skyclust_server::costs::updates::publish_due(two.state.publisher())
        );
        assert_eq!(sent_one.unwrap() + sent_two.unwrap(), 1, "on {:?}", db.backend);
        // And not again within the hour, by either.
        assert_eq!(skyclust_server::costs::updates::publish_due(two.state.publisher()).await.unwrap(), 0);
        one.stop().await;
        two.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn one_replica_at_a_time_holds_a_job_lease_and_a_dead_holder_is_replaced() {
    use skyclust_server::storage::leases;
    each_backend(|db| async move {
        let server = TestServer::start(db.config()).await;
        let pool = server.state.db.clone();
        let now = chrono::Utc::now();
        let minute = chrono::Duration::minutes(1);
        let contenders = (0..8).map(|n| {
            let pool = pool.clone();
            async move {
                leases::acquire(&pool, "test-job", &format!("replica-{n}"), now, now + minute).await.unwrap()
            }
        });
        let held = futures_util::future::join_all(contenders).await;
        assert_eq!(held.iter().filter(|held| **held).count(), 1, "{held:?} on {:?}", db.backend);
        let holder = format!("replica-{}", held.iter().position(|held| *held).unwrap());
        assert!(leases::acquire(&pool, "test-job", &holder, now, now + minute).await.unwrap(), "renewed");
        assert!(!leases::acquire(&pool, "test-job", "newcomer", now, now + minute).await.unwrap());
        // The holder stops renewing: once the lease runs out, another replica takes over.
        let later = now + minute * 2;
        assert!(leases::acquire(&pool, "test-job", "newcomer", later, later + minute).await.unwrap());
        assert!(!leases::acquire(&pool, "test-job", &holder, later, later + minute).await.unwrap());
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

/// Removing a member is refused while their credentials serve VMs of the workspace; a VM
/// created with their credential at the same moment must not slip in after the check.
#[tokio::test]
async fn a_member_removed_while_creating_vms_leaves_none_behind() {
    each_backend(|db| async move {
        let mut config = db.config();
        // VMs stay pending: what matters is what was stored.
        config.worker_poll_ms = 3_600_000;
        let server = TestServer::start(config).await;
        let (ada, bob) = (server.client(), server.client());
        register(&ada, "ada").await;
        let bob_user = register(&bob, "bob").await.user;
        let credential = CreateCredentialRequest {
            name: "sandbox".into(),
            provider: Provider::Sandbox,
            data: Default::default(),
        };
        let credential = bob.credentials().create(&credential).await.unwrap().id;
        for round in 0..6 {
            let workspace = crate::vms::workspace(&ada, &format!("shared-{round}")).await;
            ada.workspaces().add_member(workspace, &AddMemberRequest::user(bob_user.id, None)).await.unwrap();
            let request =
                CreateVmRequest { credential_id: Some(credential), ..sandbox_vm(workspace, "racer") };
            let bob_vms = bob.vms();
            let creations = futures_util::future::join_all((0..6).map(|_| bob_vms.create(&request)));
            let workspaces = ada.workspaces();
            let (created, removed) =
                tokio::join!(creations, workspaces.remove_member(workspace, bob_user.id));
            let stored: Vec<_> = created.iter().filter_map(|created| created.as_ref().ok()).collect();
            for refused in created.iter().filter_map(|created| created.as_ref().err()) {
                assert!(
                    matches!(refused.code(), Some(ErrorCode::Forbidden | ErrorCode::NotFound)),
                    "round {round} on {:?}: {refused}",
                    db.backend
                );
            }
            match removed {
                Ok(()) => assert!(
                    stored.is_empty(),
                    "round {round} on {:?}: bob was removed yet {} VM(s) of his credential were stored",
                    db.backend,
                    stored.len()
                ),
                Err(refused) => {
                    assert_eq!(refused.code(), Some(ErrorCode::Conflict), "{refused}");
                    assert!(!stored.is_empty(), "round {round}: refused with nothing to serve");
                }
            }
        }
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
