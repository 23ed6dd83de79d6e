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

/// Some price for everything: metering with it tells whether a VM cost anything at all.
pub const ANY_PRICE: Rates = Rates {
    compute: Rate { micros: 1_000_000, per_hours: 1 },
    storage: Rate { micros: 1_000_000, per_hours: 1 },
};

/// One UTC day of a VM's cost.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DayCost {
    /// Compute, while running.
    pub compute: Micros,
    /// Block storage, while the instance exists.
    pub storage: Micros,
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
/// are absent.
pub fn daily_costs(
    history: &[(VmStatus, DateTime<Utc>)],
    until: DateTime<Utc>,
    rates: Rates,
) -> BTreeMap<NaiveDate, DayCost> {
    // Microseconds of (compute, storage) per day; converted to money once per day.
    let mut time: BTreeMap<NaiveDate, (i64, i64)> = BTreeMap::new();
    let mut exists = false;
    for (index, (status, from)) in history.iter().enumerate() {
        exists = match status {
            VmStatus::Pending => exists,
            VmStatus::Terminated => false,
            VmStatus::Error => exists,
            _ => true,
        };
        let to = history.get(index + 1).map_or(until, |(_, next)| *next).min(until);
        let rebooting =
            *status == VmStatus::Starting && index > 0 && history[index - 1].0 == VmStatus::Running;
        let running = *status == VmStatus::Running || rebooting;
        if !(running || exists) {
            continue;
        }
        for (day, microseconds) in split_at_midnights(*from, to) {
            let entry = time.entry(day).or_default();
            if running {
                entry.0 += microseconds;
            }
            if exists {
                entry.1 += microseconds;
            }
        }
    }
    time.into_iter()
        .map(|(day, (compute, storage))| {
            let cost =
                DayCost { compute: charge(rates.compute, compute), storage: charge(rates.storage, storage) };
            (day, cost)
        })
        .filter(|(_, cost)| cost.total() != 0)
        .collect()
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

    #[test]
    fn a_vm_that_never_existed_costs_nothing() {
        use VmStatus::*;
        let history = [(Pending, at(1, 0, 0)), (Error, at(1, 0, 1))];
        assert!(daily_costs(&history, at(20, 0, 0), T3_MICRO).is_empty());
    }
}
