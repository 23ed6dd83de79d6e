//! Cost analysis: `GET /providers`, `GET /cost-analysis`, `GET /cost-analysis/breakdown`, and
//! `cost_updated` events.
//!
//! [`metering`] turns each VM's status history into what it cost per UTC day, priced from the
//! [`catalog`]; [`measure`] adds those up over a period for whatever the caller may see. Money
//! stays in micro-dollars until the answer is built, where every list of cents is apportioned
//! from its total (largest remainder) so that lists add up to their totals exactly.

pub mod catalog;
pub mod metering;
pub mod updates;

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use skyclust_types::costs::{
    CostAnalysis, CostBreakdown, CostPeriod, CostService, CostSource, ProviderCost, ServiceCost, TrendPoint,
    UnpricedVm, services,
};
use skyclust_types::operations::costs::{GetCostAnalysis, GetCostBreakdown, ListProviders};
use skyclust_types::{Provider, ProviderCatalog};
use uuid::Uuid;

use self::catalog::Catalog;
use self::metering::{DayCost, Micros, to_cents};
use crate::access;
use crate::auth::Principal;
use crate::error::ApiResult;
use crate::http::{Api, Ctx, Input};
use crate::providers::sandbox::Sandbox;
use crate::storage::DbError;
use crate::storage::costs::{MeterScope, OpenGroup, RecordedCosts};
use crate::storage::{self, Database};

/// The cost operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListProviders, _>(list_providers)
        .endpoint::<GetCostAnalysis, _>(analysis)
        .endpoint::<GetCostBreakdown, _>(breakdown)
}

async fn list_providers(ctx: Ctx, _: Input<ListProviders>) -> ApiResult<ProviderCatalog> {
    let enabled = ctx.state.providers.enabled();
    let mut catalog = ctx.state.catalog.offers(&enabled, |provider, instance_type| {
        provider != Provider::Sandbox || Sandbox::offers(instance_type)
    });
    // The sandbox's zones are its own, not the catalog's.
    for offer in catalog.providers.iter_mut().filter(|offer| offer.provider == Provider::Sandbox) {
        for region in &mut offer.regions {
            region.zones = crate::providers::sandbox::zones(&region.region);
        }
    }
    Ok(catalog)
}

/// The metering scope of the caller: all VMs for admins, else those of workspaces they can
/// see; narrowed to `workspace` (404 when they cannot see it) and `provider`.
async fn scope(
    ctx: &Ctx,
    caller: &Principal,
    workspace: Option<Uuid>,
    provider: Option<Provider>,
) -> ApiResult<MeterScope> {
    if let Some(workspace) = workspace {
        access::visible(&ctx.state.db, caller, workspace).await?;
    }
    Ok(MeterScope { viewer: access::list_scope(caller), workspace, provider })
}

async fn analysis(ctx: Ctx, caller: Principal, input: Input<GetCostAnalysis>) -> ApiResult<CostAnalysis> {
    let query = input.query;
    let period = query.period.unwrap_or_default();
    let scope = scope(&ctx, &caller, query.workspace_id, query.provider).await?;
    let usage =
        measure(&ctx.state.db, &ctx.state.catalog, scope, (period, ctx.state.clock.now()), false).await?;
    Ok(usage.analysis(&ctx.state.catalog, period))
}

async fn breakdown(ctx: Ctx, caller: Principal, input: Input<GetCostBreakdown>) -> ApiResult<CostBreakdown> {
    let query = input.query;
    let period = query.period.unwrap_or_default();
    let scope = scope(&ctx, &caller, query.workspace_id, Some(query.provider)).await?;
    let usage =
        measure(&ctx.state.db, &ctx.state.catalog, scope, (period, ctx.state.clock.now()), false).await?;
    Ok(usage.breakdown(&ctx.state.catalog, query.provider, query.service, period))
}

