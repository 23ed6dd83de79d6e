//! Soak: a steady mixed workload against the server binary — sign-ins, reads, writes, VM
//! lifecycles on the sandbox cloud, and 1,000 open WebSocket sessions — for `--minutes`
//! (10 by default), reporting each minute's request count, p50/p99 latency and the server's
//! resident memory and open file descriptors. It fails (exit 1) on any 5xx or other failed
//! request, on a socket that ends, or when memory or descriptors grow by 10 % or more after
//! the warm-up (the first fifth of the run, at least one minute).
//!
//! Run with `scripts/chaos.sh` (or `cargo run -p skyclust-examples --example soak -- --minutes 60
//! --server target/release/skyclust-server`).

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use skyclust_sdk::types::{
    CreateVmRequest, CreateWorkspaceRequest, ListQuery, LoginRequest, Provider, RegisterRequest,
    UpdateWorkspaceRequest, VmFilters, VmStatus,
};
use skyclust_sdk::{RetryPolicy, SkyClustClient};
use support::{ServerProcess, status_kib};

const USERS: usize = 20;
/// One workload tick: each does a few reads, and every n-th tick more.
const TICK: Duration = Duration::from_millis(100);

struct Options {
    minutes: f64,
    sockets: usize,
    server: String,
}

fn options() -> Options {
    let mut options = Options { minutes: 10.0, sockets: 1000, server: support::default_server() };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--minutes" => options.minutes = value.parse().expect("--minutes takes a number"),
            "--sockets" => options.sockets = value.parse().expect("--sockets takes a number"),
            "--server" => options.server = value,
            other => panic!("unknown option {other} (use --minutes, --sockets, --server)"),
        }
    }
    options
}

/// What one minute saw.
#[derive(Default)]
struct Window {
    latencies: Vec<Duration>,
    server_errors: u64,
    failures: Vec<String>,
}

#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Window>>);

