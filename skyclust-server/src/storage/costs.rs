//! The cost roll-up: each VM's [`Meter`] (where its metering stands) and, per workspace,
//! provider and UTC day, what the VMs' closed intervals cost.
//!
//! Every status change advances the VM's meter in the transaction that stores the change
//! (the caller has written the VM's row first, so concurrent changes of one VM queue on it),
//! adding only the interval it closes. An analysis then reads the period's day rows and one
//! meter per VM (for the interval still open) instead of every status change: its cost grows
//! with the number of VMs and days, not with the length of their histories.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use skyclust_types::{Provider, VmStatus};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use super::DbError;
use super::list::{Conditions, Value};
use super::vms::{VmRecord, visible_to};
use super::{Database, decode_provider, decode_uuid, time};
use crate::costs::metering::{DayCost, Meter, Micros, Rates, add_to, replay};

/// The `server_settings` entry naming the catalog the roll-up was priced with.
const PRICED_WITH: &str = "cost_rollup_catalog";
/// Rows per multi-row statement (well under both backends' limits on bound values).
const CHUNK: usize = 1_000;

/// Which VMs metering reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeterScope {
    /// Only VMs of workspaces this user can see (`None`: all).
    pub viewer: Option<Uuid>,
    /// Only this workspace.
    pub workspace: Option<Uuid>,
    /// Only this provider.
    pub provider: Option<Provider>,
}

impl MeterScope {
    fn conditions(&self) -> Conditions {
        let mut conditions = Conditions::new();
        visible_to(&mut conditions, self.viewer);
        conditions
            .eq_opt("workspace_id", self.workspace.map(|id| id.to_string()))
            .eq_opt("provider", self.provider.map(Provider::as_str));
        conditions
    }
}

/// A VM as metering sees it: where it runs, what it is, and its meter.
#[derive(Debug, Clone)]
pub struct MeteredVm {
    /// Id.
    pub id: Uuid,
    /// Workspace.
    pub workspace_id: Uuid,
    /// Provider.
    pub provider: Provider,
    /// Region.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// Where its metering stands.
    pub meter: Meter,
}

/// What closed intervals cost, as stored.
#[derive(Debug, Default)]
pub struct RecordedCosts {
    /// Per provider and day.
    pub per_day: Vec<(Provider, NaiveDate, DayCost)>,
    /// Per workspace, over all the days read.
    pub per_workspace: Vec<(Uuid, Micros)>,
}

/// Cost per (workspace, provider, day), to add to the stored rows.
type CostRows = BTreeMap<(Uuid, Provider, NaiveDate), DayCost>;