/// What a scope cost per provider and UTC day over a period.
#[derive(Debug, Default)]
pub struct Usage {
    /// The period's days, oldest first.
    pub days: Vec<NaiveDate>,
    /// Cost per provider and day (days without cost are absent).
    pub costs: BTreeMap<(Provider, NaiveDate), DayCost>,
    /// Cost per workspace over the whole period (only when measured `per_workspace`).
    pub by_workspace: BTreeMap<Uuid, Micros>,
    /// VMs that cost something unknown in the period.
    pub unpriced: Vec<UnpricedVm>,
}

/// Meters the VMs of `scope` over the `period` ending `now` (today counts up to `now`): the
/// stored roll-up for closed intervals, the open ones up to `now`. `per_workspace` fills
/// [`Usage::by_workspace`] (the open intervals are then read per workspace, a little slower).
pub async fn measure(
    db: &Database,
    catalog: &Catalog,
    scope: MeterScope,
    (period, now): (CostPeriod, DateTime<Utc>),
    per_workspace: bool,
) -> Result<Usage, DbError> {
    let days = period_days(period, now);
    let (first, last) = (days[0], days[days.len() - 1]);
    let since = midnight(first);
    // Every read sees the same moment: a change or the nightly close committed in between would
    // otherwise move an interval from the open meters to the day rows unseen by both reads.
    let mut snapshot = db.pool().begin().await?;
    if db.backend() == storage::Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *snapshot).await?;
    }
    let recorded = storage::costs::recorded(&mut snapshot, scope, (first, last), per_workspace).await?;
    let open = storage::costs::open_groups(&mut snapshot, scope, per_workspace).await?;
    let mut usage = tally(catalog, recorded, &open, days, now);
    // The VMs of unpriced kinds that cost something in the period are listed one by one.
    let mut kinds: Vec<(Provider, String, String)> = open
        .iter()
        .filter(|group| group.meter.billed_after(since, now))
        .map(|group| (group.provider, group.region.clone(), group.instance_type.clone()))
        .chain(storage::costs::kinds_billed_since(&mut snapshot, scope, since).await?)
        .filter(|(provider, region, instance_type)| catalog.rates(*provider, region, instance_type).is_none())
        .collect();
    kinds.sort();
    kinds.dedup();
    if !kinds.is_empty() {
        for vm in storage::costs::metered_of_kinds(&mut snapshot, scope, since, &kinds).await? {
            if vm.meter.billed_after(since, now) {
                usage.unpriced.push(UnpricedVm {
                    vm_id: vm.id,
                    provider: vm.provider,
                    region: vm.region,
                    instance_type: vm.instance_type,
                });
            }
        }
        usage.unpriced.sort_by_key(|vm| vm.vm_id);
    }
    snapshot.commit().await?;
    Ok(usage)
}

/// Brings the stored roll-up up to date with the history and `catalog` (at start-up, before
/// anything is served): prices it again when the catalog's rates changed, and replays the VMs
/// an older release stored. Returns how many VMs were replayed.
pub async fn backfill(db: &Database, catalog: &Catalog) -> Result<usize, DbError> {
    let rates = |provider, region: &str, instance_type: &str| catalog.rates(provider, region, instance_type);
    let replayed = storage::costs::backfill(db, &catalog.fingerprint(), rates).await?;
    if replayed > 0 {
        tracing::info!(vms = replayed, "cost roll-up built from the VMs' status history");
    }
    Ok(replayed)
}

/// Closes past days in the roll-up (see [`storage::costs::close_days`]) at the last UTC
/// midnight before `now`; returns how many meters were closed.
pub async fn close_days(db: &Database, catalog: &Catalog, now: DateTime<Utc>) -> Result<usize, DbError> {
    let rates = |provider, region: &str, instance_type: &str| catalog.rates(provider, region, instance_type);
    storage::costs::close_days(db, midnight(now.date_naive()), rates).await
}

/// The UTC days of `period` ending with the day of `now`.
fn period_days(period: CostPeriod, now: DateTime<Utc>) -> Vec<NaiveDate> {
    let today = now.date_naive();
    (0..period.days()).rev().filter_map(|back| today.checked_sub_days(Days::new(back.into()))).collect()
}

fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc()
}

/// Adds up what the closed intervals cost on `days` (oldest first) and what the open ones
/// cost up to `now`.
fn tally(
    catalog: &Catalog,
    recorded: RecordedCosts,
    open: &[OpenGroup],
    days: Vec<NaiveDate>,
    now: DateTime<Utc>,
) -> Usage {
    let mut usage = Usage { days, ..Usage::default() };
    for (provider, day, cost) in recorded.per_day {
        *usage.costs.entry((provider, day)).or_default() += cost;
    }
    usage.by_workspace.extend(recorded.per_workspace);
    for group in open {
        let Some(rates) = catalog.rates(group.provider, &group.region, &group.instance_type) else {
            continue;
        };
        for (day, cost) in group.meter.open_costs(now, rates) {
            if day < usage.days[0] {
                continue;
            }
            let cost = DayCost { compute: cost.compute * group.vms, storage: cost.storage * group.vms };
            if let Some(workspace) = group.workspace_id {
                *usage.by_workspace.entry(workspace).or_default() += cost.total();
            }
            *usage.costs.entry((group.provider, day)).or_default() += cost;
        }
    }
    usage
}

impl Usage {
    fn total(&self, keep: impl Fn(Provider) -> bool, part: impl Fn(&DayCost) -> Micros) -> Micros {
        self.costs.iter().filter(|((provider, _), _)| keep(*provider)).map(|(_, cost)| part(cost)).sum()
    }

    /// The `GET /cost-analysis` answer.
    pub fn analysis(&self, catalog: &Catalog, period: CostPeriod) -> CostAnalysis {
        let total = self.total(|_| true, DayCost::total);
        let total_cents = to_cents(total);
        let mut providers: Vec<(Provider, Micros)> = Provider::ALL
            .into_iter()
            .map(|provider| (provider, self.total(|p| p == provider, DayCost::total)))
            .filter(|(_, cost)| *cost > 0)
            .collect();
        providers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.as_str().cmp(b.0.as_str())));
        let breakdown = shares(&providers)
            .into_iter()
            .map(|(provider, cost, percentage)| ProviderCost { provider, cost, percentage })
            .collect();
        let per_day: Vec<Micros> = self
            .days
            .iter()
            .map(|day| self.costs.iter().filter(|((_, d), _)| d == day).map(|(_, cost)| cost.total()).sum())
            .collect();
        let trend = self
            .days
            .iter()
            .zip(apportion(total_cents, &per_day))
            .map(|(date, cents)| TrendPoint { date: *date, cost: dollars(cents) })
            .collect();
        CostAnalysis {
            total_cost: dollars(total_cents),
            currency: catalog.currency().to_owned(),
            period,
            breakdown,
            trend,
            source: CostSource::Estimate,
            catalog_date: catalog.date(),
            unpriced_vms: self.unpriced.clone(),
        }
    }

    /// The `GET /cost-analysis/breakdown` answer for `provider`, of `service` alone when given.
    pub fn breakdown(
        &self,
        catalog: &Catalog,
        provider: Provider,
        service: Option<CostService>,
        period: CostPeriod,
    ) -> CostBreakdown {
        let of = |part: fn(&DayCost) -> Micros| self.total(|p| p == provider, part);
        let [compute_name, storage_name] = services(provider);
        let parts: Vec<(CostService, Micros)> =
            [(compute_name, of(|cost| cost.compute)), (storage_name, of(|cost| cost.storage))]
                .into_iter()
                .filter(|(name, _)| service.is_none_or(|wanted| wanted == *name))
                .collect();
        let services = shares(&parts)
            .into_iter()
            .map(|(service, cost, percentage)| ServiceCost { service, cost, percentage })
            .collect();
        CostBreakdown {
            provider,
            total_cost: dollars(to_cents(parts.iter().map(|(_, cost)| cost).sum())),
            services,
            currency: catalog.currency().to_owned(),
            period,
            source: CostSource::Estimate,
            catalog_date: catalog.date(),
            unpriced_vms: self.unpriced.iter().filter(|vm| vm.provider == provider).cloned().collect(),
        }
    }
}

