//! VMs and their status history; their durable operations are [`super::operations`].

use chrono::{DateTime, Utc};
use skyclust_types::vms::VmListing;
use skyclust_types::{ListQuery, Provider, Vm, VmStatus};
use sqlx::Row;
use sqlx::any::AnyRow;
use uuid::Uuid;

use super::DbError;
use super::idempotency::{self, FirstResult, KeyScope};
use super::list::{Conditions, Value, fetch_page};
use super::locks::{self, Hold};
use super::operations::{OperationKind, insert_operation};
use super::{AnyQuery, Database, decode_provider, decode_uuid, time};
use crate::costs::metering::Rates;

pub(super) const COLUMNS: &str = "id, workspace_id, name, provider, instance_type, region, zone, image_id, key_pair, credential_id, \
                       instance_id, status, status_reason, public_ip, private_ip, created_by, created_at, updated_at";

/// A stored VM.
#[derive(Debug, Clone)]
pub struct VmRecord {
    /// Id.
    pub id: Uuid,
    /// Workspace.
    pub workspace_id: Uuid,
    /// Name.
    pub name: String,
    /// Provider.
    pub provider: Provider,
    /// Instance type.
    pub instance_type: String,
    /// Region.
    pub region: String,
    /// Zone, once chosen.
    pub zone: Option<String>,
    /// Image.
    pub image_id: Option<String>,
    /// Key pair.
    pub key_pair: Option<String>,
    /// Credential.
    pub credential_id: Option<Uuid>,
    /// Provider's instance id.
    pub instance_id: Option<String>,
    /// Status.
    pub status: VmStatus,
    /// Provider's message on error.
    pub status_reason: Option<String>,
    /// Public address.
    pub public_ip: Option<String>,
    /// Private address.
    pub private_ip: Option<String>,
    /// Creator.
    pub created_by: Uuid,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl VmRecord {
    /// The API's view.
    pub fn to_api(&self) -> Vm {
        Vm {
            id: self.id,
            name: self.name.clone(),
            provider: self.provider,
            instance_type: self.instance_type.clone(),
            status: self.status,
            region: self.region.clone(),
            zone: self.zone.clone(),
            workspace_id: self.workspace_id,
            credential_id: self.credential_id,
            instance_id: self.instance_id.clone(),
            image_id: self.image_id.clone(),
            key_pair: self.key_pair.clone(),
            public_ip: self.public_ip.clone(),
            private_ip: self.private_ip.clone(),
            status_reason: self.status_reason.clone(),
            actions: self.status.actions().to_vec(),
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }

    pub(super) fn from_row(row: &AnyRow) -> Result<VmRecord, DbError> {
        let optional_uuid = |column: &str| -> Result<Option<Uuid>, DbError> {
            row.try_get::<Option<String>, _>(column)?.as_deref().map(decode_uuid).transpose()
        };
        Ok(VmRecord {
            id: decode_uuid(&row.try_get::<String, _>("id")?)?,
            workspace_id: decode_uuid(&row.try_get::<String, _>("workspace_id")?)?,
            name: row.try_get("name")?,
            provider: decode_provider(row)?,
            instance_type: row.try_get("instance_type")?,
            region: row.try_get("region")?,
            zone: row.try_get("zone")?,
            image_id: row.try_get("image_id")?,
            key_pair: row.try_get("key_pair")?,
            credential_id: optional_uuid("credential_id")?,
            instance_id: row.try_get("instance_id")?,
            status: decode_status(row)?,
            status_reason: row.try_get("status_reason")?,
            public_ip: row.try_get("public_ip")?,
            private_ip: row.try_get("private_ip")?,
            created_by: decode_uuid(&row.try_get::<String, _>("created_by")?)?,
            created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
            updated_at: time::decode(&row.try_get::<String, _>("updated_at")?)?,
        })
    }
}

/// A VM about to be stored.
#[derive(Debug)]
pub struct NewVm<'a> {
    /// Workspace.
    pub workspace_id: Uuid,
    /// Name.
    pub name: &'a str,
    /// Provider.
    pub provider: Provider,
    /// Instance type.
    pub instance_type: &'a str,
    /// Region.
    pub region: &'a str,
    /// Zone, when already chosen.
    pub zone: Option<&'a str>,
    /// Image.
    pub image_id: Option<&'a str>,
    /// Key pair.
    pub key_pair: Option<&'a str>,
    /// Credential.
    pub credential_id: Option<Uuid>,
    /// Creator.
    pub created_by: Uuid,
}

/// Stores a VM as `pending` (as of `at`, the server clock's now) with its create operation
/// queued, atomically — and, given an idempotency key's scope and the request's hash, the VM
/// as that key's first result. Operations are timed by the system clock (leases are real
/// time); the VM's own timestamps, which metering reads, by the server clock. Refused when the
/// workspace is inactive or the VM's credential may not serve it (its owner neither owns it
/// nor is a member), checked in the INSERT under a shared lock on the workspace, so a
/// concurrent member removal ([`super::workspaces::remove_member`]) or deactivation either sees
/// this VM or is seen by it.
pub async fn insert_with_create(
    db: &Database,
    vm: NewVm<'_>,
    idempotency: Option<(KeyScope<'_>, &str)>,
    at: DateTime<Utc>,
) -> Result<Stored, DbError> {
    let id = Uuid::new_v4();
    let real_now = crate::clock::real_now();
    let now = time::encode(real_now);
    let created_at = at;
    let at = time::encode(at);
    let mut transaction = db.pool().begin().await?;
    let workspace = vm.workspace_id.to_string();
    locks::lock(db, &mut transaction, Hold::Shared, ("workspaces", "id"), &workspace).await?;
    let sql = format!(
        "INSERT INTO vms ({COLUMNS}) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, 'pending', NULL, NULL, NULL, $11, $12, $12 \
         WHERE ({WORKSPACE_ACTIVE}) AND ($10 IS NULL OR EXISTS ({})) RETURNING {COLUMNS}",
        credential_serves_sql()
    );
    let query = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(&workspace)
        .bind(vm.name)
        .bind(vm.provider.as_str())
        .bind(vm.instance_type)
        .bind(vm.region)
        .bind(vm.zone)
        .bind(vm.image_id)
        .bind(vm.key_pair)
        .bind(vm.credential_id.map(|id| id.to_string()))
        .bind(vm.created_by.to_string())
        .bind(at);
    let first = (VmStatus::Pending, created_at);
    let Some(record) = insert_guarded(&mut transaction, query, first, None).await? else {
        return refusal(&mut transaction, &workspace).await;
    };
    insert_operation(&mut transaction, id, OperationKind::Create, &now).await?;
    if let Some((scope, request_hash)) = idempotency {
        let response = serde_json::to_string(&record.to_api())
            .map_err(|error| DbError::Other(sqlx::Error::Encode(error.into())))?;
        let first = FirstResult { request_hash: request_hash.to_owned(), response };
        idempotency::remember(&mut transaction, scope, &first, real_now).await?;
    }
    transaction.commit().await?;
    Ok(Stored::Vm(Box::new(record)))
}

/// What an insert of a VM did: the insert carries its two guards, so nothing changes between
/// the check and the write.
#[derive(Debug)]
pub enum Stored {
    /// Stored.
    Vm(Box<VmRecord>),
    /// Not stored: the workspace is inactive (or gone).
    WorkspaceInactive,
    /// Not stored: the VM's credential may not serve the workspace.
    CredentialNotServing,
}

/// Whether workspace `$2` exists and is active.
pub(super) const WORKSPACE_ACTIVE: &str =
    "EXISTS (SELECT 1 FROM workspaces w WHERE w.id = $2 AND w.is_active = 1)";

/// Which guard refused an insert, read in the insert's transaction (under its lock).
pub(super) async fn refusal(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    workspace: &str,
) -> Result<Stored, DbError> {
    let active: Option<i64> = sqlx::query_scalar("SELECT is_active FROM workspaces WHERE id = $1")
        .bind(workspace)
        .fetch_optional(&mut **transaction)
        .await?;
    Ok(if active == Some(1) { Stored::CredentialNotServing } else { Stored::WorkspaceInactive })
}

/// Whether credential `$10` may serve workspace `$2` (the consent rule,
/// [`super::workspaces::owner_serves_sql`]).
pub(super) fn credential_serves_sql() -> String {
    let rule = super::workspaces::owner_serves_sql("$2", "c.user_id");
    format!("SELECT 1 FROM credentials c WHERE c.id = $10 AND {rule}")
}

/// Runs `query`, a VM insert guarded in its `WHERE` and returning the VM's columns, and
/// starts the stored VM's meter and history in `status` at `since` (`reason` recorded);
/// `None` when a guard refused the insert.
pub(super) async fn insert_guarded(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    query: AnyQuery<'_>,
    (status, since): (VmStatus, DateTime<Utc>),
    reason: Option<&str>,
) -> Result<Option<VmRecord>, DbError> {
    let Some(row) = query.fetch_optional(&mut **transaction).await? else { return Ok(None) };
    let record = VmRecord::from_row(&row)?;
    super::costs::record_change(transaction, &record, (status, since), None).await?;
    insert_history(transaction, record.id, status, reason, &time::encode(since)).await?;
    Ok(Some(record))
}

pub(super) async fn insert_history(
    connection: &mut sqlx::AnyConnection,
    vm: Uuid,
    status: VmStatus,
    reason: Option<&str>,
    at: &str,
) -> Result<(), DbError> {
    sqlx::query("INSERT INTO vm_status_history (id, vm_id, status, reason, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(Uuid::new_v4().to_string())
        .bind(vm.to_string())
        .bind(status.as_str())
        .bind(reason)
        .bind(at)
        .execute(connection)
        .await?;
    Ok(())
}

/// Moves the VM from `expected` to `status` (as of `at`; metered at `rates`) and queues `kind`,
/// atomically; `None` when the VM's status changed in between (the caller answers 409).
pub async fn request_action(
    db: &Database,
    id: Uuid,
    (expected, status): (VmStatus, VmStatus),
    kind: OperationKind,
    (at, rates): (DateTime<Utc>, Option<Rates>),
) -> Result<Option<VmRecord>, DbError> {
    let now = time::encode(crate::clock::real_now());
    let changed_at = at;
    let at = time::encode(at);
    let mut transaction = db.pool().begin().await?;
    let sql = format!(
        "UPDATE vms SET status = $3, status_reason = NULL, updated_at = $4 WHERE id = $1 AND status = $2 RETURNING {COLUMNS}"
    );
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(expected.as_str())
        .bind(status.as_str())
        .bind(at.clone())
        .fetch_optional(&mut *transaction)
        .await?
    else {
        return Ok(None);
    };
    let record = VmRecord::from_row(&row)?;
    if status != expected {
        let at = super::costs::record_change(&mut transaction, &record, (status, changed_at), rates).await?;
        insert_history(&mut transaction, id, status, None, &time::encode(at)).await?;
    }
    insert_operation(&mut transaction, id, kind, &now).await?;
    transaction.commit().await?;
    Ok(Some(record))
}

/// The VM with this id.
pub async fn find(db: &Database, id: Uuid) -> Result<Option<VmRecord>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM vms WHERE id = $1");
    let query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string());
    db.fetch_optional(query, VmRecord::from_row).await
}

/// Narrows `conditions` to VMs of workspaces `viewer` owns or belongs to (`None`: all).
pub(super) fn visible_to(conditions: &mut Conditions, viewer: Option<Uuid>) {
    if let Some(viewer) = viewer {
        let viewer = viewer.to_string();
        conditions.clause(
            "workspace_id IN (SELECT id FROM workspaces WHERE owner_id = ? \
             OR id IN (SELECT workspace_id FROM workspace_members WHERE user_id = ?))",
            [Value::from(viewer.clone()), Value::from(viewer)],
        );
    }
}

/// A page of the VMs `viewer` can see (`None`: all).
pub async fn list(
    db: &Database,
    viewer: Option<Uuid>,
    query: &ListQuery<VmListing>,
) -> Result<(Vec<VmRecord>, u64), DbError> {
    let filters = &query.filters;
    let mut conditions = Conditions::new();
    visible_to(&mut conditions, viewer);
    conditions
        .any_of("workspace_id", filters.workspace_id.iter().map(|id| Value::from(id.to_string())))
        .any_of("provider", filters.provider.iter().map(|provider| Value::from(provider.as_str())))
        .any_of("status", filters.status.iter().map(|status| Value::from(status.as_str())))
        .any_of("region", filters.region.iter().map(String::as_str))
        .created_within("created_at", query);
    fetch_page(db, (COLUMNS, "vms"), conditions, query.into(), VmRecord::from_row).await
}

/// What a provider said about a VM.
#[derive(Debug, Clone, Default)]
pub struct Observed<'a> {
    /// The provider's id, once known.
    pub instance_id: Option<&'a str>,
    /// Public address (`None` clears it).
    pub public_ip: Option<&'a str>,
    /// Private address (kept when `None`).
    pub private_ip: Option<&'a str>,
    /// The zone the provider placed it in (kept when `None`; a recorded zone never changes).
    pub zone: Option<&'a str>,
    /// The image the provider made it from (recorded when the VM has none, i.e. the provider's
    /// default was used).
    pub image_id: Option<&'a str>,
}

