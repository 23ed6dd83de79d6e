//! Background work that runs for the life of the server.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;

use crate::state::AppState;
use crate::storage::DbError;
use crate::storage::{idempotency, leases, tokens};

/// How often expired token revocations and idempotency keys are forgotten.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// How often workspaces with running VMs are checked for a due `cost_updated`.
const COST_CHECK_EVERY: Duration = Duration::from_secs(60);

/// Starts the background jobs; they stop when the returned handles are aborted.
pub fn spawn(state: &AppState) -> Vec<JoinHandle<()>> {
    let mut jobs = crate::vms::worker::spawn(state);
    // Each reconciler pass asks the provider about every live VM; the lease outlives three
    // periods, so a dead holder is replaced soon after.
    let period = Duration::from_secs(state.config.reconcile_secs.max(1));
    let reconciler = Leased {
        lease: crate::vms::worker::RECONCILER_LEASE,
        job: "vm_reconciler",
        what: "reconciling VMs",
        period,
        hold: period * 3,
        first_after: Duration::ZERO,
    };
    jobs.push(reconciler.spawn(state, |state| async move { crate::vms::worker::reconcile(&state).await }));
    // Whole accounts are read, far less often than VMs, and first a period after the start: a
    // restart does not read every account again.
    let period = Duration::from_secs(state.config.drift_secs.max(60));
    let drift = Leased {
        lease: crate::vms::drift::DRIFT_LEASE,
        job: "vm_drift",
        what: "checking for drifted instances",
        period,
        hold: period,
        first_after: period,
    };
    jobs.push(drift.spawn(state, |state| async move { crate::vms::drift::report(&state).await }));
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
            let result = crate::costs::updates::publish_due(costs.publisher()).await;
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
            let now = crate::clock::real_now();
            let revocations = tokens::purge_expired(&state.db, now).await;
            let keys = idempotency::purge_expired(&state.db, now).await;
            state.metrics.job_run("purge_expired", revocations.is_ok() && keys.is_ok(), started);
            report_purge("token revocations", revocations);
            report_purge("idempotency keys", keys);
        }
    }));
    jobs
}

/// A periodic job one replica runs at a time: whoever holds the database lease when a period
/// begins runs it.
struct Leased {
    /// The lease's name.
    lease: &'static str,
    /// The `job` label of its runs in the metrics.
    job: &'static str,
    /// What it does, for the warning when it fails.
    what: &'static str,
    period: Duration,
    /// How long a holder keeps the lease without renewing it.
    hold: Duration,
    /// How long after the start the first run comes.
    first_after: Duration,
}

impl Leased {
    fn spawn<F, Fut, T>(self, state: &AppState, run: F) -> JoinHandle<()>
    where
        F: Fn(AppState) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, DbError>> + Send,
    {
        let state = state.clone();
        tokio::spawn(async move {
            let holder = format!("{}-{}", self.lease, uuid::Uuid::new_v4().simple());
            let hold = chrono::Duration::from_std(self.hold).unwrap_or(chrono::Duration::hours(1));
            let mut ticks =
                tokio::time::interval_at(tokio::time::Instant::now() + self.first_after, self.period);
            loop {
                ticks.tick().await;
                let now = crate::clock::real_now();
                match leases::acquire(&state.db, self.lease, &holder, now, now + hold).await {
                    Ok(true) => {
                        let started = Instant::now();
                        let result = run(state.clone()).await;
                        state.metrics.job_run(self.job, result.is_ok(), started);
                        if let Err(error) = result {
                            tracing::warn!(error = %error, "{} failed", self.what);
                        }
                    }
                    Ok(false) => {}
                    Err(error) => {
                        tracing::warn!(error = %error, "the lease for {} could not be checked", self.what)
                    }
                }
            }
        })
    }
}

fn report_purge(what: &str, outcome: Result<u64, DbError>) {
    match outcome {
        Ok(0) => {}
        Ok(purged) => tracing::debug!(purged, "forgot expired {what}"),
        Err(error) => tracing::warn!(error = %error, "purging expired {what} failed"),
    }
}
