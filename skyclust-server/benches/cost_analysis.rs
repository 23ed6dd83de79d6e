//! Benchmark of cost analysis: a 90-day `GET /cost-analysis` over 10,000 VMs with months of
//! status history, answered by an in-process server on a release build.
//!
//! ```text
//! cargo bench -p skyclust-server --bench cost_analysis                      # SQLite file
//! cargo bench -p skyclust-server --bench cost_analysis -- --vms 2000 --budget-ms 50
//! cargo bench -p skyclust-server --bench cost_analysis -- --churn 10   # ten times the changes
//! cargo bench -p skyclust-server --bench cost_analysis -- --database-url postgres://postgres@127.0.0.1/test
//! ```
//!
//! Exits non-zero when the median answer takes longer than `--budget-ms`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use skyclust_server::clock::ManualClock;
use skyclust_server::state::AppState;
use skyclust_server::storage::time;
use skyclust_server::{Config, Server};
use uuid::Uuid;

struct Options {
    vms: usize,
    requests: usize,
    budget_ms: u64,
    database_url: Option<String>,
    churn: i64,
}

fn options() -> Options {
    let mut options = Options { vms: 10_000, requests: 20, budget_ms: 100, database_url: None, churn: 1 };
    let mut args = std::env::args().skip(1).filter(|arg| arg != "--bench");
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--vms" => options.vms = value.parse().expect("--vms takes a number"),
            "--requests" => options.requests = value.parse().expect("--requests takes a number"),
            "--budget-ms" => options.budget_ms = value.parse().expect("--budget-ms takes a number"),
            "--database-url" => options.database_url = Some(value),
            "--churn" => options.churn = value.parse::<i64>().expect("--churn takes a number").max(1),
            other => {
                panic!("unknown option {other} (use --vms, --requests, --budget-ms, --database-url, --churn)")
            }
        }
    }
    options
}

/// A small deterministic generator, so every run meters the same fleet.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

const TYPES: &[&str] =
    &["t3.micro", "t3.medium", "t3a.large", "m5.large", "m6i.xlarge", "c5.large", "c6i.2xlarge", "r5.large"];
const REGIONS: &[&str] = &["us-east-1", "us-east-2", "us-west-2"];

/// A VM's status history from `created` to `now`: boots, then stops and starts every 1 to 14
/// days (`churn` times as often); one in five is terminated along the way.
fn history(
    random: &mut Lcg,
    (created, now): (DateTime<Utc>, DateTime<Utc>),
    churn: i64,
) -> Vec<(&'static str, DateTime<Utc>)> {
    let minute = chrono::Duration::minutes(1);
    let mut changes =
        vec![("pending", created), ("starting", created + minute), ("running", created + minute * 2)];
    let mut at = created + minute * 2;
    let terminates = random.below(5) == 0;
    let mut running = true;
    loop {
        at += chrono::Duration::minutes(((60 + random.below(13 * 24 * 60) as i64) / churn).max(2));
        if at >= now {
            break;
        }
        if terminates && random.below(4) == 0 {
            changes.push(("terminating", at));
            changes.push(("terminated", at + minute));
            break;
        }
        let steps: [&str; 2] = if running { ["stopping", "stopped"] } else { ["starting", "running"] };
        changes.push((steps[0], at));
        changes.push((steps[1], at + minute));
        running = !running;
    }
    changes
}

async fn call(http: &reqwest::Client, url: &str, token: Option<&str>, body: Option<Value>) -> Value {
    let request = match body {
        Some(body) => http.post(url).json(&body),
        None => http.get(url),
    };
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    let response = request.timeout(Duration::from_secs(120)).send().await.expect("the server answers");
    let status = response.status();
    let value: Value = response.json().await.expect("a JSON answer");
    assert!(status.is_success(), "{url}: {status} {value}");
    value
}

