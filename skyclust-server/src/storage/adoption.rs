//! VMs for instances SkyClust did not create: adopting one, letting one go, and the drift
//! reports of instances tagged for VMs that do not exist.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use skyclust_types::{Provider, VmStatus};
use sqlx::Row;
use uuid::Uuid;

use super::DbError;
use super::locks::{self, Hold};
use super::vms::{COLUMNS, Stored, VmRecord, WORKSPACE_ACTIVE, insert_guarded, insert_history, refusal};
use super::{Database, decode_uuid, time};
use crate::costs::metering::Rates;

/// An instance about to be adopted.
#[derive(Debug)]
pub struct AdoptedVm<'a> {
    /// Workspace.
    pub workspace_id: Uuid,
    /// Name.
    pub name: &'a str,
    /// Provider.
    pub provider: Provider,
    /// The credential of the instance's account.
    pub credential_id: Uuid,
    /// Who adopts it.
    pub created_by: Uuid,
    /// What the provider reported of it.
    pub instance: &'a crate::providers::Discovered,
    /// Its status now.
    pub status: VmStatus,
}

/// Stores a VM managing an existing instance: created at the instance's launch time (else
/// `at`), its history and its meter starting at `at`; one caught starting or stopping with an
/// operation that waits for the transition's end. A live VM managing the same instance
/// already makes this a unique violation (`vms_live_instance_idx`), however close together
/// the two adoptions come. Refused, like [`super::vms::insert_with_create`], when the workspace
/// is inactive or the credential may not serve it.
pub async fn insert(db: &Database, vm: AdoptedVm<'_>, at: DateTime<Utc>) -> Result<Stored, DbError> {
    let id = Uuid::new_v4();
    let adopted_at = time::encode(at);
    let created_at = time::encode(vm.instance.launched_at.filter(|launched| *launched <= at).unwrap_or(at));
    let mut transaction = db.pool().begin().await?;
    let workspace = vm.workspace_id.to_string();
    locks::lock(db, &mut transaction, Hold::Shared, ("workspaces", "id"), &workspace).await?;
    let sql = format!(
        "INSERT INTO vms ({COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, $14, \
         $15, $16, $17 WHERE ({WORKSPACE_ACTIVE}) AND EXISTS ({}) RETURNING {COLUMNS}",
        super::vms::credential_serves_sql()
    );
    let instance = vm.instance;
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(&workspace)
        .bind(vm.name)
        .bind(vm.provider.as_str())
        .bind(&instance.instance_type)
        .bind(&instance.region)
        .bind(instance.zone.as_deref())
        .bind(instance.image_id.as_deref())
        .bind(instance.key_pair.as_deref())
        .bind(vm.credential_id.to_string())
        .bind(&instance.instance_id)
        .bind(vm.status.as_str())
        .bind(instance.public_ip.as_deref())
        .bind(instance.private_ip.as_deref())
        .bind(vm.created_by.to_string())
        .bind(created_at)
        .bind(adopted_at);
    let Some(record) = insert_guarded(&mut transaction, query, (vm.status, at), Some("adopted")).await?
    else {
        return refusal(&mut transaction, &workspace).await;
    };
    // An instance caught booting or stopping is followed by the worker to where it is going,
    // as if SkyClust had asked, rather than left to the next reconciler pass.
    let following = match vm.status {
        VmStatus::Starting => Some("start"),
        VmStatus::Stopping => Some("stop"),
        _ => None,
    };
    if let Some(kind) = following {
        let now = time::encode(crate::clock::real_now());
        sqlx::query(
            "INSERT INTO vm_operations (id, vm_id, kind, state, phase, attempts, not_before, created_at, updated_at, \
             request_id) VALUES ($1, $2, $3, 'queued', 'wait', 0, $4, $4, $4, $5)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(id.to_string())
        .bind(kind)
        .bind(now)
        .bind(crate::http::request_id::in_scope())
        .execute(&mut *transaction)
        .await?;
    }
    transaction.commit().await?;
    Ok(Stored::Vm(Box::new(record)))
}

/// Removes a VM adopted a moment ago whose instance could not be tagged, with its history
/// and meter: it never managed anything.
pub async fn discard(db: &Database, id: Uuid) -> Result<(), DbError> {
    let mut transaction = db.pool().begin().await?;
    // A VM that is not terminated cannot be deleted (migration 0008).
    sqlx::query("UPDATE vms SET status = 'terminated' WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut *transaction)
        .await?;
    sqlx::query("DELETE FROM vms WHERE id = $1").bind(id.to_string()).execute(&mut *transaction).await?;
    Ok(transaction.commit().await?)
}

/// Ends management of a VM in `expected` status with no operation queued or under way: it
/// becomes `terminated` as of `at` with `reason` (its meter stops; metered at `rates`).
/// `None` when the VM changed meanwhile.
pub async fn release(
    db: &Database,
    id: Uuid,
    expected: VmStatus,
    reason: &str,
    (at, rates): (DateTime<Utc>, Option<Rates>),
) -> Result<Option<VmRecord>, DbError> {
    let mut transaction = db.pool().begin().await?;
    let sql = format!(
        "UPDATE vms SET status = 'terminated', status_reason = $3, public_ip = NULL, updated_at = $4 \
         WHERE id = $1 AND status = $2 AND NOT EXISTS (SELECT 1 FROM vm_operations o WHERE o.vm_id = $1 \
         AND o.state IN ('queued', 'running')) RETURNING {COLUMNS}"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(expected.as_str())
        .bind(reason)
        .bind(time::encode(at))
        .fetch_optional(&mut *transaction)
        .await?
    else {
        return Ok(None);
    };
    let record = VmRecord::from_row(&row)?;
    let at =
        super::costs::record_change(&mut transaction, &record, (VmStatus::Terminated, at), rates).await?;
    insert_history(&mut transaction, id, VmStatus::Terminated, Some(reason), &time::encode(at)).await?;
    transaction.commit().await?;
    Ok(Some(record))
}

/// The live VMs (not terminated) of `provider` managing any of `instances`, by instance: their
/// id and workspace. Looked up by the instances' ids (`vms_live_instance_idx`), a chunk at a time.
pub async fn managing(
    db: &Database,
    provider: Provider,
    instances: &[&str],
) -> Result<HashMap<String, (Uuid, Uuid)>, DbError> {
    const CHUNK: usize = 500;
    let mut managed = HashMap::new();
    for chunk in instances.chunks(CHUNK) {
        let sql = format!(
            "SELECT id, workspace_id, instance_id FROM vms WHERE provider = $1 AND instance_id IN {} \
             AND status <> 'terminated'",
            super::placeholders(1, chunk.len(), 2)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(provider.as_str());
        for instance in chunk {
            query = query.bind(*instance);
        }
        for row in query.fetch_all(db.pool()).await? {
            let vm = decode_uuid(&row.try_get::<String, _>("id")?)?;
            let workspace = decode_uuid(&row.try_get::<String, _>("workspace_id")?)?;
            managed.insert(row.try_get("instance_id")?, (vm, workspace));
        }
    }
    Ok(managed)
}

/// Whether the VM `id` is live (not terminated) and manages `instance` — or has not recorded
/// its instance yet (a create under way, whose instance already carries its tag). A tag naming
/// any other VM is stale: copied onto a clone, or left by a VM the database no longer has.
pub async fn tag_holds(db: &Database, id: Uuid, instance: &str) -> Result<bool, DbError> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM vms WHERE id = $1 AND status <> 'terminated' AND (instance_id IS NULL OR instance_id = $2)",
    )
    .bind(id.to_string())
    .bind(instance)
    .fetch_optional(db.pool())
    .await?;
    Ok(found.is_some())
}

/// Whether the VM `id` exists and is not terminated.
pub async fn is_live(db: &Database, id: Uuid) -> Result<bool, DbError> {
    let found: Option<String> = sqlx::query_scalar("SELECT status FROM vms WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.pool())
        .await?;
    Ok(found.is_some_and(|status| status != VmStatus::Terminated.as_str()))
}

/// Records that `instance` of `credential`, tagged for `vm`, was reported; `false` when it
/// already was.
pub async fn first_drift_report(
    db: &Database,
    credential: Uuid,
    instance: &str,
    vm: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let inserted = sqlx::query(
        "INSERT INTO drift_reports (credential_id, instance_id, tagged_vm_id, reported_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
    )
    .bind(credential.to_string())
    .bind(instance)
    .bind(vm.to_string())
    .bind(time::encode(at))
    .execute(db.pool())
    .await?;
    Ok(inserted.rows_affected() == 1)
}