/// Advances the meter of `vm` to the status change about to be stored in this transaction,
/// priced at `rates` (`None`: unpriced), adds the interval it closed to the day rows, and
/// returns the time to store the change at: `at`, or the meter's own time when `at` is older
/// (a change committed after a later one, or a clock stepped back), so that the history and
/// the meter always agree on order. A VM without a meter (stored before the roll-up existed
/// and not yet back-filled) is replayed from its history first.
pub(crate) async fn record_change(
    connection: &mut AnyConnection,
    vm: &VmRecord,
    (status, at): (VmStatus, DateTime<Utc>),
    rates: Option<Rates>,
) -> Result<DateTime<Utc>, DbError> {
    // On PostgreSQL the meter's row is locked too: closing past days (`close_days`) takes
    // meters without the VM's row.
    let lock = if connection.backend_name() == "PostgreSQL" { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT {METER_COLUMNS} FROM vm_meters WHERE vm_id = $1{lock}");
    let row =
        sqlx::query(AssertSqlSafe(sql)).bind(vm.id.to_string()).fetch_optional(&mut *connection).await?;
    let found = match row {
        Some(row) => Some((decode_meter(&row)?, BTreeMap::new())),
        None => replay(&super::vms::history_on(&mut *connection, vm.id).await?, None, rates),
    };
    let (meter, days, at) = match found {
        Some((mut meter, mut days)) => {
            let at = at.max(meter.since);
            add_to(&mut days, meter.advance(status, at, rates));
            (meter, days, at)
        }
        None => (Meter::start(status, at), BTreeMap::new(), at),
    };
    save_meters(connection, &[(vm.id, meter)]).await?;
    let rows: CostRows =
        days.into_iter().map(|(day, cost)| ((vm.workspace_id, vm.provider, day), cost)).collect();
    add_costs(connection, &rows).await?;
    Ok(at)
}

/// Brings the roll-up up to date at start-up, in one transaction: prices it again from the
/// history when the catalog's rates changed since it was built (`fingerprint`), and replays
/// every VM without a meter (stored by an older release). Returns how many VMs were replayed.
pub async fn backfill(
    db: &Database,
    fingerprint: &str,
    rates: impl Fn(Provider, &str, &str) -> Option<Rates>,
) -> Result<usize, DbError> {
    let mut transaction = db.pool().begin().await?;
    // A write first: on SQLite it takes the database's write lock for the whole transaction.
    sqlx::query(
        "INSERT INTO server_settings (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(PRICED_WITH)
    .bind(fingerprint)
    .bind(time::encode(crate::clock::real_now()))
    .execute(&mut *transaction)
    .await?;
    let priced_with: String = sqlx::query_scalar("SELECT value FROM server_settings WHERE name = $1")
        .bind(PRICED_WITH)
        .fetch_one(&mut *transaction)
        .await?;
    // Writing the VMs' rows holds back their status changes (on PostgreSQL, their row locks)
    // until the replay is stored.
    if priced_with != fingerprint {
        sqlx::query("UPDATE vms SET id = id").execute(&mut *transaction).await?;
        sqlx::query("DELETE FROM vm_meters").execute(&mut *transaction).await?;
        sqlx::query("DELETE FROM workspace_daily_costs").execute(&mut *transaction).await?;
        sqlx::query("UPDATE server_settings SET value = $2 WHERE name = $1")
            .bind(PRICED_WITH)
            .bind(fingerprint)
            .execute(&mut *transaction)
            .await?;
    } else {
        sqlx::query(AssertSqlSafe(format!("UPDATE vms SET id = id WHERE {UNMETERED}")))
            .execute(&mut *transaction)
            .await?;
    }
    let vm_rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT id, workspace_id, provider, region, instance_type FROM vms WHERE {UNMETERED}"
    )))
    .fetch_all(&mut *transaction)
    .await?;
    if vm_rows.is_empty() {
        transaction.commit().await?;
        return Ok(0);
    }
    let history_rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT h.vm_id, h.status, h.at FROM vm_status_history h JOIN vms ON vms.id = h.vm_id WHERE {UNMETERED}"
    )))
    .fetch_all(&mut *transaction)
    .await?;
    let mut histories: HashMap<String, Vec<(VmStatus, DateTime<Utc>)>> =
        HashMap::with_capacity(vm_rows.len());
    for row in &history_rows {
        histories.entry(row.try_get("vm_id")?).or_default().push(super::vms::decode_change(row)?);
    }
    let mut meters = Vec::with_capacity(vm_rows.len());
    let mut costs = CostRows::new();
    for row in &vm_rows {
        let id: String = row.try_get("id")?;
        let Some(mut history) = histories.remove(&id) else {
            continue;
        };
        super::vms::in_lifecycle_order(&mut history);
        let workspace = decode_uuid(&row.try_get::<String, _>("workspace_id")?)?;
        let provider = decode_provider(row)?;
        let region: String = row.try_get("region")?;
        let instance_type: String = row.try_get("instance_type")?;
        let Some((meter, days)) = replay(&history, None, rates(provider, &region, &instance_type)) else {
            continue;
        };
        meters.push((decode_uuid(&id)?, meter));
        for (day, cost) in days {
            *costs.entry((workspace, provider, day)).or_default() += cost;
        }
    }
    save_meters(&mut transaction, &meters).await?;
    add_costs(&mut transaction, &costs).await?;
    transaction.commit().await?;
    Ok(meters.len())
}