async fn seed(
    state: &AppState,
    api: &str,
    (vms, churn): (usize, i64),
    now: DateTime<Utc>,
) -> (String, usize) {
    let http = reqwest::Client::new();
    let name = format!("bench{}", &Uuid::new_v4().simple().to_string()[..8]);
    let registered = call(
        &http,
        &format!("{api}/auth/register"),
        None,
        Some(json!({"username": name, "email": format!("{name}@example.com"), "password": "bench-password"})),
    )
    .await;
    let token = registered["data"]["token"].as_str().expect("a token").to_owned();
    let owner = registered["data"]["user"]["id"].as_str().expect("a user id").to_owned();
    let mut workspaces = Vec::new();
    for index in 0..50 {
        let body = json!({"name": format!("{name}-{index}")});
        let created = call(&http, &format!("{api}/workspaces"), Some(&token), Some(body)).await;
        workspaces.push(created["data"]["id"].as_str().expect("a workspace id").to_owned());
    }

    let pool = state.db.pool();
    let mut random = Lcg(42);
    let mut rows = 0;
    let mut transaction = pool.begin().await.expect("a transaction");
    for index in 0..vms {
        let id = Uuid::new_v4().to_string();
        let created = now - chrono::Duration::minutes(random.below(120 * 24 * 60) as i64);
        let changes = history(&mut random, (created, now), churn);
        let (status, updated) = *changes.last().expect("a history");
        let provider = if index % 2 == 0 { "sandbox" } else { "aws" };
        let instance_type = TYPES[random.below(TYPES.len() as u64) as usize];
        let region = REGIONS[random.below(REGIONS.len() as u64) as usize];
        sqlx::query(
            "INSERT INTO vms (id, workspace_id, name, provider, instance_type, region, status, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&id)
        .bind(&workspaces[index % workspaces.len()])
        .bind(format!("vm-{index}"))
        .bind(provider)
        .bind(instance_type)
        .bind(region)
        .bind(status)
        .bind(&owner)
        .bind(time::encode(created))
        .bind(time::encode(updated))
        .execute(&mut *transaction)
        .await
        .expect("the VM is stored");
        for (status, at) in &changes {
            sqlx::query(
                "INSERT INTO vm_status_history (id, vm_id, status, reason, at) VALUES ($1, $2, $3, NULL, $4)",
            )
            .bind(Uuid::new_v4().to_string())
            .bind(&id)
            .bind(*status)
            .bind(time::encode(*at))
            .execute(&mut *transaction)
            .await
            .expect("the change is stored");
        }
        rows += changes.len();
    }
    transaction.commit().await.expect("the fleet is stored");
    (token, rows)
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let options = options();
    let file = std::env::temp_dir().join(format!("skyclust-bench-{}.db", Uuid::new_v4()));
    // On PostgreSQL the fleet goes into a schema of its own, dropped at the end.
    let schema = format!("skyclust_bench_{}", std::process::id());
    let scratch = match &options.database_url {
        Some(url) if url.starts_with("postgres") => {
            sqlx::any::install_default_drivers();
            let admin = sqlx::AnyPool::connect(url).await.expect("the database answers");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                .execute(&admin)
                .await
                .expect("a schema");
            Some(admin)
        }
        _ => None,
    };
    let database_url = match &options.database_url {
        Some(url) if scratch.is_some() => {
            format!("{url}{}options[search_path]={schema}", if url.contains('?') { '&' } else { '?' })
        }
        Some(url) => url.clone(),
        None => format!("sqlite://{}?mode=rwc", file.display()),
    };
    let mut config = Config::for_database(database_url);
    config.rate_limit_user = u32::MAX;
    let now = Utc.with_ymd_and_hms(2030, 6, 1, 12, 0, 0).unwrap();
    let server =
        Server::bind_with_clock(config, Arc::new(ManualClock::new(now))).await.expect("the server starts");
    let api = format!("http://{}/api/v1", server.local_addr());

    let state = server.state().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async move {
        let _ = stopped.await;
    }));

    let seeding = Instant::now();
    let (token, rows) = seed(&state, &api, (options.vms, options.churn), now).await;
    println!(
        "seeded {} VMs with {rows} status changes in {:.1} s",
        options.vms,
        seeding.elapsed().as_secs_f64()
    );
    // The fleet's history was stored as an older release stores it; roll it up as starting
    // this release on that database does.
    let rolling = Instant::now();
    let replayed =
        skyclust_server::costs::backfill(&state.db, &state.catalog).await.expect("the roll-up is built");
    let closed =
        skyclust_server::costs::close_days(&state.db, &state.catalog, now).await.expect("days close");
    println!(
        "rolled up {replayed} VMs' histories and closed past days of {closed} in {:.1} s",
        rolling.elapsed().as_secs_f64()
    );

    let http = reqwest::Client::new();
    let mut failed = false;
    for (label, path) in [
        ("GET /cost-analysis?period=90d", "/cost-analysis?period=90d"),
        ("GET /cost-analysis (30d)", "/cost-analysis"),
        (
            "GET /cost-analysis/breakdown?provider=aws&period=90d",
            "/cost-analysis/breakdown?provider=aws&period=90d",
        ),
    ] {
        let url = format!("{api}{path}");
        let first = call(&http, &url, Some(&token), None).await;
        let mut times = Vec::with_capacity(options.requests);
        for _ in 0..options.requests {
            let started = Instant::now();
            call(&http, &url, Some(&token), None).await;
            times.push(started.elapsed());
        }
        times.sort();
        let median = times[times.len() / 2];
        println!(
            "{label}: min {:.1} ms, median {:.1} ms, max {:.1} ms over {} requests (total {} {})",
            millis(times[0]),
            millis(median),
            millis(*times.last().expect("requests ran")),
            times.len(),
            first["data"]["total_cost"],
            first["data"]["currency"],
        );
        failed |= path.contains("90d") && median > Duration::from_millis(options.budget_ms);
    }

    let _ = stop.send(());
    let _ = running.await;
    drop(state);
    let _ = std::fs::remove_file(&file);
    if let Some(admin) = scratch {
        let drop = format!("DROP SCHEMA {schema} CASCADE");
        sqlx::query(sqlx::AssertSqlSafe(drop)).execute(&admin).await.expect("the schema is dropped");
    }
    if failed {
        eprintln!("over budget: a 90-day answer's median exceeded {} ms", options.budget_ms);
        std::process::exit(1);
    }
}
