//! VMs: `GET/POST /vms`, `GET/DELETE /vms/{id}`, `POST /vms/{id}/start|stop|reboot`. Requests
//! are checked and recorded here; [`worker`] talks to the providers. Instances SkyClust did not
//! create are found by [`discovery`], brought under management and let go by [`adoption`], and
//! tagged ones nothing manages are reported by [`drift`].
//!
//! Who may do what follows the workspace ([`crate::access`]): anyone who can see it reads its
//! VMs; its owner, its `admin` and `member` members and system admins manage them (its `viewer`
//! members: 403).

pub mod adoption;
pub(crate) mod consent;
pub mod discovery;
pub mod drift;
pub mod status;
pub mod worker;

use serde_json::json;
use skyclust_types::operations::vms::{
    CreateVm, DeleteVm, GetVm, ImportVm, ListVms, RebootVm, StartVm, StopVm,
};
use skyclust_types::{FieldErrors, Provider, Vm, VmAction, VmList, VmStatus, Workspace};
use uuid::Uuid;

use crate::access::{self, Rights};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input, idempotency};
use crate::providers::Check;
use crate::storage::Conflict;
use crate::storage::credentials as stored_credentials;
use crate::storage::operations::OperationKind;
use crate::storage::vms::{self, NewVm, Stored, VmRecord};
use crate::storage::workspaces;

/// Why a VM is refused when the caller's credential may not drive VMs in the workspace.
const NOT_SERVED: &str =
    "Your credentials drive VMs only in workspaces you own or belong to (a system admin is no exception)";

/// An inactive workspace takes no new VMs (its owner can stop a member who keeps creating them,
/// then terminate and remove); the VMs it has can still be stopped and deleted.
/// (Checked again by the insert itself, which a deactivation cannot slip past.)
pub(crate) fn refuse_inactive(workspace: &Workspace) -> ApiResult<()> {
    if workspace.is_active { Ok(()) } else { Err(inactive()) }
}

pub(crate) fn inactive() -> ApiError {
    ApiError::conflict("The workspace is inactive: it takes no new VMs until it is set active again")
}

/// The VM operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListVms, _>(list)
        .endpoint::<CreateVm, _>(create)
        .endpoint::<ImportVm, _>(adoption::import)
        .endpoint::<GetVm, _>(get)
        .endpoint::<DeleteVm, _>(delete)
        .endpoint::<StartVm, _>(|ctx, caller, input: Input<StartVm>| {
            act(ctx, caller, input.path.id, VmAction::Start)
        })
        .endpoint::<StopVm, _>(|ctx, caller, input: Input<StopVm>| {
            act(ctx, caller, input.path.id, VmAction::Stop)
        })
        .endpoint::<RebootVm, _>(|ctx, caller, input: Input<RebootVm>| {
            act(ctx, caller, input.path.id, VmAction::Reboot)
        })
}

/// The VM and the caller's rights in its workspace, if they can see it (404 otherwise).
async fn visible(ctx: &Ctx, caller: &Principal, id: Uuid) -> ApiResult<(VmRecord, Rights)> {
    let not_found = || ApiError::not_found("No such VM");
    let vm = vms::find(&ctx.state.db, id).await?.ok_or_else(not_found)?;
    match access::rights(&ctx.state.db, caller, vm.workspace_id).await? {
        Some((_, rights)) if rights >= Rights::Read => Ok((vm, rights)),
        _ => Err(not_found()),
    }
}

/// The VM, if the caller may change it (404 when they cannot see it, 403 for viewers).
async fn workable(ctx: &Ctx, caller: &Principal, id: Uuid) -> ApiResult<VmRecord> {
    match visible(ctx, caller, id).await? {
        (vm, rights) if rights >= Rights::Work => Ok(vm),
        _ => Err(ApiError::forbidden("Workspace viewers cannot change VMs")),
    }
}

async fn list(ctx: Ctx, principal: Principal, input: Input<ListVms>) -> ApiResult<VmList> {
    let viewer = access::list_scope(&principal);
    let query = input.query;
    let (records, total) = vms::list(&ctx.state.db, viewer, &query).await?;
    Ok(VmList { vms: records.iter().map(VmRecord::to_api).collect(), pagination: query.pagination(total) })
}

async fn get(ctx: Ctx, caller: Principal, input: Input<GetVm>) -> ApiResult<Vm> {
    Ok(visible(&ctx, &caller, input.path.id).await?.0.to_api())
}

