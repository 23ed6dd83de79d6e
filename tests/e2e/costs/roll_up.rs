//! The stored roll-up: built from history on upgrade, repriced by new prices, exact under
//! concurrent status changes.

use super::*;

/// A user and a workspace stored directly (the roll-up tests work below the API).
async fn owner_and_workspace(db: &skyclust_server::storage::Database) -> (uuid::Uuid, uuid::Uuid) {
    let (user, workspace) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let now = "2030-01-01T00:00:00.000000Z";
    sqlx::query(
        "INSERT INTO users (id, username, email, password_hash, role, is_active, created_at, updated_at) \
         VALUES ($1, $2, $3, 'x', 'user', 1, $4, $4)",
    )
    .bind(user.to_string())
    .bind(format!("owner-{}", &user.simple().to_string()[..8]))
    .bind(format!("{user}@example.com"))
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO workspaces (id, name, description, owner_id, is_active, created_at, updated_at) \
         VALUES ($1, 'fleet', '', $2, 1, $3, $3)",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(now)
    .execute(db.pool())
    .await
    .unwrap();
    (user, workspace)
}

/// What metering the whole status history of every VM gives per provider and day from
/// `first` on, up to `now`: the figures the roll-up must reproduce.
async fn from_history(
    db: &skyclust_server::storage::Database,
    catalog: &Catalog,
    vms: &[(uuid::Uuid, Provider, &str)],
    first: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> BTreeMap<(Provider, chrono::NaiveDate), DayCost> {
    let mut expected = BTreeMap::new();
    for (id, provider, instance_type) in vms {
        let history = skyclust_server::storage::vms::history(db, *id).await.unwrap();
        let rates = catalog.rates(*provider, "us-east-1", instance_type).unwrap();
        for (day, cost) in daily_costs(&history, now, rates).into_iter().filter(|(day, _)| *day >= first) {
            *expected.entry((*provider, day)).or_default() += cost;
        }
    }
    expected
}

#[tokio::test]
async fn upgrading_builds_the_roll_up_from_the_history_and_new_prices_reprice_it() {
    each_backend(|db| async move {
        // The database as release 13 left it: two VMs and their status histories, no roll-up.
        let old = Database::open_at_version(&db.url, 1, 13).await.unwrap();
        let (user, workspace) = owner_and_workspace(&old).await;
        let start = chrono::Utc.with_ymd_and_hms(2030, 5, 20, 9, 30, 0).unwrap();
        let hours = |hours: i64| start + chrono::Duration::hours(hours);
        let fleet = [
            (uuid::Uuid::new_v4(), Provider::Aws, "t3.micro"),
            (uuid::Uuid::new_v4(), Provider::Sandbox, "m5.large"),
        ];
        let histories = [
            vec![("pending", hours(0)), ("running", hours(1)), ("stopped", hours(40)), ("running", hours(70))],
            vec![("pending", hours(5)), ("running", hours(6)), ("starting", hours(30)), ("running", hours(31))],
        ];
        for ((id, provider, instance_type), history) in fleet.iter().zip(&histories) {
            let (status, updated) = *history.last().unwrap();
            sqlx::query(
                "INSERT INTO vms (id, workspace_id, name, provider, instance_type, region, status, created_by, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'us-east-1', $6, $7, $8, $9)",
            )
            .bind(id.to_string())
            .bind(workspace.to_string())
            .bind(format!("vm-{instance_type}"))
            .bind(provider.as_str())
            .bind(*instance_type)
            .bind(status)
            .bind(user.to_string())
            .bind(time::encode(history[0].1))
            .bind(time::encode(updated))
            .execute(old.pool())
            .await
            .unwrap();
            for (status, at) in history {
                sqlx::query("INSERT INTO vm_status_history (id, vm_id, status, reason, at) VALUES ($1, $2, $3, NULL, $4)")
                    .bind(uuid::Uuid::new_v4().to_string())
                    .bind(id.to_string())
                    .bind(*status)
                    .bind(time::encode(*at))
                    .execute(old.pool())
                    .await
                    .unwrap();
            }
        }
        old.pool().close().await;

        let upgraded = Database::open(&db.url, 1).await.unwrap();
        let catalog = Catalog::embedded();
        assert_eq!(costs::backfill(&upgraded, &catalog).await.unwrap(), 2, "both VMs replayed");
        assert_eq!(costs::backfill(&upgraded, &catalog).await.unwrap(), 0, "once");
        let now = hours(100);
        let period = CostPeriod::Month;
        let usage = costs::measure(&upgraded, &catalog, MeterScope::default(), (period, now), true).await.unwrap();
        let expected = from_history(&upgraded, &catalog, &fleet, usage.days[0], now).await;
        assert!(expected.values().all(|cost| cost.compute > 0 && cost.storage > 0), "{expected:?}");
        assert_eq!(usage.costs, expected);

        // A catalog whose t3.micro costs ten times as much prices the roll-up again.
        let dearer = include_str!("../../../skyclust-server/catalog/prices.json").replacen(
            r#""instance_type": "t3.micro", "hourly": "0.0104""#,
            r#""instance_type": "t3.micro", "hourly": "0.104""#,
            1,
        );
        let dearer = Catalog::parse(&dearer).unwrap();
        assert_eq!(costs::backfill(&upgraded, &dearer).await.unwrap(), 2, "both VMs priced again");
        let usage = costs::measure(&upgraded, &dearer, MeterScope::default(), (period, now), true).await.unwrap();
        let expected = from_history(&upgraded, &dearer, &fleet, usage.days[0], now).await;
        assert_eq!(usage.costs, expected);
        let aws: i64 = expected.iter().filter(|((p, _), _)| *p == Provider::Aws).map(|(_, c)| c.compute).sum();
        assert_eq!(aws, 69 * 104_000, "69 running hours at $0.104");
        upgraded.close().await;
    })
    .await;
}

fn template(workspace: uuid::Uuid, user: uuid::Uuid) -> NewVm<'static> {
    NewVm {
        workspace_id: workspace,
        name: "vm",
        provider: Provider::Aws,
        instance_type: "t3.micro",
        region: "us-east-1",
        zone: None,
        image_id: None,
        key_pair: None,
        credential_id: None,
        created_by: user,
    }
}

