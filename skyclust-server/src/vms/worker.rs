//! The VM worker: executes durable operations (create, start, stop, reboot, terminate) by
//! leasing them from the database, retries what the provider says is retryable with backoff,
//! waits for transitions by re-reading the provider, and reconciles live VMs periodically.
//! Every status change is persisted with its time, published as `vm_status_changed`, and
//! the important ones (running, error, terminated) notify the VM's creator.

use std::time::Duration;

use skyclust_types::{Provider as ProviderKind, VmStatus};
use tokio::task::JoinHandle;
use tracing::Instrument;
use uuid::Uuid;

use super::consent::{Consent, CredentialUse, vm_secrets};
use super::status::apply;
use crate::metrics::VmOutcome;
use crate::providers::{
    self, Change, HELD, InstanceRef, InstanceSpec, InstanceState, ProviderError, StateResult,
};
use crate::state::AppState;
use crate::storage::DbError;
use crate::storage::operations::{self, OperationKind, OperationRecord};
use crate::storage::vms::{self, VmRecord};

/// How long a claimed operation is leased before another worker may take it over.
const LEASE: Duration = Duration::from_secs(60);
/// Attempts at a provider call that keeps failing with retryable errors.
const MAX_ATTEMPTS: u32 = 6;
/// How long an operation may wait for its transition before the VM is marked `error`.
const GIVE_UP_AFTER: chrono::Duration = chrono::Duration::minutes(15);

/// The lease of the reconciler (one replica at a time).
pub const RECONCILER_LEASE: &str = "vm-reconciler";

/// Starts the worker (the reconciler and the drift check are [`crate::jobs`]).
pub fn spawn(state: &AppState) -> Vec<JoinHandle<()>> {
    let worker = {
        let state = state.clone();
        tokio::spawn(async move {
            let id = format!("worker-{}", Uuid::new_v4().simple());
            let idle = Duration::from_millis(state.config.worker_poll_ms.max(1));
            // Operations of different VMs run side by side (a GCP insert waits on its zone
            // operation for seconds); `claim` never hands out two of the same VM at once.
            let slots =
                std::sync::Arc::new(tokio::sync::Semaphore::new(state.config.worker_concurrency.max(1)));
            // Owned here, so stopping the worker stops the operations it runs.
            let mut running = tokio::task::JoinSet::new();
            loop {
                while running.try_join_next().is_some() {}
                let Ok(slot) = slots.clone().acquire_owned().await else { return };
                match run_due(&state, &id).await {
                    Ok(Some(operation)) => {
                        running.spawn(async move {
                            operation.await;
                            drop(slot);
                        });
                        continue;
                    }
                    Ok(None) => {}
                    Err(error) => tracing::warn!(error = %error, "the VM worker could not claim work"),
                }
                drop(slot);
                tokio::time::sleep(idle).await;
            }
        })
    };
    vec![worker]
}

/// Claims one due operation and returns its run, `None` when there was none.
async fn run_due(
    state: &AppState,
    worker: &str,
) -> Result<Option<impl std::future::Future<Output = ()> + Send + 'static>, DbError> {
    let now = crate::clock::real_now();
    let lease = now + chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::seconds(60));
    let Some(operation) = operations::claim(&state.db, worker, now, lease).await? else {
        return Ok(None);
    };
    let state = state.clone();
    // The request's id links the request's log lines and trace to the work it asked for.
    let span = tracing::info_span!(
        "vm_operation",
        request_id = operation.request_id.as_deref().unwrap_or_default(),
        operation_id = %operation.id,
        vm_id = %operation.vm_id,
        kind = operation.kind.as_str(),
        attempt = operation.attempts,
    );
    Ok(Some(
        async move {
            if let Err(error) = execute(&state, &operation).await {
                // Storage failed mid-way: let the lease run out and the operation be retried.
                tracing::error!(error = %error, operation = %operation.id, "a VM operation was interrupted");
            }
        }
        .instrument(span),
    ))
}

