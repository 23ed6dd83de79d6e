//! Cloud resources are driven only with their credential owner's standing consent, and never
//! lose their record while the instance may still run.

use skyclust_sdk::types::{
    AddMemberRequest, CreateCredentialRequest, CreateVmRequest, CreateWorkspaceRequest, MemberRole, Provider,
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

/// Stops `vm` and returns it as the worker left it.
async fn stopped(client: &SkyClustClient, vm: &Vm) -> Vm {
    client.vms().stop(vm.id).await.unwrap();
    client.vms().wait_until(vm.id, VmStatus::Stopped, PATIENCE).await.unwrap()
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
        let shared = ada
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "shared".into(), description: None })
            .await
            .unwrap();
        ada.workspaces()
            .add_member(shared.id, &AddMemberRequest { user_id: bob_id, role: Some(MemberRole::Member) })
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
        let on_bob =
            |name: &str| CreateVmRequest { credential_id: Some(lab.id), ..sandbox_vm(shared.id, name) };
        let (first, second, third) = (
            running(&bob, &on_bob("first")).await,
            running(&bob, &on_bob("second")).await,
            running(&bob, &on_bob("third")).await,
        );

        // Bob withdraws his credential: Ada's stop ends in `error`, with the reason.
        bob.credentials().update(lab.id, &active(false)).await.unwrap();
        let refused = stopped(&ada, &first).await;
        assert_eq!(refused.status, VmStatus::Error);
        assert!(refused.status_reason.as_deref().unwrap_or_default().contains("inactive"), "{refused:?}");
        bob.credentials().update(lab.id, &active(true)).await.unwrap();

        // Bob cannot be removed while his credential serves live VMs; the refusal names them.
        let error = ada.workspaces().remove_member(shared.id, bob_id).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::Conflict));
        let message = error.to_string();
        assert!(message.contains(&second.id.to_string()) && message.contains("third"), "{message}");

        // A deactivated owner's credential is not used either.
        ada.users().update(bob_id, &user_active(false)).await.unwrap();
        let refused = stopped(&ada, &second).await;
        assert_eq!(refused.status, VmStatus::Error);
        assert!(refused.status_reason.as_deref().unwrap_or_default().contains("deactivated"), "{refused:?}");
        ada.users().update(bob_id, &user_active(true)).await.unwrap();

        // Had a membership gone anyway (removed while a VM was being created), the worker
        // still refuses the credential of someone outside the workspace.
        sqlx::query("DELETE FROM workspace_members WHERE user_id = $1")
            .bind(bob_id.to_string())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        let refused = stopped(&ada, &third).await;
        assert_eq!(refused.status, VmStatus::Error);
        assert!(
            refused.status_reason.as_deref().unwrap_or_default().contains("no longer a member"),
            "{refused:?}"
        );
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
        let own = bob
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "own".into(), description: None })
            .await
            .unwrap();
        let vm = running(&bob, &sandbox_vm(own.id, "keeper")).await;

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