#[tokio::test]
async fn concurrent_status_changes_keep_the_roll_up_exact() {
    each_backend(|db| async move {
        let db = Database::open(&db.url, 8).await.unwrap();
        let catalog = Catalog::embedded();
        let (user, workspace) = owner_and_workspace(&db).await;
        let start = chrono::Utc.with_ymd_and_hms(2030, 5, 30, 22, 0, 0).unwrap();
        let mut fleet = Vec::new();
        for index in 0..16 {
            let (provider, instance_type) =
                if index % 2 == 0 { (Provider::Aws, "t3.micro") } else { (Provider::Sandbox, "m5.large") };
            let name = format!("vm-{index}");
            let new = NewVm { name: &name, provider, instance_type, ..template(workspace, user) };
            let stored = vms::insert_with_create(&db, new, None, start).await.unwrap();
            let vms::Stored::Vm(vm) = stored else { panic!("refused: {stored:?}") };
            fleet.push((vm.id, provider, instance_type));
        }
        // Every VM changes status at the same instants, across two midnights: all of them add
        // to the same day rows at once.
        let changes = [
            (VmStatus::Starting, 1),
            (VmStatus::Running, 2),
            (VmStatus::Stopping, 150),
            (VmStatus::Stopped, 151),
            (VmStatus::Starting, 1_500),
            (VmStatus::Running, 1_501),
            (VmStatus::Starting, 2_000),
            (VmStatus::Running, 2_001),
            (VmStatus::Terminating, 2_900),
            (VmStatus::Terminated, 2_910),
        ];
        for (status, minutes) in changes {
            let at = start + chrono::Duration::minutes(minutes);
            let writes = fleet.iter().map(|(id, provider, instance_type)| {
                let (db, rates) = (db.clone(), catalog.rates(*provider, "us-east-1", instance_type));
                async move {
                    vms::record_status(&db, *id, (status, None), Observed::default(), (at, rates))
                        .await
                        .unwrap()
                }
            });
            // Past days are closed meanwhile, as the daily job does.
            let closing = {
                let (db, catalog) = (db.clone(), catalog.clone());
                tokio::spawn(async move { costs::close_days(&db, &catalog, at).await.unwrap() })
            };
            futures_util::future::join_all(writes).await;
            closing.await.unwrap();
        }
        // A change stamped before the VM's last one (a clock stepped back) is stored at the
        // meter's time: history and roll-up keep agreeing.
        let name = "stepped-back".to_owned();
        let new = NewVm { name: &name, ..template(workspace, user) };
        let stored = vms::insert_with_create(&db, new, None, start).await.unwrap();
        let vms::Stored::Vm(stepped) = stored else { panic!("refused: {stored:?}") };
        let stepped = stepped.id;
        let rates = catalog.rates(Provider::Aws, "us-east-1", "t3.micro");
        for (status, minutes) in [(VmStatus::Running, 600), (VmStatus::Stopped, 300)] {
            let at = start + chrono::Duration::minutes(minutes);
            vms::record_status(&db, stepped, (status, None), Observed::default(), (at, rates)).await.unwrap();
        }
        let history = vms::history(&db, stepped).await.unwrap();
        assert_eq!(history.last(), Some(&(VmStatus::Stopped, start + chrono::Duration::minutes(600))));
        fleet.push((stepped, Provider::Aws, "t3.micro"));

        let now = start + chrono::Duration::days(3);
        let usage = costs::measure(&db, &catalog, MeterScope::default(), (CostPeriod::Week, now), true)
            .await
            .unwrap();
        let expected = from_history(&db, &catalog, &fleet, usage.days[0], now).await;
        assert_eq!(expected.len(), 7, "three days of two providers, a fourth of one volume: {expected:?}");
        assert_eq!(usage.costs, expected);
        assert_eq!(usage.by_workspace[&workspace], expected.values().map(DayCost::total).sum::<i64>());
        let per_provider =
            costs::measure(&db, &catalog, MeterScope::default(), (CostPeriod::Week, now), false);
        assert_eq!(per_provider.await.unwrap().costs, expected, "read without the per-workspace split");
        db.close().await;
    })
    .await;
}