/// Records a new status as of `at` (and what the provider reported; metered at `rates`);
/// returns the VM and its previous status when the status changed, the VM alone otherwise.
/// Every change enters the history.
pub async fn record_status(
    db: &Database,
    id: Uuid,
    (status, reason): (VmStatus, Option<&str>),
    observed: Observed<'_>,
    (at, rates): (DateTime<Utc>, Option<Rates>),
) -> Result<Option<(VmRecord, Option<VmStatus>)>, DbError> {
    let Some(before) = find(db, id).await? else {
        return Ok(None);
    };
    let now = time::encode(at);
    let mut transaction = db.pool().begin().await?;
    let sql = format!(
        "UPDATE vms SET status = $2, status_reason = $3, instance_id = COALESCE($4, instance_id), public_ip = $5, \
         private_ip = COALESCE($6, private_ip), zone = COALESCE(zone, $8), image_id = COALESCE(image_id, $9), updated_at = $7 WHERE id = $1 RETURNING {COLUMNS}"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id.to_string())
        .bind(status.as_str())
        .bind(reason)
        .bind(observed.instance_id)
        .bind(observed.public_ip)
        .bind(observed.private_ip)
        .bind(now.clone())
        .bind(observed.zone)
        .bind(observed.image_id)
        .fetch_one(&mut *transaction)
        .await?;
    let record = VmRecord::from_row(&row)?;
    let changed = before.status != status;
    if changed {
        let at = super::costs::record_change(&mut transaction, &record, (status, at), rates).await?;
        insert_history(&mut transaction, id, status, reason, &time::encode(at)).await?;
    }
    transaction.commit().await?;
    Ok(Some((record, changed.then_some(before.status))))
}

