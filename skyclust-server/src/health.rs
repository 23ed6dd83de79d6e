//! `GET /health`, `/health/db` and `/health/redis`.

use std::time::Duration;

use skyclust_types::operations::health::{GetDbHealth, GetHealth, GetRedisHealth};
use skyclust_types::{DbHealth, Health, HealthMetrics, HealthStatus, MemoryMetrics, Permission, RedisHealth};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};

/// The health operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<GetHealth, _>(health)
        .endpoint::<GetDbHealth, _>(db_health)
        .endpoint::<GetRedisHealth, _>(redis_health)
}

async fn health(ctx: Ctx, caller: Option<Principal>, _: Input<GetHealth>) -> ApiResult<Health> {
    let uptime = ctx.state.started.elapsed();
    let operator = caller.is_some_and(|principal| principal.can(Permission::SystemRead));
    Ok(Health {
        status: HealthStatus::Healthy,
        timestamp: crate::clock::real_now(),
        uptime: format_uptime(uptime),
        uptime_seconds: uptime.as_secs(),
        version: operator.then(|| env!("CARGO_PKG_VERSION").to_owned()),
        environment: operator.then(|| ctx.state.config.environment.as_str().to_owned()),
        metrics: operator.then(process_metrics),
    })
}

async fn db_health(ctx: Ctx, _: Input<GetDbHealth>) -> ApiResult<DbHealth> {
    let db = &ctx.state.db;
    let ping = tokio::time::timeout(Duration::from_secs(5), db.ping()).await;
    let pool = db.pool();
    let mut report = DbHealth {
        status: HealthStatus::Healthy,
        backend: db.backend().as_str().to_owned(),
        connection_count: pool.size(),
        idle_connections: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
        max_connections: db.max_connections(),
        response_time: String::new(),
        response_time_ms: 0.0,
    };
    match ping {
        Ok(Ok(elapsed)) => {
            report.response_time = format_latency(elapsed);
            report.response_time_ms = millis(elapsed);
            Ok(report)
        }
        failure => {
            let cause = match failure {
                Ok(Err(error)) => error.to_string(),
                _ => "no answer within 5s".to_owned(),
            };
            tracing::error!(error = %cause, "database health check failed");
            report.status = HealthStatus::Unhealthy;
            Err(unavailable("The database is not answering", &report))
        }
    }
}

async fn redis_health(ctx: Ctx, _: Input<GetRedisHealth>) -> ApiResult<RedisHealth> {
    let Some(client) = ctx.state.redis.clone() else {
        return Ok(redis_report(&ctx, HealthStatus::Disabled));
    };
    let probe = async move {
        let mut connection = client.get_multiplexed_async_connection().await?;
        let started = std::time::Instant::now();
        let _: String = redis::cmd("PING").query_async(&mut connection).await?;
        let elapsed = started.elapsed();
        let info: String = redis::cmd("INFO").query_async(&mut connection).await?;
        Ok::<_, redis::RedisError>((elapsed, info))
    };
    match tokio::time::timeout(Duration::from_secs(5), probe).await {
        Ok(Ok((elapsed, info))) => Ok(RedisHealth {
            connected_clients: info_field(&info, "connected_clients").and_then(|value| value.parse().ok()),
            used_memory: info_field(&info, "used_memory_human").map(|value| format!("{value}B")),
            response_time: Some(format_latency(elapsed)),
            response_time_ms: Some(millis(elapsed)),
            ..redis_report(&ctx, HealthStatus::Healthy)
        }),
        failure => {
            let cause = match failure {
                Ok(Err(error)) => error.to_string(),
                _ => "no answer within 5s".to_owned(),
            };
            tracing::error!(error = %cause, "redis health check failed");
            let report = redis_report(&ctx, HealthStatus::Unhealthy);
            Err(unavailable("Redis is not answering", &report))
        }
    }
}

/// A Redis report with `status` and no live figures, saying where limits and events go.
fn redis_report(ctx: &Ctx, status: HealthStatus) -> RedisHealth {
    RedisHealth {
        status,
        connected_clients: None,
        used_memory: None,
        response_time: None,
        response_time_ms: None,
        rate_limiter: ctx.state.rate_limiter.describe().to_owned(),
        event_bus: ctx.state.events.bus().describe().to_owned(),
    }
}

fn unavailable(message: &'static str, report: &impl serde::Serialize) -> ApiError {
    ApiError::unavailable(message).with_data(serde_json::to_value(report).unwrap_or(serde_json::Value::Null))
}

fn info_field<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(':')).map(str::trim)
}

/// `72h30m15s`, as in the seed.
fn format_uptime(uptime: Duration) -> String {
    let seconds = uptime.as_secs();
    format!("{}h{}m{}s", seconds / 3600, seconds % 3600 / 60, seconds % 60)
}

fn format_latency(elapsed: Duration) -> String {
    let ms = millis(elapsed);
    if ms >= 10.0 { format!("{ms:.0}ms") } else { format!("{ms:.2}ms") }
}

fn millis(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

fn process_metrics() -> HealthMetrics {
    let runtime = tokio::runtime::Handle::current().metrics();
    HealthMetrics {
        memory: memory(),
        tokio_tasks: runtime.num_alive_tasks() as u64,
        tokio_workers: runtime.num_workers() as u64,
    }
}

/// Resident and virtual size in MiB (zero where the OS does not tell).
fn memory() -> MemoryMetrics {
    const MIB: f64 = 1024.0 * 1024.0;
    let to_mb = |bytes: usize| (bytes as f64 / MIB * 10.0).round() / 10.0;
    let stats = memory_stats::memory_stats();
    MemoryMetrics {
        virtual_mb: stats.map_or(0.0, |stats| to_mb(stats.virtual_mem)),
        resident_mb: stats.map_or(0.0, |stats| to_mb(stats.physical_mem)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_uptime(Duration::from_secs(72 * 3600 + 30 * 60 + 15)), "72h30m15s");
        assert_eq!(format_latency(Duration::from_micros(2500)), "2.50ms");
        assert_eq!(format_latency(Duration::from_millis(12)), "12ms");
        let info = "# Clients\r\nconnected_clients:3\r\nused_memory_human:2.50M\r\n";
        assert_eq!(info_field(info, "connected_clients"), Some("3"));
        assert_eq!(info_field(info, "used_memory_human"), Some("2.50M"));
    }

    #[test]
    #[cfg(any(target_os = "linux", target_os = "macos", target_os = "windows"))]
    fn memory_is_measured() {
        let memory = memory();
        assert!(memory.resident_mb > 0.0 && memory.virtual_mb >= memory.resident_mb);
    }
}