async fn execute(state: &AppState, operation: &OperationRecord) -> Result<(), DbError> {
    let Some(vm) = vms::find(&state.db, operation.vm_id).await? else {
        return finish(state, operation, None, VmOutcome::Failed, Some("the VM no longer exists")).await;
    };
    let Some(driver) = state.providers.get(vm.provider).cloned() else {
        return fail(state, operation, &vm, &format!("provider {} is not enabled", vm.provider.as_str()))
            .await;
    };
    // Terminating is always allowed: it is how an instance on a withdrawn credential stops
    // running and billing its owner.
    let consent =
        if operation.kind == OperationKind::Terminate { Consent::NotNeeded } else { Consent::Required };
    let secrets = match vm_secrets((&state.db, &state.vault), &vm, consent).await? {
        CredentialUse::Granted(secrets) => secrets,
        CredentialUse::Withheld(reason) => return refuse(state, operation, &vm, &reason).await,
    };
    let target = match operation.kind {
        OperationKind::Create | OperationKind::Start | OperationKind::Reboot => VmStatus::Running,
        OperationKind::Stop => VmStatus::Stopped,
        OperationKind::Terminate => VmStatus::Terminated,
    };
    let spec = InstanceSpec {
        vm_id: vm.id,
        workspace_id: vm.workspace_id,
        request_id: providers::request_id(operation.id, operation.attempts),
        name: vm.name.clone(),
        instance_type: vm.instance_type.clone(),
        region: vm.region.clone(),
        zone: vm.zone.clone(),
        image_id: vm.image_id.clone(),
        key_pair: vm.key_pair.clone(),
    };
    let instance = vm.instance_id.clone().map(|instance_id| InstanceRef {
        region: vm.region.clone(),
        zone: vm.zone.clone(),
        instance_id,
        request_id: providers::request_id(operation.id, operation.attempts),
    });
    let call = match (operation.waiting, &instance) {
        // Terminating a VM its provider never reported: only what a create interrupted half
        // way may have left.
        (_, None) if operation.kind == OperationKind::Terminate => {
            Some(("discard_unreported", driver.discard_unreported(&secrets, &spec)))
        }
        (false, None) => Some(("create", driver.create(&secrets, &spec))),
        (_, None) => None,
        (waiting, Some(instance)) => Some(match (waiting, operation.kind) {
            (true, OperationKind::Terminate) => {
                ("continue_termination", driver.continue_termination(&secrets, instance))
            }
            (true, _) | (false, OperationKind::Create) => ("describe", driver.describe(&secrets, instance)),
            (false, OperationKind::Terminate) => ("terminate", driver.terminate(&secrets, instance)),
            // `change_of` names every kind, so a new one is decided there; what is not a change
            // (a create, matched above) is only read.
            (false, kind) => match change_of(kind) {
                Some(change) => (change.name(), driver.change(&secrets, instance, change)),
                None => ("describe", driver.describe(&secrets, instance)),
            },
        }),
    };
    let outcome = match call {
        Some((name, call)) => measured(state, vm.provider, name, call).await,
        None => Err(ProviderError::NotFound("the provider never reported an instance".into())),
    };
    // A newer request (a delete while a stop is under way, say) owns the VM's status now.
    if operations::has_later_operation(&state.db, vm.id, operation.created_at).await? {
        if let Ok(observed) = &outcome
            && !observed.instance_id.is_empty()
        {
            vms::record_instance(&state.db, vm.id, &observed.instance_id).await?;
        }
        return finish(
            state,
            operation,
            Some(vm.provider),
            VmOutcome::Superseded,
            Some("superseded by a later request"),
        )
        .await;
    }
    match outcome {
        Ok(observed) => {
            let instance_id = (!observed.instance_id.is_empty()).then_some(observed.instance_id.as_str());
            let status = match observed.status {
                _ if observed.note.is_some() => vm.status,
                // On its way out an instance may pass through stopping (GCP's STOPPING): the
                // VM stays terminating until it is gone.
                VmStatus::Terminated => VmStatus::Terminated,
                _ if operation.kind == OperationKind::Terminate => VmStatus::Terminating,
                other => other,
            };
            apply(state.publisher(), &vm, status, observed.note.as_deref(), instance_id, &observed).await?;
            let waiting_too_long = crate::clock::real_now() - operation.created_at > GIVE_UP_AFTER;
            if status == target {
                finish(state, operation, Some(vm.provider), VmOutcome::Succeeded, None).await
            } else if status == VmStatus::Terminated || waiting_too_long {
                let reason = if waiting_too_long {
                    "timed out waiting for the provider"
                } else {
                    "terminated by the provider"
                };
                if waiting_too_long {
                    apply(state.publisher(), &vm, VmStatus::Error, Some(reason), None, &observed).await?;
                }
                finish(state, operation, Some(vm.provider), VmOutcome::Failed, Some(reason)).await
            } else {
                let poll =
                    chrono::Duration::milliseconds(i64::try_from(state.config.vm_poll_ms).unwrap_or(2000));
                operations::wait_again(&state.db, operation.id, crate::clock::real_now() + poll).await
            }
        }
        Err(error) if error.is_retryable() && operation.attempts < MAX_ATTEMPTS => {
            let backoff = chrono::Duration::seconds(1 << operation.attempts.min(6));
            tracing::warn!(vm = %vm.id, error = %error, "provider call failed; retrying");
            operations::requeue(
                &state.db,
                operation.id,
                operation.waiting,
                crate::clock::real_now() + backoff,
                Some(&error.to_string()),
            )
            .await
        }
        Err(ProviderError::NotFound(_)) if operation.kind == OperationKind::Terminate => {
            let gone = InstanceState::bare(VmStatus::Terminated);
            apply(state.publisher(), &vm, VmStatus::Terminated, None, None, &gone).await?;
            finish(state, operation, Some(vm.provider), VmOutcome::Succeeded, None).await
        }
        Err(error) => fail(state, operation, &vm, &error.to_string()).await,
    }
}

