//! Drift: instances that carry a `skyclust-vm-id` tag naming a VM that does not exist (or no
//! longer manages anything), as after restoring an older database. Each is reported once, as a
//! warning notification to the owner of the credential whose account runs it. SkyClust never
//! adopts or terminates such an instance on its own: only its owner knows whether it should run.

use skyclust_types::{NotificationType, Priority, VmStatus};

use super::discovery::{MAX_LISTED, default_regions, driver_secrets};
use crate::notifications::{Notice, notify};
use crate::state::AppState;
use crate::storage::DbError;
use crate::storage::adoption;
use crate::storage::credentials::{self, CredentialRecord};

/// Credentials read from the database at once.
const PAGE: i64 = 100;
/// How long one region may take to answer.
const REGION_DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// The lease of the drift check (one replica at a time).
pub const DRIFT_LEASE: &str = "vm-drift";

/// Goes through the accounts of every active credential of an active user, a page of
/// credentials at a time and one region at a time (each within [`REGION_DEADLINE`]); returns
/// how many drifted instances this pass reported for the first time.
pub async fn report(state: &AppState) -> Result<usize, DbError> {
    let mut reported = 0;
    let mut after = String::new();
    loop {
        let page = credentials::in_use(&state.db, &after, PAGE).await?;
        let Some(last) = page.last() else { return Ok(reported) };
        after = last.id.to_string();
        for credential in &page {
            reported += report_account(state, credential).await?;
        }
    }
}

async fn report_account(state: &AppState, credential: &CredentialRecord) -> Result<usize, DbError> {
    let mut reported = 0;
    let Some(driver) = state.providers.get(credential.provider).cloned() else { return Ok(0) };
    let Ok(secrets) = driver_secrets(&state.vault, credential) else { return Ok(0) };
    for region in default_regions(&state.catalog, credential) {
        let read = tokio::time::timeout(REGION_DEADLINE, driver.list(&secrets, &region, MAX_LISTED));
        let instances = match read.await {
            Ok(Ok(instances)) => instances,
            Ok(Err(error)) => {
                tracing::debug!(credential = %credential.id, region, error = %error, "drift check skipped a region");
                continue;
            }
            Err(_) => {
                tracing::debug!(credential = %credential.id, region, "drift check skipped a region that did not answer");
                continue;
            }
        };
        for instance in instances {
            let Some(tagged) = instance.owner() else { continue };
            if matches!(instance.status, VmStatus::Terminated | VmStatus::Terminating)
                || adoption::tag_holds(&state.db, tagged, &instance.instance_id).await?
            {
                continue;
            }
            let first = adoption::first_drift_report(
                &state.db,
                credential.id,
                &instance.instance_id,
                tagged,
                state.clock.now(),
            )
            .await?;
            if !first {
                continue;
            }
            reported += 1;
            let message = format!(
                "Instance {} in {} (credential \"{}\") is tagged skyclust-vm-id={tagged}, but no SkyClust VM \
                     manages it; was the database restored? It is left as it is: import it with POST /vms/import \
                     or remove it at the provider.",
                instance.instance_id, region, credential.name
            );
            let notice = Notice {
                title: "Unmanaged SkyClust instance".into(),
                message,
                kind: NotificationType::Warning,
                priority: Priority::Medium,
            };
            notify(&state.db, &state.events, credential.user_id, notice).await;
        }
    }
    Ok(reported)
}