impl Recorder {
    /// Runs one request, timing it and counting its outcome.
    async fn call<T>(
        &self,
        what: &str,
        request: impl std::future::Future<Output = skyclust_sdk::Result<T>>,
    ) -> Option<T> {
        let started = Instant::now();
        let result = request.await;
        let took = started.elapsed();
        let mut window = self.0.lock().unwrap();
        window.latencies.push(took);
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                if error.status().is_some_and(|status| status >= 500) {
                    window.server_errors += 1;
                }
                window.failures.push(format!("{what}: {error}"));
                None
            }
        }
    }

    fn take(&self) -> Window {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

/// The 5xx answers the server's `/metrics` counts, `None` when it cannot be read.
async fn server_errors_counted(url: &str) -> Option<u64> {
    let text = reqwest::get(url).await.ok()?.error_for_status().ok()?.text().await.ok()?;
    Some(
        text.lines()
            .filter(|line| {
                line.starts_with("skyclust_http_requests_total{") && line.contains(r#"status_class="5xx""#)
            })
            .filter_map(|line| line.rsplit_once(' ')?.1.parse::<f64>().ok())
            .sum::<f64>() as u64,
    )
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map(|entries| entries.count()).unwrap_or(0)
}

fn client(base: &str) -> SkyClustClient {
    SkyClustClient::builder(base).retry_policy(RetryPolicy::none()).build().expect("valid URL")
}

/// A VM's whole life: created, running, stopped, deleted.
async fn lifecycle(owner: SkyClustClient, workspace: uuid::Uuid, n: u64, record: Recorder) {
    let request = CreateVmRequest {
        name: format!("soak-{n}"),
        provider: Provider::Sandbox,
        instance_type: "t3.micro".into(),
        region: "us-east-1".into(),
        zone: None,
        workspace_id: Some(workspace),
        image_id: Some("ami-12345678".into()),
        key_pair: None,
        credential_id: None,
    };
    let Some(vm) = record.call("create vm", owner.vms().create(&request)).await else { return };
    for action in ["stop", "delete"] {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let Some(current) = record.call("get vm", owner.vms().get(vm.id)).await else { return };
            let ready = match action {
                "stop" => current.status == VmStatus::Running,
                _ => current.status == VmStatus::Stopped,
            };
            if ready {
                break;
            }
            if Instant::now() > deadline {
                record.0.lock().unwrap().failures.push(format!("vm {} stuck in {:?}", vm.id, current.status));
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let done = match action {
            "stop" => record.call("stop vm", owner.vms().stop(vm.id)).await.is_some(),
            _ => record.call("delete vm", owner.vms().delete(vm.id)).await.is_some(),
        };
        if !done {
            return;
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let options = options();
    rlimit::increase_nofile_limit(16_384).expect("raise the open-file limit");
    let metrics_port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
    let metrics_bind = format!("127.0.0.1:{metrics_port}");
    let metrics_url = format!("http://{metrics_bind}/metrics");
    let server = ServerProcess::start(
        &options.server,
        &[
            ("SKYCLUST_RATE_LIMIT_ANONYMOUS", "100000000"),
            ("SKYCLUST_RATE_LIMIT_USER", "100000000"),
            ("SKYCLUST_MAX_CONNECTIONS", "4096"),
            ("SKYCLUST_MAX_CONNECTIONS_PER_ADDRESS", "4096"),
            ("SKYCLUST_WS_MAX_SESSIONS_PER_USER", "1000"),
            ("SKYCLUST_WS_MAX_SESSIONS_PER_ADDRESS", "4096"),
            ("SKYCLUST_SANDBOX_DELAY_MS", "200"),
            ("SKYCLUST_WORKER_POLL_MS", "50"),
            ("SKYCLUST_VM_POLL_MS", "100"),
            ("SKYCLUST_METRICS_BIND", &metrics_bind),
        ],
    )
    .await
    .expect("the server starts");
    let pid = server.pid();
    let record = Recorder::default();

    let mut users = Vec::new();
    for n in 0..USERS {
        let user = client(&server.base);
        let account = RegisterRequest {
            username: format!("soak{n}"),
            email: format!("soak{n}@example.com"),
            password: format!("password-soak{n}"),
        };
        user.auth().register(&account).await.expect("registers");
        users.push(user);
    }
    let owner = users[0].clone();
    let home = owner
        .workspaces()
        .create(&CreateWorkspaceRequest { name: "soak".into(), description: None })
        .await
        .expect("workspace")
        .id;

    // The sockets, spread over the users, each counting what it receives.
    let received = Arc::new(AtomicU64::new(0));
    let ended = Arc::new(AtomicU64::new(0));
    for n in 0..options.sockets {
        let mut events = users[n % USERS].events().subscribe().await.expect("socket opens");
        let (received, ended) = (received.clone(), ended.clone());
        tokio::spawn(async move {
            while events.next().await.is_some() {
                received.fetch_add(1, Ordering::Relaxed);
            }
            ended.fetch_add(1, Ordering::Relaxed);
        });
    }
    println!(
        "soak: {} minutes, {} sockets open, server pid {pid}; per second: ~50 reads, ~10 writes, 1 VM lifecycle, 0.5 sign-ins",
        options.minutes, options.sockets
    );
    println!("minute  requests  p50 ms  p99 ms  5xx  failed  rss MB  fds  events");

    let total = Duration::from_secs_f64(options.minutes * 60.0);
    let minute = Duration::from_secs(60).min(total);
    let warm_up = Duration::from_secs_f64((total.as_secs_f64() / 5.0).max(60.0)).min(total / 2);
    let started = Instant::now();
    let mut ticks = tokio::time::interval(TICK);
    let mut next_report = started + minute;
    let mut requests = 0;
    let mut failures = Vec::new();
    let mut server_errors = 0;
    let mut baseline: Option<(u64, usize)> = None;
    let mut problems_seen = Vec::new();
    let mut tick: u64 = 0;
    while started.elapsed() < total {
        ticks.tick().await;
        tick += 1;
        let user = users[(tick as usize) % USERS].clone();
        let r = record.clone();
        tokio::spawn(async move {
            let query = ListQuery::default();
            r.call("list workspaces", user.workspaces().list(&query)).await;
            r.call("list vms", user.vms().list(&ListQuery::default().filters(VmFilters::default()))).await;
            r.call("health", user.health().get()).await;
            r.call("me", user.auth().me()).await;
            r.call("list notifications", user.notifications().list(&ListQuery::default())).await;
        });
        if tick.is_multiple_of(3) {
            let user = users[(tick as usize / 3) % USERS].clone();
            let r = record.clone();
            tokio::spawn(async move {
                let create = CreateWorkspaceRequest { name: format!("w-{tick}"), description: None };
                let Some(workspace) = r.call("create workspace", user.workspaces().create(&create)).await
                else {
                    return;
                };
                let update = UpdateWorkspaceRequest {
                    name: None,
                    description: Some(format!("tick {tick}")),
                    is_active: None,
                };
                r.call("update workspace", user.workspaces().update(workspace.id, &update)).await;
                r.call("delete workspace", user.workspaces().delete(workspace.id)).await;
            });
        }
        if tick.is_multiple_of(10) {
            tokio::spawn(lifecycle(owner.clone(), home, tick, record.clone()));
        }
        if tick.is_multiple_of(20) {
            let n = (tick as usize / 20) % USERS;
            let r = record.clone();
            let fresh = client(&server.base);
            tokio::spawn(async move {
                let login = LoginRequest {
                    email: format!("soak{n}@example.com"),
                    password: format!("password-soak{n}"),
                };
                r.call("sign in", fresh.auth().login(&login)).await;
            });
        }
        if Instant::now() >= next_report {
            next_report += minute;
            let mut window = record.take();
            window.latencies.sort();
            // Scraped every minute, as Prometheus would (more often) — the scrape is load too.
            let scraped = server_errors_counted(&metrics_url).await;
            if scraped.is_none() {
                failures.push("GET /metrics failed".into());
            }
            let rss = status_kib(pid, "VmRSS");
            let fds = open_fds(pid);
            let (p50, p99) = (percentile(&window.latencies, 0.5), percentile(&window.latencies, 0.99));
            println!(
                "{:>6.1}  {:>8}  {:>6.1}  {:>6.1}  {:>3}  {:>6}  {:>6.1}  {:>3}  {}",
                started.elapsed().as_secs_f64() / 60.0,
                window.latencies.len(),
                p50.as_secs_f64() * 1e3,
                p99.as_secs_f64() * 1e3,
                window.server_errors,
                window.failures.len(),
                rss as f64 / 1024.0,
                fds,
                received.load(Ordering::Relaxed)
            );
            requests += window.latencies.len();
            server_errors += window.server_errors;
            failures.extend(window.failures);
            if baseline.is_none() && started.elapsed() >= warm_up {
                baseline = Some((rss, fds));
            }
        }
    }
    // Let the last lifecycles finish before the final figures.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let last = record.take();
    server_errors += last.server_errors;
    failures.extend(last.failures);
    let (rss, fds) = (status_kib(pid, "VmRSS"), open_fds(pid));
    // The server's own count of 5xx answers must agree.
    match server_errors_counted(&metrics_url).await {
        Some(0) => {}
        Some(counted) => problems_seen.push(format!("the server counted {counted} 5xx answers")),
        None => problems_seen.push("GET /metrics failed".into()),
    }

    let mut problems = problems_seen;
    if server_errors > 0 {
        problems.push(format!("{server_errors} responses were 5xx"));
    }
    if !failures.is_empty() {
        problems.push(format!(
            "{} requests failed, e.g. {:?}",
            failures.len(),
            &failures[..failures.len().min(5)]
        ));
    }
    let closed = ended.load(Ordering::Relaxed);
    if closed > 0 {
        problems.push(format!("{closed} sockets ended"));
    }
    match baseline {
        Some((base_rss, base_fds)) => {
            let growth = |now: f64, then: f64| (now - then) / then.max(1.0) * 100.0;
            let (rss_growth, fd_growth) =
                (growth(rss as f64, base_rss as f64), growth(fds as f64, base_fds as f64));
            println!(
                "after warm-up: rss {:.1} → {:.1} MB ({rss_growth:+.1} %), fds {base_fds} → {fds} ({fd_growth:+.1} %)",
                base_rss as f64 / 1024.0,
                rss as f64 / 1024.0
            );
            if rss_growth >= 10.0 {
                problems.push(format!("resident memory grew {rss_growth:.1} % after the warm-up"));
            }
            if fd_growth >= 10.0 {
                problems.push(format!("open descriptors grew {fd_growth:.1} % after the warm-up"));
            }
        }
        None => problems.push("the run was too short to pass its warm-up".into()),
    }
    requests += last.latencies.len();
    println!(
        "{requests} requests, {} events delivered to {} sockets, 0 sockets lost: {}",
        received.load(Ordering::Relaxed),
        options.sockets,
        closed == 0
    );
    drop(server);
    if problems.is_empty() {
        println!("soak passed");
        std::process::ExitCode::SUCCESS
    } else {
        eprintln!("soak FAILED:\n  {}", problems.join("\n  "));
        std::process::ExitCode::FAILURE
    }
}
