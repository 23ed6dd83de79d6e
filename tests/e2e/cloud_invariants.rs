//! Cloud resources are driven only with their credential owner's standing consent, and never
//! lose their record while the instance may still run.

use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateVmRequest, MemberRole, Provider,
    UpdateCredentialRequest, UpdateUserRequest, Vm, VmStatus,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};
use skyclust_tests::{TestServer, each_backend};

use crate::register;
use crate::vms::{PATIENCE, fast, sandbox_vm};

async fn running(client: &SkyClustClient, request: &CreateVmRequest) -> Vm {
    let vm = client.vms().create(request).await.unwrap();
    let vm = client.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!(vm.status, VmStatus::Running, "{vm:?}");
    vm
}

/// Asks to stop `vm` and returns it once the worker has dealt with the request.
async fn after_stop(client: &SkyClustClient, vm: &Vm) -> Vm {
    client.vms().stop(vm.id).await.unwrap();
    tokio::time::timeout(PATIENCE, async {
        loop {
            let now = client.vms().get(vm.id).await.unwrap();
            if now.status != VmStatus::Stopping {
                return now;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("the worker dealt with the stop")
}

/// A stop refused for `why`: the VM is left running (the instance was not touched), with the
/// reason.
fn assert_refused(vm: &Vm, why: &str) {
    assert_eq!(vm.status, VmStatus::Running, "{vm:?}");
    assert!(vm.status_reason.as_deref().unwrap_or_default().contains(why), "{vm:?}");
}

fn active(is_active: bool) -> UpdateCredentialRequest {
    UpdateCredentialRequest { name: None, data: None, is_active: Some(is_active) }
}

fn user_active(is_active: bool) -> UpdateUserRequest {
    UpdateUserRequest { username: None, role: None, is_active: Some(is_active) }
}

#[tokio::test]
async fn a_withdrawn_credential_no_longer_drives_vms_and_its_owner_cannot_leave_them_behind() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let bob = server.client();
        let bob_id = register(&bob, "bob").await.user.id;
        let shared = crate::vms::workspace(&ada, "shared").await;
        ada.workspaces()
            .add_member(shared, &AddMemberRequest::user(bob_id, Some(MemberRole::Member)))
            .await
            .unwrap();
        let lab = bob
            .credentials()
            .create(&CreateCredentialRequest {
                name: "lab".into(),
                provider: Provider::Sandbox,
                data: Default::default(),
            })
            .await
            .unwrap();
        let on_bob = |name: &str| CreateVmRequest { credential_id: Some(lab.id), ..sandbox_vm(shared, name) };
        let (first, second, third) = (
            running(&bob, &on_bob("first")).await,
            running(&bob, &on_bob("second")).await,
            running(&bob, &on_bob("third")).await,
        );

        // Bob withdraws his credential: Ada's stop is refused, with the reason, and the VM is
        // left as it was.
        bob.credentials().update(lab.id, &active(false)).await.unwrap();
        assert_refused(&after_stop(&ada, &first).await, "inactive");
        // No cascade takes a live VM's credential away either (the link is ON DELETE SET NULL).
        let refused = sqlx::query("DELETE FROM credentials WHERE id = $1")
            .bind(lab.id.to_string())
            .execute(server.state.db.pool())
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("live VM"), "{refused}");

        // Terminating is always allowed: an instance on a withdrawn credential can still stop
        // billing its owner.
        ada.vms().delete(first.id).await.unwrap();
        let gone = ada.vms().wait_until(first.id, VmStatus::Terminated, PATIENCE).await.unwrap();
        assert_eq!(gone.status, VmStatus::Terminated, "{gone:?}");
        bob.credentials().update(lab.id, &active(true)).await.unwrap();

        // Bob cannot be removed while his credential serves live VMs; the refusal names them.
        let error = ada.workspaces().remove_member(shared, bob_id).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Conflict));
        let message = error.to_string();
        assert!(message.contains(&second.id.to_string()) && message.contains("third"), "{message}");
        // A name stored before names were checked is quoted printable, never raw.
        sqlx::query("UPDATE vms SET name = $1 WHERE id = $2")
            .bind("legacy\u{1b}[31m\nname\u{202e}")
            .bind(third.id.to_string())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        let error = ada.workspaces().remove_member(shared, bob_id).await.unwrap_err();
        let message = error.to_string();
        assert!(message.contains("legacy\\u{1b}[31m\\u{a}name\\u{202e}"), "{message}");
        assert!(!message.chars().any(|c| c.is_control() || c == '\u{202e}'), "{message}");

        // A deactivated owner's credential is not used either.
        ada.users().update(bob_id, &user_active(false)).await.unwrap();
        assert_refused(&after_stop(&ada, &second).await, "deactivated");
        ada.users().update(bob_id, &user_active(true)).await.unwrap();

        // Had a membership gone anyway (removed while a VM was being created), the worker
        // still refuses the credential of someone outside the workspace.
        sqlx::query("DELETE FROM workspace_members WHERE user_id = $1")
            .bind(bob_id.to_string())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        assert_refused(&after_stop(&ada, &third).await, "no longer a member");

        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn a_user_on_whom_live_vms_depend_cannot_be_deleted_and_no_cascade_takes_a_live_vm() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let bob = server.client();
        let bob_id = register(&bob, "bob").await.user.id;
        let own = crate::vms::workspace(&bob, "own").await;
        let vm = running(&bob, &sandbox_vm(own, "keeper")).await;

        let error = ada.users().delete(bob_id).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Conflict));
        assert!(error.to_string().contains("1 VM(s)"), "{error}");

        // Whatever deletes rows, the database itself keeps a live VM's record.
        for statement in ["DELETE FROM users WHERE id = $1", "DELETE FROM workspaces WHERE owner_id = $1"] {
            let refused =
                sqlx::query(statement).bind(bob_id.to_string()).execute(server.state.db.pool()).await;
            let message = refused.unwrap_err().to_string();
            assert!(message.contains("live VM"), "{statement}: {message}");
        }
        assert_eq!(bob.vms().get(vm.id).await.unwrap().status, VmStatus::Running);

        // Once the VM is terminated, the user can go (and their terminated VM's record with them).
        bob.vms().delete(vm.id).await.unwrap();
        let gone = bob.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();
        assert_eq!(gone.status, VmStatus::Terminated);
        ada.users().delete(bob_id).await.unwrap();
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn the_reconciler_visits_the_vms_it_saw_longest_ago_first() {
    each_backend(|db| async move {
        let mut config = fast(db.config());
        config.reconcile_secs = 86_400;
        let server = TestServer::start(config).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let workspace = crate::vms::workspace(&ada, "fleet").await;
        for name in ["one", "two"] {
            running(&ada, &sandbox_vm(workspace, name)).await;
        }
        let db_handle = &server.state.db;
        // A VM is due once its create operation has closed (just after it shows `running`).
        tokio::time::timeout(PATIENCE, async {
            while skyclust_server::storage::vms::to_reconcile(db_handle, 10).await.unwrap().len() < 2 {
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("both VMs become due");
        let next =
            || async { skyclust_server::storage::vms::to_reconcile(db_handle, 1).await.unwrap()[0].id };
        let first = next().await;
        skyclust_server::storage::vms::mark_reconciled(db_handle, &[first], chrono::Utc::now())
            .await
            .unwrap();
        let second = next().await;
        assert_ne!(first, second, "a VM just visited waits for the others");
        skyclust_server::storage::vms::mark_reconciled(db_handle, &[second], chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(next().await, first, "then it is its turn again");
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