/// What the closed intervals of the VMs in `scope` cost on `first..=last` (per workspace
/// too when `per_workspace`; otherwise that part is left empty).
pub async fn recorded(
    connection: &mut AnyConnection,
    scope: MeterScope,
    (first, last): (NaiveDate, NaiveDate),
    per_workspace: bool,
) -> Result<RecordedCosts, DbError> {
    let mut conditions = scope.conditions();
    conditions.at_least("day", Some(first.to_string())).at_most("day", Some(last.to_string()));
    let table = "workspace_daily_costs";
    let per_day = conditions
        .fetch_grouped(
            &mut *connection,
            (
                "provider, day, CAST(SUM(compute_micros) AS BIGINT) AS compute, \
                 CAST(SUM(storage_micros) AS BIGINT) AS storage",
                table,
            ),
            "GROUP BY provider, day",
        )
        .await?
        .iter()
        .map(|row| {
            let day: &str = row.try_get("day")?;
            let day = day.parse().map_err(DbError::corrupt)?;
            let cost = DayCost { compute: row.try_get("compute")?, storage: row.try_get("storage")? };
            Ok((decode_provider(row)?, day, cost))
        })
        .collect::<Result<_, DbError>>()?;
    if !per_workspace {
        return Ok(RecordedCosts { per_day, per_workspace: Vec::new() });
    }
    let per_workspace = conditions
        .fetch_grouped(
            &mut *connection,
            ("workspace_id, CAST(SUM(compute_micros + storage_micros) AS BIGINT) AS cost", table),
            "GROUP BY workspace_id",
        )
        .await?
        .iter()
        .map(|row| Ok((decode_uuid(row.try_get("workspace_id")?)?, row.try_get("cost")?)))
        .collect::<Result<_, DbError>>()?;
    Ok(RecordedCosts { per_day, per_workspace })
}

/// VMs whose open intervals bill alike: same kind, same status since the same moment (after
/// past days are closed, every VM that has not changed today is open since midnight).
#[derive(Debug, Clone)]
pub struct OpenGroup {
    /// Their workspace, when asked for per workspace.
    pub workspace_id: Option<Uuid>,
    /// Provider.
    pub provider: Provider,
    /// Region.
    pub region: String,
    /// Instance type.
    pub instance_type: String,
    /// Their meter (`accrued_until`: the latest of theirs).
    pub meter: Meter,
    /// How many VMs.
    pub vms: i64,
}

/// The open intervals of the VMs in `scope` that bill now, grouped (per workspace too when
/// `per_workspace`).
pub async fn open_groups(
    connection: &mut AnyConnection,
    scope: MeterScope,
    per_workspace: bool,
) -> Result<Vec<OpenGroup>, DbError> {
    let mut conditions = scope.conditions();
    conditions.clause(BILLING, []);
    let (columns, group_by) = if per_workspace {
        (
            "v.workspace_id, v.provider, v.region, v.instance_type, m.status, m.since, m.running, m.instance_exists, \
             m.day_compute_us, m.day_storage_us, MAX(m.accrued_until) AS accrued_until, COUNT(*) AS vms",
            "GROUP BY v.workspace_id, v.provider, v.region, v.instance_type, m.status, m.since, m.running, \
             m.instance_exists, m.day_compute_us, m.day_storage_us",
        )
    } else {
        (
            "v.provider, v.region, v.instance_type, m.status, m.since, m.running, m.instance_exists, \
             m.day_compute_us, m.day_storage_us, MAX(m.accrued_until) AS accrued_until, COUNT(*) AS vms",
            "GROUP BY v.provider, v.region, v.instance_type, m.status, m.since, m.running, m.instance_exists, \
             m.day_compute_us, m.day_storage_us",
        )
    };
    let rows = conditions.fetch_grouped(connection, (columns, METERED_VMS), group_by).await?;
    rows.iter()
        .map(|row| {
            let workspace_id =
                if per_workspace { Some(decode_uuid(row.try_get("workspace_id")?)?) } else { None };
            Ok(OpenGroup {
                workspace_id,
                provider: decode_provider(row)?,
                region: row.try_get("region")?,
                instance_type: row.try_get("instance_type")?,
                meter: decode_meter(row)?,
                vms: row.try_get("vms")?,
            })
        })
        .collect()
}

