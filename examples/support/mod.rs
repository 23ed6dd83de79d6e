//! What the benchmarks share: the release server as a child process, and its memory figures.

// Each benchmark compiles this module on its own and uses part of it.
#![allow(dead_code)]

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use skyclust_sdk::SkyClustClient;

/// The server binary to benchmark: `--server PATH`, else `SKYCLUST_SERVER_BIN`, else the
/// release build.
pub fn default_server() -> String {
    std::env::var("SKYCLUST_SERVER_BIN").unwrap_or_else(|_| "target/release/skyclust-server".into())
}

/// A server started on a fresh SQLite file and a free port; killed when dropped.
pub struct ServerProcess {
    child: Child,
    data: std::path::PathBuf,
    /// The API's base URL.
    pub base: String,
}

impl ServerProcess {
    /// Starts `binary` with `settings` (and quiet logs) and waits until it answers.
    pub async fn start(
        binary: &str,
        settings: &[(&str, &str)],
    ) -> Result<ServerProcess, Box<dyn std::error::Error>> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let data = std::env::temp_dir().join(format!("skyclust-bench-{}-{port}.db", std::process::id()));
        let mut command = Command::new(binary);
        command
            .env("SKYCLUST_BIND", format!("127.0.0.1:{port}"))
            .env("SKYCLUST_DATABASE_URL", format!("sqlite://{}", data.display()))
            // Warnings and errors only, so a refusal to start is seen.
            .env("RUST_LOG", "warn");
        for (name, value) in settings {
            command.env(name, value);
        }
        let child = command.spawn().map_err(|error| {
            format!("cannot start {binary}: {error} (build it with cargo build --release)")
        })?;
        let mut server = ServerProcess { child, data, base: format!("http://127.0.0.1:{port}/api/v1") };
        let client = SkyClustClient::new(&server.base)?;
        let started = Instant::now();
        while client.health().get().await.is_err() {
            if let Some(status) = server.child.try_wait()? {
                return Err(format!("the server exited ({status}); its log says why").into());
            }
            if started.elapsed() > Duration::from_secs(20) {
                return Err("the server did not start".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(server)
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The WebSocket endpoint's URL.
    pub fn ws_url(&self) -> String {
        self.base.replace("http://", "ws://").replace("/api/v1", "/ws")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.data.display()));
        }
    }
}

/// A `kB` figure of `/proc/<pid>/status`: `VmRSS` (resident now) or `VmHWM` (peak resident).
pub fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}
