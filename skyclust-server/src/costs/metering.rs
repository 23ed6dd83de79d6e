//! Metering: what a VM cost, from its status history.
//!
//! Compute is billed while the VM is `running` (and through a reboot, which SkyClust shows as
//! `running` → `starting` → `running` while the instance keeps running); its root volume from the moment an instance
//! exists (the first status past `pending`) until it is `terminated` — a VM that failed before
//! its instance existed costs nothing. Time is split exactly at UTC midnights and kept in
//! microseconds per day; money is integer micro-dollars, converted once per day and kind, and
//! rounded to cents only by [`to_cents`] at the edge, so sums over days never drift.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use skyclust_types::VmStatus;

/// Millionths of a dollar.
pub type Micros = i64;

/// A price: `micros` for every `per_hours` hours of use (compute is priced per hour, block
/// storage per month of 730 hours — kept as given, so nothing is rounded before metering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Micro-dollars…
    pub micros: Micros,
    /// …per this many hours.
    pub per_hours: i64,
}

/// What a VM's compute and root volume cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rates {
    /// Compute (the instance type's on-demand price), while running.
    pub compute: Rate,
    /// The root volume, while the instance exists.
    pub storage: Rate,
}

/// One UTC day of a VM's cost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DayCost {
    /// Compute, while running.
    pub compute: Micros,
    /// Block storage, while the instance exists.
    pub storage: Micros,
}

impl std::ops::AddAssign for DayCost {
    fn add_assign(&mut self, cost: DayCost) {
        self.compute += cost.compute;
        self.storage += cost.storage;
    }
}

impl DayCost {
    /// Compute and storage together.
    pub fn total(&self) -> Micros {
        self.compute + self.storage
    }
}

const MICROSECONDS_PER_HOUR: i128 = 3_600_000_000;

/// The cost per UTC day of a VM whose status history (oldest first) is `history`, counted up
/// to `until` (now, for a VM still running: its cost grows as time passes). Days without cost
/// are absent. The same [`Meter`] that the stored roll-up advances change by change does the
/// counting, so the two cannot disagree.
pub fn daily_costs(
    history: &[(VmStatus, DateTime<Utc>)],
    until: DateTime<Utc>,
    rates: Rates,
) -> BTreeMap<NaiveDate, DayCost> {
    let Some((meter, mut days)) = replay(history, Some(until), Some(rates)) else {
        return BTreeMap::new();
    };
    add_to(&mut days, meter.open_costs(until, rates));
    days.retain(|_, cost| cost.total() != 0);
    days
}

/// Runs a status history (oldest first) through a [`Meter`]: the meter after the last change
/// and what the closed intervals cost per day (changes after `until`, when given, count as
/// made at `until`). `None` for an empty history.
pub fn replay(
    history: &[(VmStatus, DateTime<Utc>)],
    until: Option<DateTime<Utc>>,
    rates: Option<Rates>,
) -> Option<(Meter, BTreeMap<NaiveDate, DayCost>)> {
    let ((status, at), later) = history.split_first()?;
    let clamp = |at: DateTime<Utc>| until.map_or(at, |until| at.min(until));
    let mut meter = Meter::start(*status, clamp(*at));
    let mut days = BTreeMap::new();
    for (status, at) in later {
        add_to(&mut days, meter.advance(*status, clamp(*at), rates));
    }
    Some((meter, days))
}

/// Adds `costs` into `days`.
pub fn add_to(days: &mut BTreeMap<NaiveDate, DayCost>, costs: Vec<(NaiveDate, DayCost)>) {
    for (day, cost) in costs {
        *days.entry(day).or_default() += cost;
    }
}

/// Where a VM's metering stands after the status changes seen so far: the status it is in
/// and since when, what that bills, and the time already billed on the day `since` falls on.
/// Each change closes the interval since the previous one and yields only what that interval
/// adds per day; money is rounded per VM and day, the rounding of a day's growing total
/// applied as the difference it makes, so the sum over a day's intervals equals one rounding
/// of the day's whole time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meter {
    /// The status entered last.
    pub status: VmStatus,
    /// When it was entered.
    pub since: DateTime<Utc>,
    /// Compute is billed from `since` on (running, or rebooting).
    pub running: bool,
    /// The root volume is billed from `since` on (an instance exists).
    pub exists: bool,
    /// Microseconds of compute and of storage already billed on the UTC day of `since`,
    /// before it.
    pub day_time: (i64, i64),
    /// The end of the last interval that billed anything (`None`: nothing yet).
    pub accrued_until: Option<DateTime<Utc>>,
}

