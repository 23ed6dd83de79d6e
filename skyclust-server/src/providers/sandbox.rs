//! The sandbox provider: a simulated cloud built into the server, so the embedded default is a
//! working system without a cloud account. It behaves like EC2 on a small scale — instances
//! boot, stop and terminate after configurable delays, have private and (while running) public
//! addresses — and keeps its instances in the database so they survive a restart. Addresses are
//! deterministic (private `10.x.y.z`, public from the documentation range `203.0.113.0/24`).
//! Tests move its clock by hand and inject failures.
//!
//! Every user has an account of their own: instances belong to the account named by the
//! `account` field the server adds to the driver's [`Secrets`] (see [`with_account`]), and
//! discovery lists an account's instances only. [`Sandbox::launch`] starts an instance the way a
//! user's own tooling would, outside SkyClust.

use std::collections::VecDeque;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::time::Duration;

use parking_lot::Mutex;
use skyclust_types::Provider as ProviderKind;
use sqlx::Row;
use uuid::Uuid;

use super::{
    Change, Check, CloudProvider, Discovered, InstanceDiscovery, InstanceRef, InstanceSpec, InstanceState,
    OWNER_TAG, ProviderError, ProviderResult, Secrets, StateResult,
};
use crate::clock::SharedClock;
use crate::storage::{Database, time};

mod discovery;

/// How long the simulated transitions take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxTiming {
    /// `pending` → `running` after a launch or a start.
    pub boot: Duration,
    /// `stopping` → `stopped`.
    pub stop: Duration,
    /// `shutting-down` → `terminated`.
    pub terminate: Duration,
}

impl SandboxTiming {
    /// Transitions scaled from one base delay: boots take `base`, the rest half of it.
    pub fn from_base(base: Duration) -> SandboxTiming {
        SandboxTiming { boot: base, stop: base / 2, terminate: base / 2 }
    }
}

/// The calls a failure can be injected into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `create`.
    Create,
    /// `describe`.
    Describe,
    /// `change(Change::Start)`.
    Start,
    /// `change(Change::Stop)`.
    Stop,
    /// `change(Change::Reboot)`.
    Reboot,
    /// `terminate`.
    Terminate,
    /// `list`.
    List,
    /// `set_owner`.
    Tag,
}

/// The field of [`Secrets`] naming the sandbox account.
const ACCOUNT: &str = "account";

/// `secrets` for the sandbox account of `user`.
pub fn with_account(mut secrets: Secrets, user: Uuid) -> Secrets {
    secrets.0.insert(ACCOUNT.into(), user.to_string().into());
    secrets
}

fn account_of(secrets: &Secrets) -> ProviderResult<&str> {
    secrets.get(ACCOUNT).ok_or_else(|| ProviderError::Auth("no sandbox account was named".into()))
}

const DISCOVERED_COLUMNS: &str = "instance_id, name, region, zone, instance_type, image_id, state, private_ip, public_ip, created_at, vm_id";

/// The simulated cloud.
#[derive(Debug)]
pub struct Sandbox {
    db: Database,
    clock: SharedClock,
    timing: SandboxTiming,
    faults: Mutex<VecDeque<(Call, ProviderError)>>,
}

/// Instance types the sandbox offers: the common AWS families, in every size.
const FAMILIES: &[&str] = &["t3", "t3a", "m5", "m6i", "c5", "c6i", "r5"];
const SIZES: &[&str] =
    &["nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge"];

impl Sandbox {
    /// A sandbox storing its instances in `db`, timed by `clock`.
    pub fn new(db: Database, clock: SharedClock, timing: SandboxTiming) -> Sandbox {
        Sandbox { db, clock, timing, faults: Mutex::new(VecDeque::new()) }
    }

    /// Makes the next `call` fail with `error` (tests use this to reach failure paths).
    pub fn inject(&self, call: Call, error: ProviderError) {
        self.faults.lock().push_back((call, error));
    }

    fn injected(&self, call: Call) -> ProviderResult<()> {
        let mut faults = self.faults.lock();
        match faults.iter().position(|(target, _)| *target == call) {
            Some(index) => Err(faults.remove(index).map(|(_, error)| error).expect("the position exists")),
            None => Ok(()),
        }
    }

