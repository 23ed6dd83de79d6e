//! Benchmark of the real-time endpoint: opens N WebSocket sessions against a release build of
//! `skyclust-server` (run as a separate process), causes events through the API, and reports
//! connect time, delivery latency to every socket, and server memory per idle socket.
//!
//! ```text
//! scripts/bench-events.sh            # builds in release and runs with 10,000 sockets
//! scripts/bench-events.sh --sockets 2000 --events 10
//! ```

mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use skyclust_sdk::SkyClustClient;
use skyclust_sdk::types::{CreateWorkspaceRequest, RegisterRequest};
use support::{ServerProcess, status_kib};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

struct Options {
    sockets: usize,
    events: usize,
    server: String,
    replicas: usize,
    database_url: Option<String>,
    redis_url: Option<String>,
}

fn options() -> Options {
    let mut options = Options {
        sockets: 10_000,
        events: 20,
        server: support::default_server(),
        replicas: 1,
        database_url: None,
        redis_url: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--sockets" => options.sockets = value.parse().expect("--sockets takes a number"),
            "--events" => options.events = value.parse().expect("--events takes a number"),
            "--server" => options.server = value,
            "--replicas" => options.replicas = value.parse().expect("--replicas takes a number"),
            "--database-url" => options.database_url = Some(value),
            "--redis-url" => options.redis_url = Some(value),
            other => panic!(
                "unknown option {other} (use --sockets, --events, --server, --replicas, --database-url, --redis-url)"
            ),
        }
    }
    options
}

