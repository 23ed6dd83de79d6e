//! Background work that runs for the life of the server.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::state::AppState;
use crate::storage::{idempotency, time, tokens};

/// How often expired token revocations and idempotency keys are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// How often workspaces with running VMs are checked for a due `cost_updated`.
const COST_CHECK_EVERY: Duration = Duration::from_secs(60);

/// Starts the background jobs; they stop when the returned handles are aborted.
pub fn spawn(state: &AppState) -> Vec<JoinHandle<()>> {
    let mut jobs = crate::vms::worker::spawn(state);
    let costs = state.clone();
    jobs.push(tokio::spawn(async move {
        let mut interval = tokio::time::interval(COST_CHECK_EVERY);
        let mut closed_on = None;
        loop {
            interval.tick().await;
            // Once a day (by the server clock), the roll-up closes the day that ended.
            let today = costs.clock.now().date_naive();
            if closed_on != Some(today) {
                match crate::costs::close_days(&costs.db, &costs.catalog, costs.clock.now()).await {
                    Ok(_) => closed_on = Some(today),
                    Err(error) => {
                        tracing::warn!(error = %error, "closing past days of the cost roll-up failed")
                    }
                }
            }
            if let Err(error) = crate::costs::updates::publish_due(&costs).await {
                tracing::warn!(error = %error, "publishing due cost updates failed");
            }
        }
    }));
    let state = state.clone();
    jobs.push(tokio::spawn(async move {
        let mut interval = tokio::time::interval(PURGE_EVERY);
        loop {
            interval.tick().await;
            let now = time::now();
            report_purge("token revocations", tokens::purge_expired(&state.db, now).await);
            report_purge("idempotency keys", idempotency::purge_expired(&state.db, now).await);
        }
    }));
    jobs
}

fn report_purge(what: &str, outcome: Result<u64, sqlx::Error>) {
    match outcome {
        Ok(0) => {}
        Ok(purged) => tracing::debug!(purged, "forgot expired {what}"),
        Err(error) => tracing::warn!(error = %error, "purging expired {what} failed"),
    }
}
