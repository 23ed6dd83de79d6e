//! Adoption: `POST /vms/import` brings an instance SkyClust did not create under management,
//! `DELETE /vms/{id}?release=true` lets one go without terminating it.
//!
//! The database decides who manages an instance (one live VM per instance, enforced by a
//! unique index, so concurrent adoptions of one instance store one VM); the provider-side
//! `skyclust-vm-id` tag says so to anyone reading the account, and is what the drift check
//! ([`super::drift`]) reads when the database has forgotten a VM.

use serde_json::json;
use skyclust_types::operations::vms::ImportVm;
use skyclust_types::validation::printable;
use skyclust_types::{ImportVmRequest, NotificationType, Priority, Vm, VmStatus};
use uuid::Uuid;

use super::consent::{Consent, CredentialUse, vm_secrets};
use super::discovery::{driver_secrets, not_enabled, provider_failure, region_problem};
use super::status;
use crate::access::{self, Rights};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::http::{Ctx, Input};
use crate::notifications::{Notice, notify};
use crate::providers::{Discovered, InstanceRef, ProviderError};
use crate::storage::Conflict;
use crate::storage::adoption::{self, AdoptedVm};
use crate::storage::credentials as stored_credentials;
use crate::storage::vms::{Stored, VmRecord};

/// Why an import is refused when the caller's credential may not serve the workspace.
const NOT_SERVED: &str = "Your credential can bring instances only into workspaces you own or belong to";

/// What a released VM's `status_reason` says.
pub const RELEASED: &str =
    "released: SkyClust no longer manages this instance, which it left as it was at the provider";

pub(super) async fn import(ctx: Ctx, caller: Principal, input: Input<ImportVm>) -> ApiResult<Vm> {
    let request: ImportVmRequest = input.body;
    let refusal = "Workspace viewers cannot import VMs";
    let workspace =
        access::require(&ctx.state.db, &caller, request.workspace_id, Rights::Work, refusal).await?;
    super::refuse_inactive(&workspace)?;
    let caller = caller.user.id;
    let credential = stored_credentials::find_owned(&ctx.state.db, caller, request.credential_id)
        .await?
        .filter(|credential| credential.is_active)
        .ok_or_else(|| ApiError::invalid_field("credential_id", "must be an active credential of yours"))?;
    // Like the worker's consent rule: a credential drives VMs only in workspaces its owner
    // belongs to (a system admin who sees every workspace is no exception).
    if !access::credential_serves(&ctx.state.db, request.workspace_id, caller).await? {
        return Err(ApiError::forbidden(NOT_SERVED));
    }
    let provider = credential.provider;
    let Some(driver) = ctx.state.providers.get(provider).cloned() else {
        return Err(not_enabled(provider));
    };
    if let Some(problem) = region_problem(&ctx.state.catalog, provider, &request.region) {
        return Err(ApiError::invalid_field("region", problem));
    }
    let secrets = driver_secrets(&ctx.state.vault, &credential)?;
    let reference = InstanceRef {
        region: request.region.clone(),
        zone: None,
        instance_id: request.provider_instance_id.clone(),
        request_id: Uuid::new_v4(),
    };
    let instance = match driver.inspect(&secrets, &reference).await {
        Ok(instance) => instance,
        Err(ProviderError::NotFound(_)) => {
            return Err(ApiError::not_found(format!(
                "The provider has no instance {} in {} of this credential's account",
                request.provider_instance_id, request.region
            )));
        }
        Err(error) => return Err(provider_failure(&error)),
    };
    if matches!(instance.status, VmStatus::Terminated | VmStatus::Terminating) {
        return Err(ApiError::conflict(format!(
            "The instance is {} at the provider; only a live instance can be imported",
            instance.provider_status
        )));
    }
    if let Some(owner) = instance.owner()
        && adoption::tag_holds(&ctx.state.db, owner, &instance.instance_id).await?
    {
        return Err(ApiError::conflict("A SkyClust VM already manages this instance"));
    }
    let name = name_of(request.name.as_deref(), &instance);
    let adopted = AdoptedVm {
        workspace_id: request.workspace_id,
        name: &name,
        provider,
        credential_id: credential.id,
        created_by: caller,
        instance: &instance,
        status: instance.status,
    };
    let vm = match adoption::insert(&ctx.state.db, adopted, ctx.state.clock.now()).await {
        Ok(Stored::Vm(vm)) => *vm,
        Ok(Stored::CredentialNotServing) => return Err(ApiError::forbidden(NOT_SERVED)),
        Ok(Stored::WorkspaceInactive) => return Err(super::inactive()),
        Err(error) if error.is_conflict(Conflict::Unique) => {
            return Err(ApiError::conflict("A SkyClust VM already manages this instance"));
        }
        Err(error) => return Err(error.into()),
    };
    let reference =
        InstanceRef { zone: vm.zone.clone(), instance_id: instance.instance_id.clone(), ..reference };
    if let Err(error) = driver.set_owner(&secrets, &reference, Some(vm.id)).await {
        // The tag may have been written all the same (an answer lost): take it off again, so
        // no instance names a VM that was never kept.
        if let Err(untag) = driver.set_owner(&secrets, &reference, None).await {
            tracing::warn!(vm = %vm.id, error = %untag, "an adoption that failed may have left its tag");
        }
        adoption::discard(&ctx.state.db, vm.id).await?;
        return Err(provider_failure(&error));
    }
    ctx.state.discovery.forget(credential.id);
    status::announce_new(ctx.state.publisher(), &vm).await?;
    ctx.audit(|note| {
        note.resource_id = Some(vm.id.to_string());
        note.details = Some(json!({
            "name": vm.name,
            "provider": provider.as_str(),
            "workspace_id": vm.workspace_id,
            "instance_id": vm.instance_id,
        }));
    });
    Ok(vm.to_api())
}