/// Records the provider's id of a VM's instance (so a later operation can find it).
pub async fn record_instance(db: &Database, vm: Uuid, instance_id: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE vms SET instance_id = COALESCE(instance_id, $2) WHERE id = $1")
        .bind(vm.to_string())
        .bind(instance_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// VMs the reconciler re-reads, those it visited longest ago first: created at the provider,
/// not terminated, and with no operation under way.
pub async fn to_reconcile(db: &Database, limit: i64) -> Result<Vec<VmRecord>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM vms v WHERE instance_id IS NOT NULL AND status NOT IN ('terminated', 'error') \
         AND NOT EXISTS (SELECT 1 FROM vm_operations o WHERE o.vm_id = v.id AND o.state IN ('queued', 'running')) \
         ORDER BY COALESCE(reconciled_at, ''), created_at LIMIT $1"
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(db.pool()).await?;
    rows.iter().map(VmRecord::from_row).collect()
}

/// Records that the reconciler looked at these VMs at `at` (they go to the back of its queue).
pub async fn mark_reconciled(db: &Database, vms: &[Uuid], at: DateTime<Utc>) -> Result<(), DbError> {
    if vms.is_empty() {
        return Ok(());
    }
    let ids = super::placeholders(1, vms.len(), 2);
    let sql = format!("UPDATE vms SET reconciled_at = $1 WHERE id IN {ids}");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(time::encode(at));
    for vm in vms {
        query = query.bind(vm.to_string());
    }
    query.execute(db.pool()).await?;
    Ok(())
}

/// The status history of a VM, oldest first.
pub async fn history(db: &Database, vm: Uuid) -> Result<Vec<(VmStatus, DateTime<Utc>)>, DbError> {
    let mut connection = db.pool().acquire().await?;
    history_on(&mut connection, vm).await
}

/// [`history`], read on `connection` (inside a transaction).
pub(super) async fn history_on(
    connection: &mut sqlx::AnyConnection,
    vm: Uuid,
) -> Result<Vec<(VmStatus, DateTime<Utc>)>, DbError> {
    let rows = sqlx::query("SELECT status, at FROM vm_status_history WHERE vm_id = $1 ORDER BY at")
        .bind(vm.to_string())
        .fetch_all(connection)
        .await?;
    let mut history = rows.iter().map(decode_change).collect::<Result<Vec<_>, _>>()?;
    in_lifecycle_order(&mut history);
    Ok(history)
}

/// Sorts changes by time, and changes stored in the same microsecond in the lifecycle's order.
pub(super) fn in_lifecycle_order(history: &mut [(VmStatus, DateTime<Utc>)]) {
    history.sort_by_key(|(status, at)| (*at, lifecycle_rank(*status)));
}

/// Where a status comes in a VM's life, to order changes stored at the same instant.
fn lifecycle_rank(status: VmStatus) -> u8 {
    match status {
        VmStatus::Pending => 0,
        VmStatus::Starting => 1,
        VmStatus::Running => 2,
        VmStatus::Stopping => 3,
        VmStatus::Stopped => 4,
        VmStatus::Error => 5,
        VmStatus::Terminating => 6,
        VmStatus::Terminated => 7,
    }
}

/// A history row's `(status, at)`.
pub(super) fn decode_change(row: &AnyRow) -> Result<(VmStatus, DateTime<Utc>), DbError> {
    Ok((decode_status(row)?, time::decode(row.try_get::<&str, _>("at")?)?))
}

/// The row's `status` column.
pub(super) fn decode_status(row: &AnyRow) -> Result<VmStatus, DbError> {
    let status: &str = row.try_get("status")?;
    VmStatus::parse(status).ok_or_else(|| DbError::corrupt(format_args!("unknown status {status}")))
}

/// The workspaces with at least one running VM.
pub async fn workspaces_running(db: &Database) -> Result<Vec<Uuid>, DbError> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT workspace_id FROM vms WHERE status = 'running' ORDER BY workspace_id",
    )
    .fetch_all(db.pool())
    .await?;
    ids.iter().map(|id| decode_uuid(id)).collect()
}
