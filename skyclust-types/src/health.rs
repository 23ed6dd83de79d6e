//! Health endpoints' payloads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Overall state of the server or of one dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum HealthStatus {
    /// Working normally.
    Healthy,
    /// Not working; the endpoint answers 503.
    Unhealthy,
    /// Not configured (e.g. no Redis in the embedded default).
    Disabled,
}

/// `GET /health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "status": "healthy",
    "timestamp": "2024-01-01T00:00:00Z",
    "uptime": "72h30m15s",
    "uptime_seconds": 261015,
    "version": "0.1.0",
    "environment": "development"
}))]
pub struct Health {
    /// `healthy` while the server answers.
    pub status: HealthStatus,
    /// When the check ran.
    pub timestamp: DateTime<Utc>,
    /// Time since start, e.g. `72h30m15s`.
    pub uptime: String,
    /// Time since start in seconds.
    pub uptime_seconds: u64,
    /// Server version; only for callers with `system:read` (it tells an attacker which
    /// vulnerabilities to try).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `development` or `production`; only for callers with `system:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Process metrics; only for callers with `system:read`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<HealthMetrics>,
}

/// Process metrics measured by the server (nothing here is estimated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HealthMetrics {
    /// Memory of the server process.
    pub memory: MemoryMetrics,
    /// Tasks alive on the async runtime.
    pub tokio_tasks: u64,
    /// Worker threads of the async runtime.
    pub tokio_workers: u64,
}

/// Memory figures from the operating system, in MiB.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemoryMetrics {
    /// Resident set size.
    pub resident_mb: f64,
    /// Virtual memory size.
    pub virtual_mb: f64,
}

/// `GET /health/db`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "status": "healthy",
    "backend": "sqlite",
    "connection_count": 2,
    "idle_connections": 1,
    "max_connections": 8,
    "response_time": "0.4ms",
    "response_time_ms": 0.4
}))]
pub struct DbHealth {
    /// Whether a round-trip succeeded.
    pub status: HealthStatus,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Open connections in the pool.
    pub connection_count: u32,
    /// Open connections not in use.
    pub idle_connections: u32,
    /// Largest pool size.
    pub max_connections: u32,
    /// Measured round-trip, e.g. `2ms`.
    pub response_time: String,
    /// Measured round-trip in milliseconds.
    pub response_time_ms: f64,
}

/// `GET /health/redis`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"status": "disabled", "rate_limiter": "in-process", "event_bus": "in-process"}))]
pub struct RedisHealth {
    /// `disabled` while no Redis is configured.
    pub status: HealthStatus,
    /// Clients connected to Redis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_clients: Option<u64>,
    /// Redis memory use, e.g. `2.5MB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_memory: Option<String>,
    /// Measured round-trip, e.g. `1ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_time: Option<String>,
    /// Measured round-trip in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_time_ms: Option<f64>,
    /// Where rate limits are counted: `in-process`, `redis`, or Redis that is unreachable with
    /// each replica counting on its own meanwhile.
    pub rate_limiter: String,
    /// How events reach sockets: `in-process` (this server's sockets), `redis` (every
    /// replica's), or Redis that is unreachable with each replica reaching only its own.
    pub event_bus: String,
}