/// CPU time (user + system) a process has used, from `/proc/<pid>/stat`.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("").split_whitespace().collect();
    let ticks: u64 =
        fields.get(11..13).map(|t| t.iter().filter_map(|v| v.parse::<u64>().ok()).sum()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// The first `"name":"value"` string in `json` (events put `timestamp` before `data`).
fn field<'a>(json: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("\"{name}\":\"");
    let start = json.find(&key)? + key.len();
    let end = json[start..].find('"')?;
    Some(&json[start..start + end])
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options();
    let wanted_files = (options.sockets as u64) * 2 + 1024;
    let limit = rlimit::increase_nofile_limit(wanted_files)?;
    assert!(
        limit >= options.sockets as u64 + 512,
        "the open-file limit ({limit}) is too low for {} sockets",
        options.sockets
    );

    let prefix = format!("skyclust-bench-{}:", std::process::id());
    let mut settings: Vec<(&str, &str)> = vec![
        ("SKYCLUST_RATE_LIMIT_ANONYMOUS", "100000000"),
        ("SKYCLUST_RATE_LIMIT_USER", "100000000"),
        // Every benchmark socket is one user on one address: lift the per-client caps.
        ("SKYCLUST_WS_MAX_SESSIONS_PER_USER", "100000"),
        ("SKYCLUST_WS_MAX_SESSIONS_PER_ADDRESS", "100000"),
        ("SKYCLUST_MAX_CONNECTIONS", "100000"),
        ("SKYCLUST_MAX_CONNECTIONS_PER_ADDRESS", "100000"),
    ];
    if options.replicas > 1 {
        let (Some(database), Some(redis)) = (options.database_url.as_deref(), options.redis_url.as_deref())
        else {
            return Err("--replicas above 1 needs --database-url (PostgreSQL) and --redis-url".into());
        };
        settings.extend([
            ("SKYCLUST_DATABASE_URL", database),
            ("SKYCLUST_REDIS_URL", redis),
            ("SKYCLUST_REDIS_PREFIX", prefix.as_str()),
        ]);
    }
    let mut replicas = Vec::with_capacity(options.replicas.max(1));
    for _ in 0..options.replicas.max(1) {
        replicas.push(ServerProcess::start(&options.server, &settings).await?);
    }
    let server = &replicas[0];
    let pid = server.pid();
    let client = SkyClustClient::new(&server.base)?;
    client
        .auth()
        .register(&RegisterRequest {
            username: "bench".into(),
            email: "bench@example.com".into(),
            password: "bench-password".into(),
        })
        .await?;
    let token = client.token().expect("registered");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = status_kib(pid, "VmRSS");

    println!(
        "opening {} sockets against {} replica(s) of {} (first pid {pid}); events are caused on the first",
        options.sockets,
        replicas.len(),
        options.server
    );
    let urls: Vec<String> = replicas.iter().map(ServerProcess::ws_url).collect();
    let auth = serde_json::json!({"type": "auth", "token": token}).to_string();
    let mut connect_times = Vec::with_capacity(options.sockets);
    let mut readers = Vec::with_capacity(options.sockets);
    let connecting = Instant::now();
    for _ in 0..options.sockets.div_ceil(500) {
        let opened = connect_times.len();
        let batch = (0..500.min(options.sockets - opened)).map(|n| {
            // Sockets take turns over the replicas.
            let replica = (opened + n) % urls.len();
            let (url, auth) = (urls[replica].clone(), auth.clone());
            async move {
                let begun = Instant::now();
                // tungstenite zeroes a 128 KiB read buffer per connection by default, which would
                // make this client, not the server, the bottleneck.
                let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
                let (mut socket, _) = tokio_tungstenite::connect_async_with_config(&url, Some(config), true)
                    .await
                    .expect("connect");
                socket.send(Message::Text(auth.into())).await.expect("send auth");
                let reply = socket.next().await.expect("a reply").expect("a frame");
                assert!(reply.to_text().unwrap_or_default().contains("auth_success"), "{reply:?}");
                (socket, begun.elapsed(), replica)
            }
        });
        for (mut socket, took, replica) in futures_util::future::join_all(batch).await {
            connect_times.push(took);
            let expected = options.events;
            // Each reader keeps its own arrivals (no shared lock on the hot path) and finds the
            // event's resource id by a plain search rather than a full JSON parse.
            readers.push((
                replica,
                tokio::spawn(async move {
                    let mut arrivals = Vec::with_capacity(expected);
                    // One deadline for the whole run, not a timer per message.
                    let deadline = tokio::time::sleep(Duration::from_secs(120));
                    tokio::pin!(deadline);
                    while arrivals.len() < expected {
                        let message = tokio::select! {
                            message = socket.next() => message,
                            () = &mut deadline => break,
                        };
                        let Some(Ok(message)) = message else { break };
                        let (at, wall) = (Instant::now(), chrono::Utc::now());
                        let Ok(text) = message.to_text() else { continue };
                        if let (Some(id), Some(published)) =
                            (field(text, "resource_id"), field(text, "timestamp"))
                        {
                            let published =
                                chrono::DateTime::parse_from_rfc3339(published).map(|t| t.to_utc());
                            let bus_latency =
                                published.ok().and_then(|published| (wall - published).to_std().ok());
                            arrivals.push((id.to_owned(), at, bus_latency.unwrap_or_default()));
                        }
                    }
                    arrivals
                }),
            ));
        }
    }
    let connect_total = connecting.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_idle = status_kib(pid, "VmRSS");

    let (server_cpu_before, client_cpu_before) = (cpu_time(pid), cpu_time(std::process::id()));
    let mut sent = HashMap::new();
    for n in 0..options.events {
        let before = Instant::now();
        let workspace = client
            .workspaces()
            .create(&CreateWorkspaceRequest { name: format!("bench-{n}"), description: None })
            .await?;
        sent.insert(workspace.id.to_string(), before);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let server_cpu = cpu_time(pid).saturating_sub(server_cpu_before);
    let client_cpu = cpu_time(std::process::id()).saturating_sub(client_cpu_before);
    let (mut latencies, mut end_to_end) = (Vec::new(), Vec::new());
    // Deliveries on the replica that published (in-process) and on the others (through Redis).
    let (mut local, mut remote) = (Vec::new(), Vec::new());
    let mut delivered = 0;
    for (replica, reader) in readers {
        for (id, arrival, bus_latency) in reader.await? {
            if let Some(at) = sent.get(&id) {
                end_to_end.push(arrival.duration_since(*at));
                latencies.push(bus_latency);
                if replica == 0 {
                    local.push(bus_latency)
                } else {
                    remote.push(bus_latency)
                }
                delivered += 1;
            }
        }
    }
    local.sort();
    remote.sort();
    latencies.sort();
    end_to_end.sort();
    connect_times.sort();
    let per_socket = (rss_idle.saturating_sub(rss_before)) as f64 / options.sockets as f64;
    println!("sockets:                  {}", options.sockets);
    println!("connect + auth, all:      {:.2} s", connect_total.as_secs_f64());
    println!(
        "connect + auth, per socket p50 {} p99 {}",
        ms(percentile(&connect_times, 50.0)),
        ms(percentile(&connect_times, 99.0))
    );
    println!("events delivered:         {delivered} of {}", options.events * options.sockets);
    println!(
        "delivery, publish → every socket:   p50 {} p99 {} max {}",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    if replicas.len() > 1 {
        println!(
            "  on the publishing replica:        p50 {} p99 {} ({} deliveries)",
            ms(percentile(&local, 50.0)),
            ms(percentile(&local, 99.0)),
            local.len()
        );
        println!(
            "  on the other replicas (via Redis): p50 {} p99 {} ({} deliveries)",
            ms(percentile(&remote, 50.0)),
            ms(percentile(&remote, 99.0)),
            remote.len()
        );
    }
    println!(
        "end to end, API request → every socket: p50 {} p99 {} max {}",
        ms(percentile(&end_to_end, 50.0)),
        ms(percentile(&end_to_end, 99.0)),
        ms(end_to_end.last().copied().unwrap_or_default())
    );
    println!(
        "CPU per event:            server {}, benchmark client {}",
        ms(server_cpu / options.events as u32),
        ms(client_cpu / options.events as u32)
    );
    println!("server memory:            {} KiB before, {} KiB with idle sockets", rss_before, rss_idle);
    println!("server memory per socket: {per_socket:.1} KiB");
    drop(replicas);
    Ok(())
}