/// The kinds (provider, region, instance type) of the VMs in `scope` that no longer bill but
/// billed after `since`.
pub async fn kinds_billed_since(
    connection: &mut AnyConnection,
    scope: MeterScope,
    since: DateTime<Utc>,
) -> Result<Vec<(Provider, String, String)>, DbError> {
    let mut conditions = scope.conditions();
    conditions.clause(
        "m.running = 0 AND m.instance_exists = 0 AND m.accrued_until > ?",
        [Value::from(time::encode(since))],
    );
    let rows = conditions
        .fetch_grouped(
            connection,
            ("v.provider, v.region, v.instance_type", METERED_VMS),
            "GROUP BY v.provider, v.region, v.instance_type",
        )
        .await?;
    rows.iter()
        .map(|row| Ok((decode_provider(row)?, row.try_get("region")?, row.try_get("instance_type")?)))
        .collect()
}

/// The VMs of `scope` of these kinds (provider, region, instance type) that bill now or
/// billed after `since`, one by one, read in one query.
pub async fn metered_of_kinds(
    connection: &mut AnyConnection,
    scope: MeterScope,
    since: DateTime<Utc>,
    kinds: &[(Provider, String, String)],
) -> Result<Vec<MeteredVm>, DbError> {
    let mut conditions = scope.conditions();
    conditions
        .clause(BILLED_SINCE, [Value::from(time::encode(since))])
        .any_of("v.provider", kinds.iter().map(|(provider, _, _)| provider.as_str()))
        .any_of("v.region", kinds.iter().map(|(_, region, _)| region.as_str()))
        .any_of("v.instance_type", kinds.iter().map(|(_, _, instance_type)| instance_type.as_str()));
    let columns = "v.id, v.workspace_id, v.provider, v.region, v.instance_type, m.status, m.since, m.running, \
                   m.instance_exists, m.day_compute_us, m.day_storage_us, m.accrued_until";
    let mut vms = Vec::new();
    for row in conditions.fetch_grouped(connection, (columns, METERED_VMS), "").await? {
        let vm = MeteredVm {
            id: decode_uuid(row.try_get("id")?)?,
            workspace_id: decode_uuid(row.try_get("workspace_id")?)?,
            provider: decode_provider(&row)?,
            region: row.try_get("region")?,
            instance_type: row.try_get("instance_type")?,
            meter: decode_meter(&row)?,
        };
        // The IN lists admit every combination of their values; keep the kinds asked for.
        if kinds.iter().any(|(provider, region, instance_type)| {
            (*provider, region.as_str(), instance_type.as_str())
                == (vm.provider, vm.region.as_str(), vm.instance_type.as_str())
        }) {
            vms.push(vm);
        }
    }
    Ok(vms)
}