    /// Whether the sandbox offers `instance_type`.
    pub fn offers(instance_type: &str) -> bool {
        instance_type
            .split_once('.')
            .is_some_and(|(family, size)| FAMILIES.contains(&family) && SIZES.contains(&size))
    }

    fn settles_at(&self, after: Duration) -> String {
        let after = chrono::Duration::from_std(after).unwrap_or(chrono::Duration::zero());
        time::encode(self.clock.now() + after)
    }

    /// Completes the transitions whose time has come of the instances `condition` (a clause
    /// on `$2`, `$3`… bound to `values`) picks.
    async fn settle(&self, condition: &'static str, values: &[&str]) -> ProviderResult<()> {
        let sql = format!(
            "UPDATE sandbox_instances SET state = CASE state WHEN 'pending' THEN 'running' \
             WHEN 'stopping' THEN 'stopped' WHEN 'shutting-down' THEN 'terminated' ELSE state END, \
             settles_at = NULL WHERE settles_at IS NOT NULL AND settles_at <= $1 AND {condition}"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(time::encode(self.clock.now()));
        for value in values {
            query = query.bind(*value);
        }
        query.execute(self.db.pool()).await.map_err(unavailable)?;
        Ok(())
    }

    /// Completes transitions whose time has come, then reads the instance.
    async fn read(&self, instance_id: &str) -> StateResult {
        self.settle("instance_id = $2", &[instance_id]).await?;
        let row = sqlx::query(
            "SELECT state, private_ip, public_ip, zone FROM sandbox_instances WHERE instance_id = $1",
        )
        .bind(instance_id)
        .fetch_optional(self.db.pool())
        .await
        .map_err(unavailable)?
        .ok_or_else(|| ProviderError::NotFound(format!("no sandbox instance {instance_id}")))?;
        let state: String = row.try_get("state").map_err(unavailable)?;
        let status = super::status_from_ec2(&state)
            .ok_or_else(|| ProviderError::Retryable(format!("unknown sandbox state {state}")))?;
        Ok(InstanceState {
            instance_id: instance_id.to_owned(),
            status,
            private_ip: row.try_get("private_ip").map_err(unavailable)?,
            public_ip: if state == "running" { row.try_get("public_ip").map_err(unavailable)? } else { None },
            zone: row.try_get("zone").map_err(unavailable)?,
            image_id: None,
            note: None,
        })
    }

    /// Moves an instance from one of `from` to `to`, settling after `after`.
    /// Moves an instance in one of the `from` states to `to`, settling after `after`. Like EC2,
    /// asking again for a change already made or under way (a state in `done`) answers the
    /// instance as it is: a server that restarts mid-operation repeats its last call.
    async fn transition(
        &self,
        instance: &InstanceRef,
        (from, done): (&[&str], &[&str]),
        to: &str,
        after: Duration,
    ) -> StateResult {
        let current = self.read(&instance.instance_id).await?;
        let state = ec2_state(current.status);
        if done.contains(&state) {
            return Ok(current);
        }
        if !from.contains(&state) {
            return Err(ProviderError::InvalidRequest(format!(
                "instance {} is {state}; this needs it to be {}",
                instance.instance_id,
                from.join(" or ")
            )));
        }
        sqlx::query("UPDATE sandbox_instances SET state = $2, settles_at = $3 WHERE instance_id = $1")
            .bind(&instance.instance_id)
            .bind(to)
            .bind(self.settles_at(after))
            .execute(self.db.pool())
            .await
            .map_err(unavailable)?;
        self.read(&instance.instance_id).await
    }

    /// Starts an instance in `account` without SkyClust, as the account's own tooling would:
    /// `pending`, running after the boot delay. Returns its id.
    pub async fn launch(
        &self,
        account: Uuid,
        name: &str,
        instance_type: &str,
        zone: &str,
    ) -> ProviderResult<String> {
        let region = zone.get(..zone.len().saturating_sub(1)).unwrap_or_default();
        if !Sandbox::offers(instance_type) || !zones(region).iter().any(|known| known == zone) {
            return Err(ProviderError::InvalidRequest(format!(
                "the sandbox has no {instance_type} in {zone}"
            )));
        }
        let instance_id = new_instance_id();
        let (private_ip, public_ip) = addresses(&instance_id);
        sqlx::query(
            "INSERT INTO sandbox_instances (instance_id, name, region, zone, instance_type, state, settles_at, \
             private_ip, public_ip, created_at, account) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10)",
        )
        .bind(&instance_id)
        .bind(name)
        .bind(region)
        .bind(zone)
        .bind(instance_type)
        .bind(self.settles_at(self.timing.boot))
        .bind(private_ip)
        .bind(public_ip)
        .bind(time::encode(self.clock.now()))
        .bind(account.to_string())
        .execute(self.db.pool())
        .await
        .map_err(unavailable)?;
        Ok(instance_id)
    }
}

fn new_instance_id() -> String {
    format!("i-{}", &Uuid::new_v4().simple().to_string()[..17])
}

fn discovered(row: &sqlx::any::AnyRow) -> ProviderResult<Discovered> {
    let state: String = row.try_get("state").map_err(unavailable)?;
    let status = super::status_from_ec2(&state)
        .ok_or_else(|| ProviderError::Retryable(format!("unknown sandbox state {state}")))?;
    let name: String = row.try_get("name").map_err(unavailable)?;
    let mut tags = std::collections::BTreeMap::from([("Name".to_owned(), name.clone())]);
    if let Some(owner) = row.try_get::<Option<String>, _>("vm_id").map_err(unavailable)? {
        tags.insert(OWNER_TAG.to_owned(), owner);
    }
    let launched: String = row.try_get("created_at").map_err(unavailable)?;
    Ok(Discovered {
        instance_id: row.try_get("instance_id").map_err(unavailable)?,
        name: Some(name),
        tags,
        instance_type: row.try_get("instance_type").map_err(unavailable)?,
        region: row.try_get("region").map_err(unavailable)?,
        zone: row.try_get("zone").map_err(unavailable)?,
        image_id: row.try_get("image_id").map_err(unavailable)?,
        key_pair: None,
        status,
        public_ip: if state == "running" { row.try_get("public_ip").map_err(unavailable)? } else { None },
        private_ip: row.try_get("private_ip").map_err(unavailable)?,
        launched_at: time::decode(&launched).ok(),
        provider_status: state,
    })
}

fn ec2_state(status: skyclust_types::events::VmStatus) -> &'static str {
    use skyclust_types::events::VmStatus::*;
    match status {
        Pending | Starting => "pending",
        Running => "running",
        Stopping => "stopping",
        Stopped => "stopped",
        Terminating => "shutting-down",
        Terminated | Error => "terminated",
    }
}

