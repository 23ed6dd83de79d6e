//! `cost_updated`: a workspace's 30-day figure, sent to everyone who can see the workspace
//! when one of its VMs starts running, stops or is terminated, and at most once an hour per
//! workspace while its VMs run.

use chrono::Duration;
use skyclust_types::VmStatus;
use skyclust_types::costs::CostPeriod;
use skyclust_types::events::CostUpdate;
use uuid::Uuid;

use super::metering::{Micros, to_cents};
use super::{dollars, measure};
use crate::events::Publisher;
use crate::storage::DbError;
use crate::storage::costs::MeterScope;
use crate::storage::vms;
use crate::storage::workspaces;

/// The longest a workspace with running VMs goes without a `cost_updated`.
pub const EVERY: Duration = Duration::hours(1);

/// The period `cost_updated` figures cover.
const PERIOD: CostPeriod = CostPeriod::Month;

/// Whether a VM entering `status` changes its workspace's figures in a way worth announcing.
pub fn changes_costs(status: VmStatus) -> bool {
    matches!(status, VmStatus::Running | VmStatus::Stopped | VmStatus::Terminated)
}

/// Sends the workspace's current figure to everyone who can see it.
pub async fn publish(publisher: Publisher<'_>, workspace: Uuid) -> Result<(), DbError> {
    let now = publisher.clock.now();
    workspaces::record_cost_update(publisher.db, workspace, now).await?;
    let scope = MeterScope { workspace: Some(workspace), ..MeterScope::default() };
    let usage = measure(publisher.db, publisher.catalog, scope, (PERIOD, now), true).await?;
    send(publisher, workspace, usage.by_workspace.get(&workspace).copied().unwrap_or(0)).await
}

/// Sends the figures of workspaces with running VMs whose last one is an hour old or more
/// (by the server clock), all metered in one pass. Each workspace is claimed in the database
/// first, so with several replicas running this job each figure is sent by one of them.
/// Returns how many were sent.
pub async fn publish_due(publisher: Publisher<'_>) -> Result<usize, DbError> {
    let now = publisher.clock.now();
    let mut due = Vec::new();
    for workspace in vms::workspaces_running(publisher.db).await? {
        if workspaces::claim_cost_update(publisher.db, workspace, now, now - EVERY).await? {
            due.push(workspace);
        }
    }
    if due.is_empty() {
        return Ok(0);
    }
    let usage = measure(publisher.db, publisher.catalog, MeterScope::default(), (PERIOD, now), true).await?;
    for workspace in &due {
        send(publisher, *workspace, usage.by_workspace.get(workspace).copied().unwrap_or(0)).await?;
    }
    Ok(due.len())
}

async fn send(publisher: Publisher<'_>, workspace: Uuid, total: Micros) -> Result<(), DbError> {
    let viewers = workspaces::viewers(publisher.db, workspace).await?;
    publisher.events.cost_updated(
        viewers,
        CostUpdate {
            workspace_id: workspace,
            period: PERIOD.as_str().to_owned(),
            total_cost: dollars(to_cents(total)),
            currency: publisher.catalog.currency().to_owned(),
        },
    );
    Ok(())
}