impl Meter {
    /// A VM's meter at its first status.
    pub fn start(status: VmStatus, at: DateTime<Utc>) -> Meter {
        Meter {
            status,
            since: at,
            running: status == VmStatus::Running,
            exists: !matches!(status, VmStatus::Pending | VmStatus::Terminated | VmStatus::Error),
            day_time: (0, 0),
            accrued_until: None,
        }
    }

    /// Whether time in the current status costs something.
    pub fn bills(&self) -> bool {
        self.running || self.exists
    }

    /// Enters `status` at `at` (a change older than the current status counts as made at
    /// the same instant) and returns what the closed interval cost per day, at `rates`
    /// (`None`: unpriced, nothing is charged but the time is still followed).
    pub fn advance(
        &mut self,
        status: VmStatus,
        at: DateTime<Utc>,
        rates: Option<Rates>,
    ) -> Vec<(NaiveDate, DayCost)> {
        let costs = self.close_until(at, rates);
        let rebooting = status == VmStatus::Starting && self.status == VmStatus::Running;
        self.exists = match status {
            VmStatus::Pending | VmStatus::Error => self.exists,
            VmStatus::Terminated => false,
            _ => true,
        };
        self.running = status == VmStatus::Running || rebooting;
        self.status = status;
        costs
    }

    /// Closes the current status's interval at `at` without leaving the status (the roll-up
    /// closes past days this way) and returns what it cost per day.
    pub fn close_until(&mut self, at: DateTime<Utc>, rates: Option<Rates>) -> Vec<(NaiveDate, DayCost)> {
        let at = at.max(self.since);
        let (costs, day_time) = self.costs_until(at, rates);
        if self.bills() && at > self.since {
            self.accrued_until = Some(at);
        }
        self.since = at;
        self.day_time = day_time;
        costs
    }

    /// What the current status has cost from `since` to `until` per day, not yet recorded.
    pub fn open_costs(&self, until: DateTime<Utc>, rates: Rates) -> Vec<(NaiveDate, DayCost)> {
        self.costs_until(until, Some(rates)).0
    }

    /// Whether the VM billed anything after `from` (up to `until`): what unpriced VMs are
    /// listed by.
    pub fn billed_after(&self, from: DateTime<Utc>, until: DateTime<Utc>) -> bool {
        self.accrued_until.is_some_and(|accrued| accrued > from)
            || (self.bills() && until > self.since.max(from))
    }

    /// The cost per day of `[since, until)` and the time billed on the day `until` falls on.
    fn costs_until(
        &self,
        until: DateTime<Utc>,
        rates: Option<Rates>,
    ) -> (Vec<(NaiveDate, DayCost)>, (i64, i64)) {
        let mut costs = Vec::new();
        let mut day_time = self.day_time;
        let mut day = self.since.date_naive();
        for (piece_day, microseconds) in split_at_midnights(self.since, until) {
            if piece_day != day {
                day = piece_day;
                day_time = (0, 0);
            }
            let before = day_time;
            if self.running {
                day_time.0 += microseconds;
            }
            if self.exists {
                day_time.1 += microseconds;
            }
            if let Some(rates) = rates {
                let cost = DayCost {
                    compute: charge(rates.compute, day_time.0) - charge(rates.compute, before.0),
                    storage: charge(rates.storage, day_time.1) - charge(rates.storage, before.1),
                };
                if cost.total() != 0 {
                    costs.push((piece_day, cost));
                }
            }
        }
        if until.date_naive() != day {
            day_time = (0, 0);
        }
        (costs, day_time)
    }
}