async fn create(ctx: Ctx, caller: Principal, input: Input<CreateVm>) -> ApiResult<Vm> {
    let request = input.body;
    let workspace_id = match request.workspace_id {
        Some(id) => id,
        None => workspaces::personal_of(&ctx.state.db, caller.user.id).await?.ok_or_else(|| {
            ApiError::invalid_field("workspace_id", "is required: your account no longer exists")
        })?,
    };
    let refusal = "Workspace viewers cannot create VMs";
    let workspace = access::require(&ctx.state.db, &caller, workspace_id, Rights::Work, refusal).await?;
    let caller = caller.user.id;
    let keyed = idempotency::keyed::<CreateVm>(ctx.idempotency_key.as_deref(), caller, &request);
    if let Some(keyed) = &keyed
        && let Some(first) = idempotency::replay::<Vm>(&ctx.state.db, keyed).await?
    {
        return Ok(replayed(&ctx, first));
    }
    refuse_inactive(&workspace)?;
    // Everything the provider would refuse is refused here, before anything is sent to it.
    let Some(driver) = ctx.state.providers.get(request.provider) else {
        let enabled = format!("provider {} is not enabled", request.provider.as_str());
        return Err(ApiError::invalid_field("provider", enabled));
    };
    let mut problems = FieldErrors::default();
    let offered = ctx.state.catalog.offered(request.provider);
    let zone = driver.check_request(Check { request: &request, offered: &offered, problems: &mut problems });
    problems.into_result()?;
    let credential = match request.credential_id {
        Some(id) => {
            let credential = stored_credentials::find_owned(&ctx.state.db, caller, id)
                .await?
                .ok_or_else(|| ApiError::invalid_field("credential_id", "no such credential of yours"))?;
            if credential.provider != request.provider || !credential.is_active {
                return Err(ApiError::invalid_field(
                    "credential_id",
                    "must be an active credential for this provider",
                ));
            }
            Some(credential.id)
        }
        None => {
            stored_credentials::newest_active(&ctx.state.db, caller, request.provider).await?.map(|c| c.id)
        }
    };
    if credential.is_none() && request.provider != Provider::Sandbox {
        return Err(ApiError::invalid_field(
            "credential_id",
            "you have no active credential for this provider",
        ));
    }
    let vm = vms::insert_with_create(
        &ctx.state.db,
        NewVm {
            workspace_id,
            name: &request.name,
            provider: request.provider,
            instance_type: &request.instance_type,
            region: &request.region,
            zone: zone.as_deref(),
            image_id: request.image_id.as_deref(),
            key_pair: request.key_pair.as_deref(),
            credential_id: credential,
            created_by: caller,
        },
        keyed.as_ref().map(|keyed| (keyed.scope, keyed.request_hash.as_str())),
        ctx.state.clock.now(),
    )
    .await;
    let vm = match (vm, &keyed) {
        (Ok(Stored::Vm(vm)), _) => *vm,
        (Ok(Stored::CredentialNotServing), _) => return Err(ApiError::forbidden(NOT_SERVED)),
        (Ok(Stored::WorkspaceInactive), _) => return Err(inactive()),
        // A concurrent request with the same key committed first: answer its result.
        (Err(error), Some(keyed)) if error.is_conflict(Conflict::Unique) => {
            let first = idempotency::replay::<Vm>(&ctx.state.db, keyed).await?;
            return first.map(|first| replayed(&ctx, first)).ok_or_else(|| error.into());
        }
        (Err(error), _) => return Err(error.into()),
    };
    ctx.audit(|note| {
        note.resource_id = Some(vm.id.to_string());
        note.details =
            Some(json!({"name": vm.name, "provider": vm.provider.as_str(), "workspace_id": vm.workspace_id}));
    });
    Ok(vm.to_api())
}

/// A repeated request's answer: the first result, noted as such in the audit entry.
fn replayed(ctx: &Ctx, first: Vm) -> Vm {
    ctx.audit(|note| {
        note.resource_id = Some(first.id.to_string());
        note.details = Some(json!({"name": first.name, "idempotent_replay": true}));
    });
    first
}

async fn delete(ctx: Ctx, caller: Principal, input: Input<DeleteVm>) -> ApiResult<Vm> {
    if !input.query.release {
        return act(ctx, caller, input.path.id, VmAction::Delete).await;
    }
    let vm = workable(&ctx, &caller, input.path.id).await?;
    adoption::release(&ctx, vm).await
}

async fn act(ctx: Ctx, caller: Principal, id: Uuid, action: VmAction) -> ApiResult<Vm> {
    let vm = workable(&ctx, &caller, id).await?;
    if !vm.status.actions().contains(&action) {
        return Err(ApiError::conflict(format!(
            "A VM that is {} cannot be asked to {}",
            vm.status.as_str(),
            verb(action)
        )));
    }
    let (status, kind) = match action {
        VmAction::Start => (VmStatus::Starting, OperationKind::Start),
        VmAction::Stop => (VmStatus::Stopping, OperationKind::Stop),
        VmAction::Reboot => (VmStatus::Starting, OperationKind::Reboot),
        VmAction::Delete => (VmStatus::Terminating, OperationKind::Terminate),
    };
    let metered = (ctx.state.clock.now(), ctx.state.catalog.rates_of(&vm));
    let viewers = workspaces::viewers(&ctx.state.db, vm.workspace_id).await?;
    let updated = vms::request_action(&ctx.state.db, id, (vm.status, status), kind, metered)
        .await?
        .ok_or_else(|| ApiError::conflict("The VM changed status meanwhile; look again and retry"))?;
    if updated.status != vm.status {
        status::announce_to(&ctx.state.events, viewers, &updated, Some(vm.status));
    }
    Ok(updated.to_api())
}

fn verb(action: VmAction) -> &'static str {
    match action {
        VmAction::Start => "start",
        VmAction::Stop => "stop",
        VmAction::Reboot => "reboot",
        VmAction::Delete => "be deleted",
    }
}