/// Closes, at `midnight`, the open intervals of every billing VM that began before it, so
/// that those VMs' meters are open since `midnight` and an analysis reads them as a few
/// groups. Returns how many meters were closed.
pub async fn close_days(
    db: &Database,
    midnight: DateTime<Utc>,
    rates: impl Fn(Provider, &str, &str) -> Option<Rates>,
) -> Result<usize, DbError> {
    let mut transaction = db.pool().begin().await?;
    // A write first: on SQLite it takes the write lock; on PostgreSQL it queues replicas
    // closing days on this row.
    sqlx::query(
        "INSERT INTO server_settings (name, value, created_at) VALUES ($1, $2, $2) \
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )
    .bind(CLOSED_UNTIL)
    .bind(time::encode(midnight))
    .execute(&mut *transaction)
    .await?;
    // PostgreSQL: locking the meters makes a status change of the same VM wait (it reads its
    // meter FOR UPDATE), and re-reads any meter that changed meanwhile.
    let lock = if db.backend() == super::Backend::Postgres { " FOR UPDATE OF m" } else { "" };
    let sql = format!(
        "SELECT m.vm_id, v.workspace_id, v.provider, v.region, v.instance_type, m.status, m.since, m.running, \
         m.instance_exists, m.day_compute_us, m.day_storage_us, m.accrued_until FROM {METERED_VMS} \
         WHERE m.since < $1 AND (m.running = 1 OR m.instance_exists = 1){lock}"
    );
    let rows =
        sqlx::query(AssertSqlSafe(sql)).bind(time::encode(midnight)).fetch_all(&mut *transaction).await?;
    let mut meters = Vec::with_capacity(rows.len());
    let mut costs = CostRows::new();
    for row in &rows {
        let mut meter = decode_meter(row)?;
        let (workspace, provider) = (decode_uuid(row.try_get("workspace_id")?)?, decode_provider(row)?);
        let priced = rates(provider, row.try_get("region")?, row.try_get("instance_type")?);
        for (day, cost) in meter.close_until(midnight, priced) {
            *costs.entry((workspace, provider, day)).or_default() += cost;
        }
        meters.push((decode_uuid(row.try_get("vm_id")?)?, meter));
    }
    save_meters(&mut transaction, &meters).await?;
    add_costs(&mut transaction, &costs).await?;
    transaction.commit().await?;
    Ok(meters.len())
}

/// The meters, with their VMs (`v`).
const METERED_VMS: &str = "vm_meters m JOIN vms v ON v.id = m.vm_id";
/// Meters that bill now.
const BILLING: &str = "m.running = 1 OR m.instance_exists = 1";
/// Meters that bill now or billed after `?`.
const BILLED_SINCE: &str = "m.running = 1 OR m.instance_exists = 1 OR m.accrued_until > ?";
/// The `server_settings` entry with the last midnight past days were closed at.
const CLOSED_UNTIL: &str = "cost_rollup_closed_until";

const METER_COLUMNS: &str =
    "status, since, running, instance_exists, day_compute_us, day_storage_us, accrued_until";
/// VMs (the table `vms`) without a meter.
const UNMETERED: &str = "NOT EXISTS (SELECT 1 FROM vm_meters m WHERE m.vm_id = vms.id)";

fn decode_meter(row: &AnyRow) -> Result<Meter, DbError> {
    let accrued_until: Option<&str> = row.try_get("accrued_until")?;
    Ok(Meter {
        status: super::vms::decode_status(row)?,
        since: time::decode(row.try_get("since")?)?,
        running: row.try_get::<i64, _>("running")? == 1,
        exists: row.try_get::<i64, _>("instance_exists")? == 1,
        day_time: (row.try_get("day_compute_us")?, row.try_get("day_storage_us")?),
        accrued_until: accrued_until.map(time::decode).transpose()?,
    })
}

async fn save_meters(connection: &mut AnyConnection, meters: &[(Uuid, Meter)]) -> Result<(), DbError> {
    for chunk in meters.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO vm_meters (vm_id, {METER_COLUMNS}) VALUES {} ON CONFLICT (vm_id) DO UPDATE SET \
             status = excluded.status, since = excluded.since, running = excluded.running, \
             instance_exists = excluded.instance_exists, day_compute_us = excluded.day_compute_us, \
             day_storage_us = excluded.day_storage_us, accrued_until = excluded.accrued_until",
            super::placeholders(chunk.len(), 8, 1)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for (vm, meter) in chunk {
            query = query
                .bind(vm.to_string())
                .bind(meter.status.as_str())
                .bind(time::encode(meter.since))
                .bind(i64::from(meter.running))
                .bind(i64::from(meter.exists))
                .bind(meter.day_time.0)
                .bind(meter.day_time.1)
                .bind(meter.accrued_until.map(time::encode));
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}

/// Adds `costs` to the stored day rows, in key order (so concurrent transactions lock shared
/// rows in the same order).
async fn add_costs(connection: &mut AnyConnection, costs: &CostRows) -> Result<(), DbError> {
    let rows: Vec<_> = costs.iter().filter(|(_, cost)| cost.total() != 0).collect();
    for chunk in rows.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO workspace_daily_costs (workspace_id, provider, day, compute_micros, storage_micros) \
             VALUES {} ON CONFLICT (workspace_id, provider, day) DO UPDATE SET \
             compute_micros = workspace_daily_costs.compute_micros + excluded.compute_micros, \
             storage_micros = workspace_daily_costs.storage_micros + excluded.storage_micros",
            super::placeholders(chunk.len(), 5, 1)
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for ((workspace, provider, day), cost) in chunk {
            query = query
                .bind(workspace.to_string())
                .bind(provider.as_str())
                .bind(day.to_string())
                .bind(cost.compute)
                .bind(cost.storage);
        }
        query.execute(&mut *connection).await?;
    }
    Ok(())
}
