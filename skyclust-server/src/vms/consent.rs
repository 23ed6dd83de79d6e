//! Whether a VM's credential may be used now, and its decrypted fields when it may: the
//! worker, the reconciler and releasing an adopted VM ask here.

use skyclust_types::Provider;

use crate::crypto::Vault;
use crate::providers::{self, Secrets};
use crate::storage::credentials::{self as stored_credentials, CredentialRecord};
use crate::storage::users;
use crate::storage::vms::VmRecord;
use crate::storage::{Database, DbError};

/// Whether a use of a VM's credential needs its owner's standing consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Consent {
    Required,
    NotNeeded,
}

/// Whether a VM's credential may be used now.
pub(crate) enum CredentialUse {
    /// Yes: its decrypted fields, for the driver.
    Granted(Secrets),
    /// No, and why.
    Withheld(String),
}

/// The decrypted credential a VM uses (none for providers that need none; the sandbox's
/// account is the credential's owner's, or the VM creator's without one).
pub(crate) async fn vm_secrets(
    (db, vault): (&Database, &Vault),
    vm: &VmRecord,
    consent: Consent,
) -> Result<CredentialUse, DbError> {
    let Some(credential_id) = vm.credential_id else {
        let secrets = Secrets::default();
        return Ok(CredentialUse::Granted(match vm.provider {
            Provider::Sandbox => providers::sandbox::with_account(secrets, vm.created_by),
            _ => secrets,
        }));
    };
    let Some(record) = stored_credentials::find(db, credential_id).await? else {
        return Ok(CredentialUse::Withheld("the VM's credential was deleted".into()));
    };
    if consent == Consent::Required
        && let Some(reason) = withheld_consent(db, vm, &record).await?
    {
        return Ok(CredentialUse::Withheld(reason.into()));
    }
    Ok(match super::discovery::driver_secrets(vault, &record) {
        Ok(secrets) => CredentialUse::Granted(secrets),
        Err(_) => CredentialUse::Withheld("the VM's credential cannot be decrypted".into()),
    })
}

/// Why the owner of `record` does not consent to its use for `vm`, if they do not: a credential
/// is used only while active, held by an active user who still belongs to the VM's workspace.
async fn withheld_consent(
    db: &Database,
    vm: &VmRecord,
    record: &CredentialRecord,
) -> Result<Option<&'static str>, DbError> {
    if !record.is_active {
        return Ok(Some("the VM's credential was set inactive by its owner"));
    }
    if !users::find(db, record.user_id).await?.is_some_and(|owner| owner.is_active) {
        return Ok(Some("the owner of the VM's credential is deactivated"));
    }
    let in_workspace = crate::access::credential_serves(db, vm.workspace_id, record.user_id).await?;
    Ok((!in_workspace).then_some("the owner of the VM's credential is no longer a member of its workspace"))
}