fn unavailable(error: impl std::fmt::Display) -> ProviderError {
    ProviderError::Retryable(format!("sandbox storage: {error}"))
}

/// Addresses derived from the instance id: the same instance always has the same ones.
fn addresses(instance_id: &str) -> (String, String) {
    let hash = BuildHasherDefault::<DefaultHasher>::default().hash_one(instance_id).to_be_bytes();
    (format!("10.{}.{}.{}", hash[0], hash[1], hash[2].max(4)), format!("203.0.113.{}", hash[3].clamp(1, 254)))
}

/// The zones of a sandbox region, like EC2's: `a`, `b` and `c`; a VM that names none gets `a`.
pub fn zones(region: &str) -> Vec<String> {
    ["a", "b", "c"].iter().map(|letter| format!("{region}{letter}")).collect()
}

/// Whether the sandbox offers `region` (any region shaped like an AWS one).
pub fn offers_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|part| {
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts.last().is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
}

#[async_trait::async_trait]
impl CloudProvider for Sandbox {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Sandbox
    }

    /// The sandbox offers a few AWS instance families, runs where its prices come from (the AWS
    /// regions the catalog prices) and has three zones per region; the first by default.
    fn check_request(&self, Check { request, offered, problems }: Check<'_>) -> Option<String> {
        if !Sandbox::offers(&request.instance_type) {
            problems.add(
                "instance_type",
                "the sandbox offers t3, t3a, m5, m6i, c5, c6i and r5 types, e.g. t3.micro",
            );
        }
        let regions = offered.regions();
        if !regions.contains(&request.region.as_str()) {
            problems.add("region", format!("must be a sandbox region: {}", regions.join(", ")));
        }
        let zones = zones(&request.region);
        match request.zone.clone() {
            None => zones.into_iter().next(),
            Some(zone) if zones.contains(&zone) => Some(zone),
            Some(_) => {
                problems.add("zone", format!("must be a zone of {}: {}", request.region, zones.join(", ")));
                None
            }
        }
    }

    async fn create(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult {
        self.injected(Call::Create)?;
        // Instances launched before accounts existed (and by tests of the driver alone)
        // belong to none.
        let spec_account = secrets.get(ACCOUNT);
        if !Sandbox::offers(&spec.instance_type) {
            return Err(ProviderError::InvalidRequest(format!(
                "the sandbox has no instance type {}",
                spec.instance_type
            )));
        }
        if !offers_region(&spec.region) {
            return Err(ProviderError::InvalidRequest(format!("the sandbox has no region {}", spec.region)));
        }
        let instance_id = new_instance_id();
        let (private_ip, public_ip) = addresses(&instance_id);
        // One instance per VM, whatever the attempt: a create repeated after a crash finds
        // the one it launched (as EC2 does for a repeated client token).
        let launched = sqlx::query(
            "INSERT INTO sandbox_instances (instance_id, name, region, instance_type, image_id, state, settles_at, \
             private_ip, public_ip, created_at, vm_id, account, zone) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (vm_id) DO NOTHING",
        )
        .bind(&instance_id)
        .bind(&spec.name)
        .bind(&spec.region)
        .bind(&spec.instance_type)
        .bind(spec.image_id.as_deref())
        .bind(self.settles_at(self.timing.boot))
        .bind(&private_ip)
        .bind(public_ip)
        .bind(time::encode(self.clock.now()))
        .bind(spec.vm_id.to_string())
        .bind(spec_account)
        .bind(spec.zone.as_deref())
        .execute(self.db.pool())
        .await
        .map_err(unavailable)?;
        if launched.rows_affected() == 0 {
            let existing: String =
                sqlx::query_scalar("SELECT instance_id FROM sandbox_instances WHERE vm_id = $1")
                    .bind(spec.vm_id.to_string())
                    .fetch_one(self.db.pool())
                    .await
                    .map_err(unavailable)?;
            let reference = InstanceRef {
                region: spec.region.clone(),
                zone: spec.zone.clone(),
                instance_id: existing,
                request_id: spec.request_id,
            };
            return self.describe(&Secrets::default(), &reference).await;
        }
        // Like RunInstances, the answer is the instance as launched (`pending`), however
        // long this took: a busy machine must not turn it `running` before it was seen.
        Ok(InstanceState {
            instance_id,
            private_ip: Some(private_ip),
            zone: spec.zone.clone(),
            ..InstanceState::bare(skyclust_types::events::VmStatus::Starting)
        })
    }

    async fn describe(&self, _: &Secrets, instance: &InstanceRef) -> StateResult {
        self.injected(Call::Describe)?;
        self.read(&instance.instance_id).await
    }

    async fn change(&self, _: &Secrets, instance: &InstanceRef, change: Change) -> StateResult {
        let boot = self.timing.boot;
        let (call, states, to, settles): (_, (&[&str], &[&str]), _, _) = match change {
            Change::Start => (Call::Start, (&["stopped"], &["pending", "running"]), "pending", boot),
            Change::Stop => (
                Call::Stop,
                (&["running", "pending"], &["stopping", "stopped"]),
                "stopping",
                self.timing.stop,
            ),
            // Like EC2: a reboot keeps the instance `running`.
            Change::Reboot => (Call::Reboot, (&["running"], &[]), "running", Duration::ZERO),
        };
        self.injected(call)?;
        self.transition(instance, states, to, settles).await
    }

    async fn terminate(&self, _: &Secrets, instance: &InstanceRef) -> StateResult {
        self.injected(Call::Terminate)?;
        let from = ["pending", "running", "stopping", "stopped"];
        let done = ["shutting-down", "terminated"];
        self.transition(instance, (&from, &done), "shutting-down", self.timing.terminate).await
    }
}

#[cfg(test)]
mod tests;