/// Splits `units` in proportion to `weights` so the parts add up to `units` exactly: each
/// part gets its floor, and the units left go to the largest remainders (earlier first on
/// ties). A zero weight never gets a unit while `units` is the rounded sum of the weights.
///
/// ```
/// use skyclust_server::costs::apportion;
/// assert_eq!(apportion(1000, &[1, 1, 1]), [334, 333, 333]);
/// assert_eq!(apportion(0, &[0, 0]), [0, 0]);
/// ```
pub fn apportion(units: i64, weights: &[Micros]) -> Vec<i64> {
    let sum: i128 = weights.iter().map(|weight| i128::from(*weight)).sum();
    if sum <= 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<(i64, i128)> = weights
        .iter()
        .map(|weight| {
            let share = i128::from(units) * i128::from(*weight);
            ((share / sum) as i64, share % sum)
        })
        .collect();
    let mut parts: Vec<i64> = exact.iter().map(|(floor, _)| *floor).collect();
    let left = units - parts.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| exact[*b].1.cmp(&exact[*a].1).then(a.cmp(b)));
    for index in order.into_iter().take(usize::try_from(left).unwrap_or(0)) {
        parts[index] += 1;
    }
    parts
}

/// Each part's key, cost in dollars and percentage of the whole (one decimal): cents and
/// tenths of a percent apportioned so that both add up exactly (percentages to 100.0, unless
/// everything is zero).
fn shares<K: Copy>(parts: &[(K, Micros)]) -> Vec<(K, f64, f64)> {
    let weights: Vec<Micros> = parts.iter().map(|(_, cost)| *cost).collect();
    let total: Micros = weights.iter().sum();
    let cents = apportion(to_cents(total), &weights);
    let tenths = apportion(if total > 0 { 1000 } else { 0 }, &weights);
    let shared = cents.into_iter().zip(tenths);
    parts
        .iter()
        .zip(shared)
        .map(|((key, _), (cents, tenths))| (*key, dollars(cents), tenths as f64 / 10.0))
        .collect()
}