/// `[from, to)` as microseconds per UTC day.
fn split_at_midnights(from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<(NaiveDate, i64)> {
    let mut pieces = Vec::new();
    let mut start = from;
    while start < to {
        let day = start.date_naive();
        let midnight = day.succ_opt().and_then(|next| next.and_hms_opt(0, 0, 0)).map(|time| time.and_utc());
        let end = midnight.map_or(to, |midnight| midnight.min(to));
        pieces.push((day, (end - start).num_microseconds().unwrap_or(i64::MAX)));
        start = end;
    }
    pieces
}

/// `rate` for `microseconds`, rounded half up to a micro-dollar.
fn charge(rate: Rate, microseconds: i64) -> Micros {
    let exact = i128::from(rate.micros) * i128::from(microseconds);
    let per = MICROSECONDS_PER_HOUR * i128::from(rate.per_hours.max(1));
    ((exact + per / 2) / per) as Micros
}

/// Micro-dollars as whole cents, rounded half up (the only rounding to cents).
///
/// ```
/// use skyclust_server::costs::metering::to_cents;
/// assert_eq!(to_cents(374_400), 37);
/// assert_eq!(to_cents(5_000), 1);
/// assert_eq!(to_cents(4_999), 0);
/// ```
pub fn to_cents(micros: Micros) -> i64 {
    (micros + 5_000).div_euclid(10_000)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// t3.micro in us-east-1: $0.0104 an hour; 8 GB of gp3 at $0.08 per GB-month of 730 hours.
    const T3_MICRO: Rates = Rates {
        compute: Rate { micros: 10_400, per_hours: 1 },
        storage: Rate { micros: 640_000, per_hours: 730 },
    };
    /// A day of the root volume: $0.64 × 24 / 730.
    const VOLUME_DAY: Micros = 21_041;

    fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0).unwrap()
    }

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    #[test]
    fn thirty_six_running_hours_across_three_days() {
        use VmStatus::*;
        let history = [
            (Pending, at(1, 17, 58)),
            (Starting, at(1, 17, 59)),
            (Running, at(1, 18, 0)),
            (Stopping, at(3, 6, 0)),
            (Stopped, at(3, 6, 1)),
            (Terminating, at(3, 12, 0)),
            (Terminated, at(3, 12, 1)),
        ];
        let days = daily_costs(&history, at(9, 0, 0), T3_MICRO);
        let compute: Vec<(NaiveDate, Micros)> = days.iter().map(|(day, cost)| (*day, cost.compute)).collect();
        assert_eq!(compute, [(date(1), 62_400), (date(2), 249_600), (date(3), 62_400)]);
        assert_eq!(days.values().map(|cost| cost.compute).sum::<Micros>(), 36 * 10_400);
        // The volume is billed from the instance's first minute to its termination.
        assert_eq!(days[&date(1)].storage, 5_275, "6 h 1 min: $0.64 × 361 / (730 × 60)");
        assert_eq!(days[&date(2)].storage, VOLUME_DAY);
        assert_eq!(days[&date(3)].storage, 10_535, "12 h 1 min");
        assert_eq!(to_cents(days.values().map(|cost| cost.compute).sum()), 37);
    }

    #[test]
    fn stopped_time_costs_storage_only() {
        use VmStatus::*;
        let history = [(Running, at(5, 0, 0)), (Stopped, at(5, 1, 30)), (Running, at(5, 23, 0))];
        let day = daily_costs(&history, at(6, 0, 0), T3_MICRO)[&date(5)];
        assert_eq!(day.compute, 15_600 + 10_400, "an hour and a half, then one hour");
        assert_eq!(day.storage, VOLUME_DAY);
    }

    #[test]
    fn a_reboot_is_billed_as_running_but_a_start_is_not() {
        use VmStatus::*;
        let rebooted = [(Running, at(5, 0, 0)), (Starting, at(5, 1, 0)), (Running, at(5, 1, 1))];
        assert_eq!(daily_costs(&rebooted, at(5, 2, 0), T3_MICRO)[&date(5)].compute, 2 * 10_400);
        let started = [(Stopped, at(5, 0, 0)), (Starting, at(5, 0, 30)), (Running, at(5, 1, 0))];
        assert_eq!(daily_costs(&started, at(5, 2, 0), T3_MICRO)[&date(5)].compute, 10_400);
    }

    #[test]
    fn a_running_vm_costs_more_as_time_passes() {
        let history = [(VmStatus::Running, at(10, 0, 0))];
        let total =
            |until| daily_costs(&history, until, T3_MICRO).values().map(DayCost::total).sum::<Micros>();
        assert_eq!(total(at(10, 0, 0)), 0);
        assert!(total(at(10, 1, 0)) < total(at(10, 2, 0)));
        assert_eq!(total(at(11, 0, 0)), 24 * 10_400 + VOLUME_DAY);
        // History after `until` is not counted yet.
        assert_eq!(daily_costs(&history, at(9, 0, 0), T3_MICRO), BTreeMap::new());
    }

    /// Metering a whole history at once, the way it was done before the roll-up: the status
    /// of each change and the one before it decide what the interval to the next change bills.
    fn whole_history(
        history: &[(VmStatus, DateTime<Utc>)],
        until: DateTime<Utc>,
        rates: Rates,
    ) -> Vec<(NaiveDate, DayCost)> {
        let mut time: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
        let mut exists = false;
        for (index, (status, from)) in history.iter().enumerate() {
            exists = match status {
                VmStatus::Pending | VmStatus::Error => exists,
                VmStatus::Terminated => false,
                _ => true,
            };
            let to = history.get(index + 1).map_or(until, |(_, next)| *next).min(until);
            let running = *status == VmStatus::Running
                || (*status == VmStatus::Starting && index > 0 && history[index - 1].0 == VmStatus::Running);
            for (day, microseconds) in split_at_midnights(*from, to) {
                let entry = time.entry(day).or_default();
                entry.0 += if running { microseconds } else { 0 };
                entry.1 += if exists { microseconds } else { 0 };
            }
        }
        time.into_iter()
            .map(|(day, (compute, storage))| {
                (
                    day,
                    DayCost {
                        compute: charge(rates.compute, compute),
                        storage: charge(rates.storage, storage),
                    },
                )
            })
            .filter(|(_, cost)| cost.total() != 0)
            .collect()
    }

    #[test]
    fn the_meter_change_by_change_agrees_with_metering_the_whole_history() {
        use VmStatus::*;
        let statuses = [Pending, Starting, Running, Stopping, Stopped, Error, Terminating, Terminated];
        // A fixed pseudo-random walk: several changes a day, days without any, reboots.
        let mut seed: u64 = 7;
        let mut next = |bound: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % bound
        };
        for _ in 0..300 {
            let mut at = at(1, 0, 0) + chrono::Duration::minutes(next(24 * 60) as i64);
            let mut history = vec![(Pending, at)];
            for _ in 0..next(25) {
                at += chrono::Duration::seconds(next(3 * 24 * 3600) as i64);
                history.push((statuses[next(statuses.len() as u64) as usize], at));
            }
            let until = at + chrono::Duration::seconds(next(2 * 24 * 3600) as i64);
            let expected = whole_history(&history, until, T3_MICRO);
            let metered: Vec<(NaiveDate, DayCost)> =
                daily_costs(&history, until, T3_MICRO).into_iter().collect();
            assert_eq!(metered, expected, "{history:?} until {until}");
            // Stopping the count anywhere inside the history agrees too.
            let cut = history[history.len() / 2].1 + chrono::Duration::minutes(1);
            let metered: Vec<(NaiveDate, DayCost)> =
                daily_costs(&history, cut, T3_MICRO).into_iter().collect();
            assert_eq!(metered, whole_history(&history, cut, T3_MICRO), "{history:?} until {cut}");
        }
    }

    #[test]
    fn closing_days_on_the_way_changes_no_figure() {
        use VmStatus::*;
        let history = [
            (Pending, at(1, 9, 0)),
            (Running, at(1, 9, 5)),
            (Starting, at(3, 23, 59)),
            (Running, at(4, 0, 1)),
        ];
        let until = at(6, 7, 30);
        let (mut meter, mut days) = replay(&history, None, Some(T3_MICRO)).unwrap();
        add_to(&mut days, meter.open_costs(until, T3_MICRO));
        let (mut closed, mut closed_days) = replay(&history[..3], None, Some(T3_MICRO)).unwrap();
        // The reboot spans a midnight: closing there keeps it billed.
        add_to(&mut closed_days, closed.close_until(at(4, 0, 0), Some(T3_MICRO)));
        add_to(&mut closed_days, closed.advance(Running, at(4, 0, 1), Some(T3_MICRO)));
        for day in [5, 6] {
            add_to(&mut closed_days, closed.close_until(at(day, 0, 0), Some(T3_MICRO)));
        }
        add_to(&mut closed_days, closed.open_costs(until, T3_MICRO));
        assert_eq!(closed_days, days);
        assert_eq!(days[&date(4)].compute, 24 * 10_400, "rebooting across midnight is billed");
        meter.close_until(at(6, 0, 0), Some(T3_MICRO));
        assert_eq!((closed.since, closed.day_time), (meter.since, meter.day_time));
    }

    #[test]
    fn a_meter_remembers_what_an_unpriced_vm_billed() {
        use VmStatus::*;
        let mut meter = Meter::start(Pending, at(1, 0, 0));
        assert!(meter.advance(Running, at(1, 1, 0), None).is_empty());
        assert!(!meter.billed_after(at(1, 0, 0), at(1, 1, 0)), "pending bills nothing");
        assert!(meter.billed_after(at(1, 0, 0), at(1, 2, 0)), "running since 01:00");
        assert!(meter.advance(Terminated, at(1, 3, 0), None).is_empty());
        assert_eq!(meter.accrued_until, Some(at(1, 3, 0)));
        assert!(meter.billed_after(at(1, 2, 59), at(9, 0, 0)));
        assert!(!meter.billed_after(at(1, 3, 0), at(9, 0, 0)), "nothing after its termination");
        assert_eq!(meter.day_time, (2 * 3_600_000_000, 2 * 3_600_000_000), "01:00 to 03:00 that day");
    }

    #[test]
    fn a_vm_that_never_existed_costs_nothing() {
        use VmStatus::*;
        let history = [(Pending, at(1, 0, 0)), (Error, at(1, 0, 1))];
        assert!(daily_costs(&history, at(20, 0, 0), T3_MICRO).is_empty());
    }
}
