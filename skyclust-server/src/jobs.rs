//! Background work that runs for the life of the server.

use std::time::{Duration, Instant};

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
                let started = Instant::now();
                let result = crate::costs::close_days(&costs.db, &costs.catalog, costs.clock.now()).await;
                costs.metrics.job_run("cost_close_days", result.is_ok(), started);
                match result {
                    Ok(_) => closed_on = Some(today),
                    Err(error) => {
                        tracing::warn!(error = %error, "closing past days of the cost roll-up failed")
                    }
                }
            }
            let started = Instant::now();
            let result = crate::costs::updates::publish_due(&costs).await;
            costs.metrics.job_run("cost_updates", result.is_ok(), started);
            if let Err(error) = result {
                tracing::warn!(error = %error, "publishing due cost updates failed");
            }
        }
    }));
    let state = state.clone();
    jobs.push(tokio::spawn(async move {
        let mut interval = tokio::time::interval(PURGE_EVERY);
        loop {
            interval.tick().await;
            let started = Instant::now();
            let now = time::now();
            let revocations = tokens::purge_expired(&state.db, now).await;
            let keys = idempotency::purge_expired(&state.db, now).await;
            state.metrics.job_run("purge_expired", revocations.is_ok() && keys.is_ok(), started);
            report_purge("token revocations", revocations);
            report_purge("idempotency keys", keys);
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