/// Whole cents as a JSON amount.
pub fn dollars(cents: i64) -> f64 {
    cents as f64 / 100.0
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use skyclust_types::VmStatus;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
    }

    type History = Vec<(VmStatus, DateTime<Utc>)>;

    /// What metering reads for VMs with these histories (all in one workspace), as the
    /// roll-up stores it: each history replayed through a meter.
    fn usage(
        catalog: &Catalog,
        vms: &[(Provider, &str, History)],
        period: CostPeriod,
        now: DateTime<Utc>,
    ) -> Usage {
        let days = period_days(period, now);
        let mut recorded = RecordedCosts::default();
        let mut open = Vec::new();
        for (provider, instance_type, history) in vms {
            let rates = catalog.rates(*provider, "us-east-1", instance_type);
            let (meter, closed) = metering::replay(history, None, rates).unwrap();
            for (day, cost) in closed.into_iter().filter(|(day, _)| *day >= days[0]) {
                recorded.per_day.push((*provider, day, cost));
                recorded.per_workspace.push((Uuid::nil(), cost.total()));
            }
            open.push(OpenGroup {
                workspace_id: Some(Uuid::nil()),
                provider: *provider,
                region: "us-east-1".into(),
                instance_type: (*instance_type).into(),
                meter,
                vms: 1,
            });
        }
        let mut per_workspace = BTreeMap::new();
        for (workspace, cost) in recorded.per_workspace.drain(..) {
            *per_workspace.entry(workspace).or_default() += cost;
        }
        recorded.per_workspace = per_workspace.into_iter().collect();
        tally(catalog, recorded, &open, days, now)
    }

    #[test]
    fn apportioned_parts_add_up_and_follow_the_weights() {
        assert_eq!(apportion(100, &[2, 1, 1]), [50, 25, 25]);
        assert_eq!(apportion(1000, &[2, 1]), [667, 333]);
        assert_eq!(apportion(3, &[5, 0, 5]), [2, 0, 1]);
        assert_eq!(apportion(7, &[]), Vec::<i64>::new());
        for weights in [vec![333_333, 333_333, 333_334], vec![1, 999_999], vec![10, 20, 30, 40]] {
            let units = to_cents(weights.iter().sum());
            assert_eq!(apportion(units, &weights).iter().sum::<i64>(), units, "{weights:?}");
        }
    }

    #[test]
    fn a_period_has_one_point_per_day_and_adds_up() {
        let catalog = Catalog::embedded();
        let vms = [
            (Provider::Aws, "t3.micro", vec![(VmStatus::Pending, at(1, 0)), (VmStatus::Running, at(1, 0))]),
            (
                Provider::Sandbox,
                "m5.large",
                vec![(VmStatus::Running, at(6, 12)), (VmStatus::Stopped, at(6, 18))],
            ),
            (Provider::Sandbox, "m5.nano", vec![(VmStatus::Running, at(6, 12))]),
        ];
        let now = at(7, 12);
        let usage = usage(&catalog, &vms, CostPeriod::Week, now);
        let answer = usage.analysis(&catalog, CostPeriod::Week);
        let dates: Vec<String> = answer.trend.iter().map(|point| point.date.to_string()).collect();
        assert_eq!(
            dates,
            [
                "2026-03-01",
                "2026-03-02",
                "2026-03-03",
                "2026-03-04",
                "2026-03-05",
                "2026-03-06",
                "2026-03-07"
            ]
        );
        let trend_cents: i64 = answer.trend.iter().map(|point| (point.cost * 100.0).round() as i64).sum();
        assert_eq!(trend_cents, (answer.total_cost * 100.0).round() as i64);
        // aws t3.micro: 156 h running ($1.6224) and its volume (6 × $0.021041 + $0.010521);
        // sandbox m5.large: 6 h at $0.096 and its volume for 2 half days (2 × $0.010521).
        let aws = 1_622_400 + 6 * 21_041 + 10_521;
        let sandbox = 576_000 + 2 * 10_521;
        assert_eq!((aws, sandbox), (1_759_167, 597_042));
        assert_eq!(
            usage.by_workspace.get(&Uuid::nil()),
            Some(&(aws + sandbox)),
            "one workspace holds them all"
        );
        assert_eq!(answer.total_cost, 2.36);
        assert_eq!((answer.breakdown[0].cost, answer.breakdown[1].cost), (1.76, 0.6));
        assert_eq!((answer.breakdown[0].percentage, answer.breakdown[1].percentage), (74.7, 25.3));
        assert_eq!(answer.breakdown[0].provider, Provider::Aws);
        assert_eq!(answer.breakdown.iter().map(|cost| cost.percentage).sum::<f64>(), 100.0);

        let aws_only = usage.breakdown(&catalog, Provider::Aws, None, CostPeriod::Week);
        let names: Vec<CostService> = aws_only.services.iter().map(|cost| cost.service).collect();
        assert_eq!(names, [CostService::Ec2, CostService::Ebs]);
        assert_eq!(aws_only.total_cost, answer.breakdown[0].cost);
        let ebs = usage.breakdown(&catalog, Provider::Aws, Some(CostService::Ebs), CostPeriod::Week);
        assert_eq!(ebs.services.len(), 1);
        assert_eq!(ebs.total_cost, 0.14);
        assert_eq!(ebs.services[0].percentage, 100.0);
    }

    #[test]
    fn an_empty_scope_costs_zero_on_every_day() {
        let catalog = Catalog::embedded();
        let now = at(20, 0);
        let answer = usage(&catalog, &[], CostPeriod::Quarter, now).analysis(&catalog, CostPeriod::Quarter);
        assert_eq!(answer.trend.len(), 90);
        assert!(answer.trend.iter().all(|point| point.cost == 0.0));
        assert_eq!(answer.total_cost, 0.0);
        assert!(answer.breakdown.is_empty());
    }
}
