//! A burst of concurrent sign-ins against the release server, measuring its peak memory.
//!
//! Each sign-in runs argon2id (19 MiB); the server computes at most
//! `SKYCLUST_PASSWORD_HASH_CONCURRENCY` at once and answers the rest 503 with `Retry-After`.
//! Run with `scripts/bench-sign-ins.sh [--concurrent N] [--rounds R] [--hash-concurrency C]`
//! (`--hash-concurrency 500 --hash-wait-ms 60000` approximates the server before the bound).

mod support;

use std::time::{Duration, Instant};

use skyclust_sdk::types::{LoginRequest, RegisterRequest};
use skyclust_sdk::{ErrorCode, RetryPolicy, SkyClustClient};
use support::{ServerProcess, status_kib};

struct Options {
    concurrent: usize,
    rounds: usize,
    hash_concurrency: String,
    hash_wait_ms: String,
    server: String,
}

fn options() -> Options {
    let mut options = Options {
        concurrent: 500,
        rounds: 3,
        hash_concurrency: "0".into(),
        hash_wait_ms: "1000".into(),
        server: support::default_server(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--concurrent" => options.concurrent = value.parse().expect("--concurrent takes a number"),
            "--rounds" => options.rounds = value.parse().expect("--rounds takes a number"),
            "--hash-concurrency" => options.hash_concurrency = value,
            "--hash-wait-ms" => options.hash_wait_ms = value,
            "--server" => options.server = value,
            other => panic!(
                "unknown option {other} (use --concurrent, --rounds, --hash-concurrency, --hash-wait-ms, --server)"
            ),
        }
    }
    options
}

fn mib(kib: u64) -> String {
    format!("{:.1} MB", kib as f64 / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options();
    rlimit::increase_nofile_limit(options.concurrent as u64 * 2 + 1024)?;
    let server = ServerProcess::start(
        &options.server,
        &[
            ("SKYCLUST_RATE_LIMIT_ANONYMOUS", "100000000"),
            ("SKYCLUST_LOGIN_FAILURE_LIMIT", "1000000"),
            ("SKYCLUST_MAX_CONNECTIONS", "100000"),
            ("SKYCLUST_MAX_CONNECTIONS_PER_ADDRESS", "100000"),
            ("SKYCLUST_PASSWORD_HASH_CONCURRENCY", &options.hash_concurrency),
            ("SKYCLUST_PASSWORD_HASH_WAIT_MS", &options.hash_wait_ms),
        ],
    )
    .await?;
    let pid = server.pid();
    let register = RegisterRequest {
        username: "bench".into(),
        email: "bench@example.com".into(),
        password: "bench-password".into(),
    };
    SkyClustClient::new(&server.base)?.auth().register(&register).await?;
    let idle = status_kib(pid, "VmRSS");
    println!(
        "server {} · {} concurrent sign-ins × {} rounds · hash concurrency {} (0: one per core), wait {} ms",
        options.server, options.concurrent, options.rounds, options.hash_concurrency, options.hash_wait_ms
    );
    println!("resident before the bursts: {}", mib(idle));

    let clients: Vec<SkyClustClient> = (0..options.concurrent)
        .map(|_| SkyClustClient::builder(&server.base).retry_policy(RetryPolicy::none()).build())
        .collect::<Result<_, _>>()?;
    for round in 1..=options.rounds {
        let started = Instant::now();
        let attempts = clients.iter().map(|client| {
            let login = LoginRequest { email: register.email.clone(), password: register.password.clone() };
            async move { client.auth().login(&login).await }
        });
        let (mut signed_in, mut busy, mut other) = (0, 0, 0);
        for outcome in futures_util::future::join_all(attempts).await {
            match outcome {
                Ok(_) => signed_in += 1,
                Err(error) if error.code() == Some(ErrorCode::ServiceUnavailable) => busy += 1,
                Err(error) => {
                    other += 1;
                    eprintln!("unexpected: {error}");
                }
            }
        }
        let elapsed = started.elapsed();
        // Let freed memory settle before reading the resident figure.
        tokio::time::sleep(Duration::from_millis(500)).await;
        println!(
            "round {round}: {signed_in} signed in, {busy} answered 503 (retry later), {other} other, in {:.2} s; \
             resident after: {}; peak so far: {}",
            elapsed.as_secs_f64(),
            mib(status_kib(pid, "VmRSS")),
            mib(status_kib(pid, "VmHWM")),
        );
    }
    println!("peak resident memory of the server: {}", mib(status_kib(pid, "VmHWM")));
    Ok(())
}
