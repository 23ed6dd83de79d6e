//! The durable VM operations the worker executes: queued with their VM's change, claimed
//! under a lease, waited on, retried, finished.

use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

use super::DbError;
use super::{Database, decode_uuid, time};

/// What a durable operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// Launch the instance.
    Create,
    /// Start it.
    Start,
    /// Stop it.
    Stop,
    /// Reboot it.
    Reboot,
    /// Terminate it.
    Terminate,
}

impl OperationKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Create => "create",
            OperationKind::Start => "start",
            OperationKind::Stop => "stop",
            OperationKind::Reboot => "reboot",
            OperationKind::Terminate => "terminate",
        }
    }

    fn parse(name: &str) -> Option<OperationKind> {
        [
            OperationKind::Create,
            OperationKind::Start,
            OperationKind::Stop,
            OperationKind::Reboot,
            OperationKind::Terminate,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
    }
}

/// A claimed operation.
#[derive(Debug, Clone)]
pub struct OperationRecord {
    /// Id.
    pub id: Uuid,
    /// The VM.
    pub vm_id: Uuid,
    /// What to do.
    pub kind: OperationKind,
    /// `false`: the provider has not been asked yet; `true`: waiting for it to finish.
    pub waiting: bool,
    /// Attempts so far, this one included.
    pub attempts: u32,
    /// When the operation was queued.
    pub created_at: DateTime<Utc>,
    /// The request that asked for it (none for operations queued before release 15).
    pub request_id: Option<String>,
}

/// Queues `kind` for `vm` on `connection` (inside the transaction that changes the VM), timed
/// by the system clock: leases are real time.
pub(super) async fn insert_operation(
    connection: &mut sqlx::AnyConnection,
    vm: Uuid,
    kind: OperationKind,
    now: &str,
) -> Result<(), DbError> {
    sqlx::query(
        "INSERT INTO vm_operations (id, vm_id, kind, state, phase, attempts, not_before, created_at, updated_at, \
         request_id) VALUES ($1, $2, $3, 'queued', 'submit', 0, $4, $4, $4, $5)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(vm.to_string())
    .bind(kind.as_str())
    .bind(now)
    // The request asking for it, so the worker's spans carry its id.
    .bind(crate::http::request_id::in_scope())
    .execute(connection)
    .await?;
    Ok(())
}
/// How many operations are queued or under way, and when the oldest of them was requested.
pub async fn unfinished(db: &Database) -> Result<(i64, Option<DateTime<Utc>>), DbError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS unfinished, MIN(created_at) AS oldest FROM vm_operations \
         WHERE state IN ('queued', 'running')",
    )
    .fetch_one(db.pool())
    .await?;
    let oldest = row.try_get::<Option<String>, _>("oldest")?.map(|at| time::decode(&at)).transpose()?;
    Ok((row.try_get("unfinished")?, oldest))
}

/// Claims the next due operation for `worker` until `lease_until`: the oldest queued one
/// (or one whose lease ran out) of a VM with no earlier unfinished operation.
pub async fn claim(
    db: &Database,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<OperationRecord>, DbError> {
    let now = time::encode(now);
    // One conditional UPDATE: when two workers race for a row, the loser's WHERE no longer
    // matches once the winner's change is visible, so each operation runs once at a time. On
    // PostgreSQL the candidate is also locked with SKIP LOCKED, so concurrent workers take
    // different operations instead of queueing on (and then missing) the same one.
    let skip_locked = if db.backend() == super::Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE vm_operations SET state = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, \
         updated_at = $3 \
         WHERE id = (SELECT o.id FROM vm_operations o \
             WHERE ((o.state = 'queued' AND o.not_before <= $3) OR (o.state = 'running' AND o.locked_until < $3)) \
             AND NOT EXISTS (SELECT 1 FROM vm_operations earlier WHERE earlier.vm_id = o.vm_id \
                 AND earlier.state IN ('queued', 'running') AND earlier.created_at < o.created_at) \
             ORDER BY o.not_before LIMIT 1{skip_locked}) \
         AND ((state = 'queued' AND not_before <= $3) OR (state = 'running' AND locked_until < $3)) \
         RETURNING id, vm_id, kind, phase, attempts, created_at, request_id"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(worker)
        .bind(time::encode(lease_until))
        .bind(now)
        .fetch_optional(db.pool())
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let kind: String = row.try_get("kind")?;
    let phase: String = row.try_get("phase")?;
    Ok(Some(OperationRecord {
        id: decode_uuid(&row.try_get::<String, _>("id")?)?,
        vm_id: decode_uuid(&row.try_get::<String, _>("vm_id")?)?,
        kind: OperationKind::parse(&kind)
            .ok_or_else(|| DbError::corrupt(format_args!("unknown kind {kind}")))?,
        waiting: phase == "wait",
        attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
        created_at: time::decode(&row.try_get::<String, _>("created_at")?)?,
        request_id: row.try_get("request_id")?,
    }))
}

/// Puts an operation that made progress (its provider answered) back to wait for its
/// transition: its retry budget starts again, so a long transition read many times (an Azure
/// teardown) is not failed by one hiccup after its sixth read.
pub async fn wait_again(db: &Database, operation: Uuid, not_before: DateTime<Utc>) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE vm_operations SET state = 'queued', phase = 'wait', attempts = 0, not_before = $2, \
         locked_until = NULL, locked_by = NULL, updated_at = $3 WHERE id = $1",
    )
    .bind(operation.to_string())
    .bind(time::encode(not_before))
    .bind(time::encode(crate::clock::real_now()))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Puts a claimed operation back in the queue, due at `not_before`.
pub async fn requeue(
    db: &Database,
    operation: Uuid,
    waiting: bool,
    not_before: DateTime<Utc>,
    error: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE vm_operations SET state = 'queued', phase = $2, not_before = $3, locked_until = NULL, locked_by = NULL, \
         last_error = COALESCE($4, last_error), updated_at = $5 WHERE id = $1",
    )
    .bind(operation.to_string())
    .bind(if waiting { "wait" } else { "submit" })
    .bind(time::encode(not_before))
    .bind(error)
    .bind(time::encode(crate::clock::real_now()))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Ends a claimed operation.
pub async fn finish(
    db: &Database,
    operation: Uuid,
    succeeded: bool,
    error: Option<&str>,
) -> Result<(), DbError> {
    sqlx::query(
        "UPDATE vm_operations SET state = $2, locked_until = NULL, last_error = COALESCE($3, last_error), updated_at = $4 \
         WHERE id = $1",
    )
    .bind(operation.to_string())
    .bind(if succeeded { "succeeded" } else { "failed" })
    .bind(error)
    .bind(time::encode(crate::clock::real_now()))
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether an operation requested after `created_at` is waiting for this VM.
pub async fn has_later_operation(
    db: &Database,
    vm: Uuid,
    created_at: DateTime<Utc>,
) -> Result<bool, DbError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM vm_operations WHERE vm_id = $1 AND state = 'queued' AND created_at > $2",
    )
    .bind(vm.to_string())
    .bind(time::encode(created_at))
    .fetch_one(db.pool())
    .await?;
    Ok(count > 0)
}
