//! A VM's status changes: persisted with their time, published as `vm_status_changed` to
//! whoever can see the workspace, followed by `cost_updated` when they change what it costs,
//! and (running, error, terminated) a notification to the VM's creator.

use skyclust_types::events::VmStatusChange;
use skyclust_types::validation::printable;
use skyclust_types::{NotificationType, Priority, VmStatus};
use uuid::Uuid;

use crate::costs;
use crate::events::{Events, Publisher};
use crate::notifications::{Notice, notify};
use crate::providers::InstanceState;
use crate::storage::DbError;
use crate::storage::vms::{self, Observed, VmRecord};
use crate::storage::workspaces;

/// Persists a status, and when it changed: publishes the event and notifies the creator.
pub(super) async fn apply(
    publisher: Publisher<'_>,
    vm: &VmRecord,
    status: VmStatus,
    reason: Option<&str>,
    instance_id: Option<&str>,
    observed: &InstanceState,
) -> Result<(), DbError> {
    let observed = Observed {
        instance_id,
        public_ip: observed.public_ip.as_deref(),
        private_ip: observed.private_ip.as_deref(),
        zone: observed.zone.as_deref(),
        image_id: observed.image_id.as_deref(),
    };
    let Some((updated, Some(previous))) = vms::record_status(
        publisher.db,
        vm.id,
        (status, reason),
        observed,
        (publisher.clock.now(), publisher.catalog.rates_of(vm)),
    )
    .await?
    else {
        return Ok(());
    };
    announce(publisher, &updated, previous).await?;
    publish_costs(publisher, &updated).await;
    let notice = match status {
        VmStatus::Running => Some((
            NotificationType::Success,
            Priority::Low,
            format!("\"{}\" is running", printable(&updated.name)),
        )),
        VmStatus::Terminated => Some((
            NotificationType::Info,
            Priority::Low,
            format!("\"{}\" was terminated", printable(&updated.name)),
        )),
        VmStatus::Error => Some((
            NotificationType::Error,
            Priority::High,
            format!("\"{}\" failed: {}", printable(&updated.name), reason.unwrap_or("unknown error")),
        )),
        _ => None,
    };
    if let Some((kind, priority, message)) = notice {
        let title = format!("VM {}", status.as_str());
        notify(publisher.db, publisher.events, updated.created_by, Notice { title, message, kind, priority })
            .await;
    }
    Ok(())
}

/// Publishes `cost_updated` to the VM's workspace when its status changes what it costs.
pub async fn publish_costs(publisher: Publisher<'_>, vm: &VmRecord) {
    if costs::updates::changes_costs(vm.status)
        && let Err(error) = costs::updates::publish(publisher, vm.workspace_id).await
    {
        // The status is stored and announced; the figure goes out with the next change (hourly while VMs run).
        tracing::warn!(workspace = %vm.workspace_id, error = %error, "publishing cost_updated failed");
    }
}

/// Publishes `vm_status_changed` for a VM that just appeared in its status (an adopted one),
/// with no previous status.
pub async fn announce_new(publisher: Publisher<'_>, vm: &VmRecord) -> Result<(), DbError> {
    let viewers = workspaces::viewers(publisher.db, vm.workspace_id).await?;
    announce_to(publisher.events, viewers, vm, None);
    publish_costs(publisher, vm).await;
    Ok(())
}

/// Publishes `vm_status_changed` for a VM that just left `previous`, to whoever can see its
/// workspace.
pub async fn announce(publisher: Publisher<'_>, vm: &VmRecord, previous: VmStatus) -> Result<(), DbError> {
    let viewers = workspaces::viewers(publisher.db, vm.workspace_id).await?;
    announce_to(publisher.events, viewers, vm, Some(previous));
    Ok(())
}

/// As [`announce`] (`previous` is `None` for a VM that just appeared), to `viewers` read
/// beforehand: a request that hands the VM to the worker publishes its change without a
/// database round trip after its commit, so the worker's next change cannot be heard first.
pub fn announce_to(events: &Events, viewers: Vec<Uuid>, vm: &VmRecord, previous: Option<VmStatus>) {
    events.vm_status_changed(
        viewers,
        VmStatusChange {
            vm_id: vm.id,
            workspace_id: vm.workspace_id,
            status: vm.status,
            previous_status: previous,
            timestamp: vm.updated_at,
        },
    );
}