/// The name an adopted VM gets: the one asked for, else the instance's own (cut to 255
/// characters), else its id.
fn name_of(asked: Option<&str>, instance: &Discovered) -> String {
    asked
        .map(str::to_owned)
        .or_else(|| {
            instance
                .name
                .as_deref()
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(|name| name.chars().take(255).collect())
        })
        .unwrap_or_else(|| instance.instance_id.chars().take(255).collect())
}

/// `DELETE /vms/{id}?release=true` of a VM the caller may manage.
pub(super) async fn release(ctx: &Ctx, vm: VmRecord) -> ApiResult<Vm> {
    let (VmStatus::Running | VmStatus::Stopped, Some(instance_id)) = (vm.status, vm.instance_id.clone())
    else {
        return Err(ApiError::conflict(format!(
            "A VM that is {} cannot be released; only a running or stopped one can",
            vm.status.as_str()
        )));
    };
    let Some(driver) = ctx.state.providers.get(vm.provider).cloned() else {
        return Err(not_enabled(vm.provider));
    };
    let secrets = match vm_secrets((&ctx.state.db, &ctx.state.vault), &vm, Consent::Required).await? {
        CredentialUse::Granted(secrets) => secrets,
        CredentialUse::Withheld(reason) => {
            return Err(ApiError::conflict(format!("The VM cannot be released: {reason}")));
        }
    };
    let reference = InstanceRef {
        region: vm.region.clone(),
        zone: vm.zone.clone(),
        instance_id,
        request_id: Uuid::new_v4(),
    };
    match driver.set_owner(&secrets, &reference, None).await {
        Ok(()) => {}
        Err(ProviderError::NotFound(_)) => {
            return Err(ApiError::conflict(
                "The provider no longer has the VM's instance: delete the VM instead of releasing it",
            ));
        }
        Err(error) => return Err(provider_failure(&error)),
    }
    let metered = (ctx.state.clock.now(), ctx.state.catalog.rates_of(&vm));
    let Some(released) = adoption::release(&ctx.state.db, vm.id, vm.status, RELEASED, metered).await? else {
        // A request changed the VM between the check and the release: while it stays managed,
        // its tag goes back (not when a concurrent release let it go).
        if adoption::is_live(&ctx.state.db, vm.id).await?
            && let Err(error) = driver.set_owner(&secrets, &reference, Some(vm.id)).await
        {
            tracing::warn!(vm = %vm.id, error = %error, "a VM kept under management could not be tagged again");
        }
        return Err(ApiError::conflict(
            "The VM changed meanwhile or a request of it is still under way; look again and retry",
        ));
    };
    if let Some(credential) = vm.credential_id {
        ctx.state.discovery.forget(credential);
    }
    status::announce(ctx.state.publisher(), &released, vm.status).await?;
    status::publish_costs(ctx.state.publisher(), &released).await;
    let message = format!(
        "\"{}\" is no longer managed by SkyClust; its instance was left as it was",
        printable(&released.name)
    );
    let notice = Notice {
        title: "VM released".into(),
        message,
        kind: NotificationType::Info,
        priority: Priority::Low,
    };
    notify(&ctx.state.db, &ctx.state.events, released.created_by, notice).await;
    ctx.audit(|note| note.details = Some(json!({"name": released.name, "release": true})));
    Ok(released.to_api())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adopted_vms_are_named_after_their_instance() {
        let instance = Discovered { name: Some("  legacy-db ".into()), ..Discovered::running("i-0abc") };
        assert_eq!(name_of(Some("mine"), &instance), "mine");
        assert_eq!(name_of(None, &instance), "legacy-db");
        let unnamed = Discovered { name: Some(" ".into()), ..instance.clone() };
        assert_eq!(name_of(None, &unnamed), "i-0abc");
        let long = Discovered { name: Some("x".repeat(300)), ..instance };
        assert_eq!(name_of(None, &long).len(), 255);
    }
}