/// The change a queued start, stop or reboot asks of the provider (`None` for the others).
fn change_of(kind: OperationKind) -> Option<Change> {
    match kind {
        OperationKind::Start => Some(Change::Start),
        OperationKind::Stop => Some(Change::Stop),
        OperationKind::Reboot => Some(Change::Reboot),
        OperationKind::Create | OperationKind::Terminate => None,
    }
}

/// Runs a provider call, counting it in the metrics.
async fn measured(
    state: &AppState,
    provider: ProviderKind,
    call: &'static str,
    future: impl std::future::Future<Output = StateResult>,
) -> StateResult {
    let started = std::time::Instant::now();
    let result =
        future.instrument(tracing::info_span!("provider_call", provider = provider.as_str(), call)).await;
    state.metrics.provider_call(provider, call, result.as_ref().err(), started.elapsed());
    result
}

/// Ends `operation` (of a VM on `provider`, when known) in the queue and counts it.
async fn finish(
    state: &AppState,
    operation: &OperationRecord,
    provider: Option<ProviderKind>,
    outcome: VmOutcome,
    reason: Option<&str>,
) -> Result<(), DbError> {
    let succeeded = outcome != VmOutcome::Failed;
    operations::finish(&state.db, operation.id, succeeded, reason).await?;
    if let Some(provider) = provider {
        let elapsed = (crate::clock::real_now() - operation.created_at).to_std().unwrap_or_default();
        state.metrics.vm_operation(provider, operation.kind.as_str(), outcome, elapsed);
    }
    Ok(())
}

/// An operation the VM's credential may not be used for: it fails, and a VM whose instance
/// exists goes back to the status it had before the request (the instance was not touched),
/// with the reason; a VM never created ends in `error`.
async fn refuse(
    state: &AppState,
    operation: &OperationRecord,
    vm: &VmRecord,
    reason: &str,
) -> Result<(), DbError> {
    let before = match operation.kind {
        OperationKind::Start => Some(VmStatus::Stopped),
        OperationKind::Stop | OperationKind::Reboot => Some(VmStatus::Running),
        OperationKind::Create | OperationKind::Terminate => None,
    };
    let (Some(status), Some(_)) = (before, vm.instance_id.as_deref()) else {
        return fail(state, operation, vm, reason).await;
    };
    let untouched = InstanceState {
        public_ip: vm.public_ip.clone(),
        private_ip: vm.private_ip.clone(),
        ..InstanceState::bare(status)
    };
    apply(state.publisher(), vm, status, Some(reason), None, &untouched).await?;
    finish(state, operation, Some(vm.provider), VmOutcome::Failed, Some(reason)).await
}

async fn fail(
    state: &AppState,
    operation: &OperationRecord,
    vm: &VmRecord,
    reason: &str,
) -> Result<(), DbError> {
    apply(state.publisher(), vm, VmStatus::Error, Some(reason), None, &InstanceState::bare(VmStatus::Error))
        .await?;
    finish(state, operation, Some(vm.provider), VmOutcome::Failed, Some(reason)).await
}

/// Re-reads live VMs with no operation under way, so changes made outside SkyClust show.
pub async fn reconcile(state: &AppState) -> Result<(), DbError> {
    let mut visited = Vec::new();
    let due = vms::to_reconcile(&state.db, 500).await?;
    for vm in due {
        let (Some(driver), Some(instance_id)) =
            (state.providers.get(vm.provider).cloned(), vm.instance_id.clone())
        else {
            continue;
        };
        let CredentialUse::Granted(secrets) =
            vm_secrets((&state.db, &state.vault), &vm, Consent::Required).await?
        else {
            visited.push(vm.id);
            continue;
        };
        visited.push(vm.id);
        // Describing changes nothing, so the request id only labels the call.
        let instance = InstanceRef {
            region: vm.region.clone(),
            zone: vm.zone.clone(),
            instance_id,
            request_id: Uuid::new_v4(),
        };
        match measured(state, vm.provider, "describe", driver.describe(&secrets, &instance)).await {
            Ok(observed) if observed.note.is_some() => {
                if observed.note != vm.status_reason {
                    apply(state.publisher(), &vm, vm.status, observed.note.as_deref(), None, &observed)
                        .await?;
                }
            }
            Ok(observed)
                if observed.status != vm.status
                    || observed.public_ip != vm.public_ip
                    || vm.status_reason.as_deref().is_some_and(|reason| reason.starts_with(HELD)) =>
            {
                apply(state.publisher(), &vm, observed.status, None, None, &observed).await?;
            }
            Ok(_) => {}
            Err(ProviderError::NotFound(_)) => {
                let gone = InstanceState::bare(VmStatus::Terminated);
                apply(
                    state.publisher(),
                    &vm,
                    VmStatus::Terminated,
                    Some("the instance no longer exists at the provider"),
                    None,
                    &gone,
                )
                .await?;
            }
            Err(error) => tracing::debug!(vm = %vm.id, error = %error, "reconciling a VM failed; next time"),
        }
    }
    // The next pass starts with the VMs visited longest ago, so every VM gets its turn however
    // many there are.
    vms::mark_reconciled(&state.db, &visited, state.clock.now()).await
}
