//! Prometheus metrics: what the server counts while it runs, and `GET /metrics` (OpenMetrics
//! text) on a listener of its own, `SKYCLUST_METRICS_BIND`.
//!
//! Built on `prometheus-client`, the Prometheus project's own Rust client: each server owns its
//! registry (several servers in one test process count apart), and labels are typed structs
//! whose values come from closed sets — operation ids, status classes, providers — never from
//! paths or ids, so the number of series stays bounded.

use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use skyclust_types::Provider as ProviderKind;
use skyclust_types::events::EventType;

use crate::providers::ProviderError;
use crate::state::AppState;

/// Registers each family, `name [in Unit] => metric, "help";`, so the list of what `/metrics`
/// exposes reads as a table.
macro_rules! register {
    ($registry:expr; $($name:ident $(in $unit:ident)? => $metric:expr, $help:literal;)*) => {
        $(register!(@one $registry, stringify!($name), $help, $metric.clone() $(, Unit::$unit)?);)*
    };
    (@one $registry:expr, $name:expr, $help:expr, $metric:expr) => {
        $registry.register($name, $help, $metric)
    };
    (@one $registry:expr, $name:expr, $help:expr, $metric:expr, $unit:expr) => {
        $registry.register_with_unit($name, $help, $unit, $metric)
    };
}

mod endpoint;
mod labels;
mod outcomes;

use endpoint::open_fds;
pub use endpoint::{operation_of, serve};
use labels::*;
pub use outcomes::{DatabaseFailure, DropReason, VmOutcome};

/// Where the metrics are served on the metrics listener.
pub const PATH: &str = "/metrics";

/// The OpenMetrics text format, which Prometheus asks for first.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// How long a scrape waits for the database's answer before reporting it down.
const PING_LIMIT: Duration = Duration::from_secs(1);

/// Every metric of one server.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_duration: Histograms<OperationLabel>,
    rate_limited: Family<TierLabel, Counter>,
    connections_open: Gauge,
    websocket_sessions: Gauge,
    websocket_slow_closes: Counter,
    events_published: Family<EventLabel, Counter>,
    events_delivered: Family<EventLabel, Counter>,
    events_dropped: Family<DropLabels, Counter>,
    db_connections: Gauge,
    db_idle_connections: Gauge,
    db_max_connections: Gauge,
    db_up: Gauge,
    db_ping: FloatGauge,
    db_acquire: FloatGauge,
    db_errors: Family<ClassLabel, Counter>,
    redis_connected: Gauge,
    vm_operations: Family<VmOperationLabels, Counter>,
    vm_operation_duration: Histograms<VmOperationLabels>,
    vm_operations_unfinished: FloatGauge,
    vm_operation_oldest: FloatGauge,
    provider_calls: Family<ProviderCallLabels, Counter>,
    provider_call_duration: Histograms<ProviderLabels>,
    audit_queue: Gauge,
    job_runs: Family<JobLabels, Counter>,
    job_duration: Histograms<JobLabel>,
    resident_memory: Gauge,
    open_fds: Gauge,
    start_time: FloatGauge,
    /// One scrape at a time: each pings the database.
    scrape: tokio::sync::Mutex<()>,
}

fn request_buckets() -> Histogram {
    Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0])
}

fn vm_operation_buckets() -> Histogram {
    Histogram::new([0.5, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0])
}

fn provider_call_buckets() -> Histogram {
    Histogram::new([0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 45.0])
}

fn job_buckets() -> Histogram {
    Histogram::new([0.001, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0])
}

impl Metrics {
    /// A registry with every metric at zero; `database` and `event_bus` describe the
    /// deployment in `skyclust_build_info`.
    pub fn new(database: &'static str, event_bus: &'static str) -> Metrics {
        let mut registry = Registry::default();
        let metrics = Metrics {
            requests: Family::default(),
            request_duration: Family::new_with_constructor(request_buckets),
            rate_limited: Family::default(),
            connections_open: Gauge::default(),
            websocket_sessions: Gauge::default(),
            websocket_slow_closes: Counter::default(),
            events_published: Family::default(),
            events_delivered: Family::default(),
            events_dropped: Family::default(),
            db_connections: Gauge::default(),
            db_idle_connections: Gauge::default(),
            db_max_connections: Gauge::default(),
            db_up: Gauge::default(),
            db_ping: FloatGauge::default(),
            db_acquire: FloatGauge::default(),
            db_errors: Family::default(),
            redis_connected: Gauge::default(),
            vm_operations: Family::default(),
            vm_operation_duration: Family::new_with_constructor(vm_operation_buckets),
            vm_operations_unfinished: FloatGauge::default(),
            vm_operation_oldest: FloatGauge::default(),
            provider_calls: Family::default(),
            provider_call_duration: Family::new_with_constructor(provider_call_buckets),
            audit_queue: Gauge::default(),
            job_runs: Family::default(),
            job_duration: Family::new_with_constructor(job_buckets),
            resident_memory: Gauge::default(),
            open_fds: Gauge::default(),
            start_time: FloatGauge::default(),
            scrape: tokio::sync::Mutex::new(()),
            registry: Registry::default(),
        };
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |since| since.as_secs_f64());
        metrics.start_time.set(started);
        let build = BuildLabels { version: env!("CARGO_PKG_VERSION"), database, event_bus };
        let r = &mut registry;
        r.register("skyclust_build", "The running version, its database and its event bus", Info::new(build));
        register! { r;
            skyclust_http_requests => metrics.requests,
                "Requests answered, by operation id and status class";
            skyclust_http_request_duration in Seconds => metrics.request_duration,
                "Time from a request's arrival to its answer, by operation id";
            skyclust_rate_limit_refusals => metrics.rate_limited,
                "Requests refused with 429, by the budget that ran out";
            skyclust_http_connections_open => metrics.connections_open,
                "Client connections open (WebSocket sessions included)";
            skyclust_websocket_sessions => metrics.websocket_sessions,
                "WebSocket sessions open";
            skyclust_websocket_slow_closes => metrics.websocket_slow_closes,
                "WebSocket sessions closed with 4008 because the client read too slowly";
            skyclust_events_published => metrics.events_published,
                "Events published by this replica, by type";
            skyclust_events_delivered => metrics.events_delivered,
                "Events written to this replica's WebSocket sessions, by type";
            skyclust_events_dropped => metrics.events_dropped,
                "Events that did not reach a socket: queued for a session closed with 4008, or overwritten \
                 on the bus before it read them (type unknown) (slow_client); kept from other replicas by a \
                 full Redis queue (redis_queue_full) or an unreachable Redis (redis_unavailable)";
            skyclust_db_pool_connections => metrics.db_connections,
                "Database connections in the pool, busy or idle";
            skyclust_db_pool_idle_connections => metrics.db_idle_connections,
                "Database connections idle in the pool";
            skyclust_db_pool_max_connections => metrics.db_max_connections,
                "The pool's size limit (SKYCLUST_DB_MAX_CONNECTIONS)";
            skyclust_db_up => metrics.db_up,
                "1 when the scrape's own connection (not the pool's) answered SELECT 1 within a second, \
                 else 0";
            skyclust_db_ping in Seconds => metrics.db_ping,
                "Time the scrape took to connect and run SELECT 1";
            skyclust_db_pool_acquire in Seconds => metrics.db_acquire,
                "Time the scrape waited for a pooled connection (capped at a second): how busy the pool is";
            skyclust_db_errors => metrics.db_errors,
                "Database errors met while answering requests, by class (unavailable, conflict, other)";
            skyclust_redis_connected => metrics.redis_connected,
                "1 while this replica hears the Redis event channel, 0 when it does not or Redis is not \
                 configured";
            skyclust_vm_operations => metrics.vm_operations,
                "VM operations finished, by provider, kind and outcome";
            skyclust_vm_operation_duration in Seconds => metrics.vm_operation_duration,
                "Time from a VM operation's request to its end, by provider, kind and outcome";
            skyclust_vm_operations_unfinished => metrics.vm_operations_unfinished,
                "VM operations queued or under way (across all replicas; NaN when the database did not \
                 answer)";
            skyclust_vm_operation_oldest_unfinished_age in Seconds => metrics.vm_operation_oldest,
                "How long ago the oldest unfinished VM operation was requested (0 when none is; NaN when \
                 the database did not answer)";
            skyclust_provider_calls => metrics.provider_calls,
                "Calls to cloud providers, by provider, call and outcome (ok or the error class)";
            skyclust_provider_call_duration in Seconds => metrics.provider_call_duration,
                "Time a cloud provider call took, by provider and call";
            skyclust_audit_queue_depth => metrics.audit_queue,
                "Audit entries waiting to be written";
            skyclust_job_runs => metrics.job_runs,
                "Background job runs, by job and outcome";
            skyclust_job_duration in Seconds => metrics.job_duration,
                "Time a background job run took, by job";
            process_resident_memory in Bytes => metrics.resident_memory,
                "Resident memory size";
            process_open_fds => metrics.open_fds,
                "Open file descriptors";
            process_start_time in Seconds => metrics.start_time,
                "Start time of the process since the Unix epoch";
        }
        // The small closed sets exist at 0 from the start: a series that first appears already
        // at 1 is a rise `increase()` never sees, and alerts on it would miss the first event.
        for (reason, other) in [
            ("slow_client", "unknown"),
            ("redis_queue_full", "revocation"),
            ("redis_unavailable", "revocation"),
        ] {
            for kind in EventType::ALL.iter().map(|kind| kind.as_str()).chain([other]) {
                drop(metrics.events_dropped.get_or_create(&DropLabels { r#type: kind, reason }));
            }
        }
        for class in ["unavailable", "conflict", "other"] {
            drop(metrics.db_errors.get_or_create(&ClassLabel { class }));
        }
        for tier in ["anonymous", "user", "api_key", "documentation", "sign_in_failures"] {
            drop(metrics.rate_limited.get_or_create(&TierLabel { tier }));
        }
        Metrics { registry, ..metrics }
    }

    /// Counts an answered request.
    pub fn request(&self, operation: &'static str, status: u16, elapsed: Duration) {
        let status_class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.requests.get_or_create(&RequestLabels { operation, status_class }).inc();
        self.request_duration.get_or_create(&OperationLabel { operation }).observe(elapsed.as_secs_f64());
    }

    /// Counts a 429 on the `tier` budget.
    pub fn rate_limited(&self, tier: &'static str) {
        self.rate_limited.get_or_create(&TierLabel { tier }).inc();
    }

    /// Counts a database error met by a request.
    pub fn database_error(&self, failure: DatabaseFailure) {
        self.db_errors.get_or_create(&ClassLabel { class: failure.as_str() }).inc();
    }

    /// Counts an event published.
    pub fn event_published(&self, kind: EventType) {
        self.events_published.get_or_create(&EventLabel { r#type: kind.as_str() }).inc();
    }

    /// Counts an event written to a socket.
    pub fn event_delivered(&self, kind: EventType) {
        self.events_delivered.get_or_create(&EventLabel { r#type: kind.as_str() }).inc();
    }

    /// Counts `count` messages that did not reach a socket: events of `kind` (the event type,
    /// `unknown` when it can no longer be told, or `revocation`).
    pub fn events_dropped(&self, kind: &'static str, reason: DropReason, count: u64) {
        let reason = match reason {
            DropReason::SlowClient => "slow_client",
            DropReason::RedisQueueFull => "redis_queue_full",
            DropReason::RedisUnavailable => "redis_unavailable",
        };
        self.events_dropped.get_or_create(&DropLabels { r#type: kind, reason }).inc_by(count);
    }

    /// Counts a session closed with 4008.
    pub fn slow_close(&self) {
        self.websocket_slow_closes.inc();
    }

    /// Counts a VM operation that ended `elapsed` after it was requested.
    pub fn vm_operation(
        &self,
        provider: ProviderKind,
        kind: &'static str,
        outcome: VmOutcome,
        elapsed: Duration,
    ) {
        let labels = VmOperationLabels { provider: provider.as_str(), kind, outcome: outcome.as_str() };
        self.vm_operations.get_or_create(&labels).inc();
        self.vm_operation_duration.get_or_create(&labels).observe(elapsed.as_secs_f64());
    }

    /// Counts a provider call.
    pub fn provider_call(
        &self,
        provider: ProviderKind,
        call: &'static str,
        error: Option<&ProviderError>,
        elapsed: Duration,
    ) {
        let outcome = match error {
            None => "ok",
            Some(ProviderError::Retryable(_)) => "retryable",
            Some(ProviderError::NotFound(_)) => "not_found",
            Some(ProviderError::Auth(_)) => "auth",
            Some(ProviderError::Quota(_)) => "quota",
            Some(ProviderError::InvalidRequest(_)) => "invalid_request",
        };
        let provider = provider.as_str();
        self.provider_calls.get_or_create(&ProviderCallLabels { provider, call, outcome }).inc();
        self.provider_call_duration
            .get_or_create(&ProviderLabels { provider, call })
            .observe(elapsed.as_secs_f64());
    }

    /// Counts a run of background job `job` that started at `started`.
    pub fn job_run(&self, job: &'static str, succeeded: bool, started: Instant) {
        let outcome = if succeeded { "ok" } else { "error" };
        self.job_runs.get_or_create(&JobLabels { job, outcome }).inc();
        self.job_duration.get_or_create(&JobLabel { job }).observe(started.elapsed().as_secs_f64());
    }

    /// The exposition: gauges read from `state` now, then every metric, in OpenMetrics text.
    pub async fn render(&self, state: &AppState) -> String {
        let _one_at_a_time = self.scrape.lock().await;
        let started = Instant::now();
        let probe = tokio::time::timeout(PING_LIMIT, state.db.probe()).await;
        let up = matches!(probe, Ok(Ok(_)));
        self.db_up.set(i64::from(up));
        self.db_ping.set(started.elapsed().as_secs_f64());
        let pool = state.db.pool();
        let waiting = Instant::now();
        let connection = tokio::time::timeout(PING_LIMIT, pool.acquire()).await;
        self.db_acquire.set(waiting.elapsed().as_secs_f64());
        drop(connection);
        self.db_connections.set(i64::from(pool.size()));
        self.db_idle_connections.set(i64::try_from(pool.num_idle()).unwrap_or(i64::MAX));
        self.db_max_connections.set(i64::from(state.db.max_connections()));
        let unfinished = match up {
            true => {
                tokio::time::timeout(PING_LIMIT, crate::storage::operations::unfinished(&state.db)).await.ok()
            }
            false => None,
        };
        // Unknown rather than stale: an alert must not fire (or stay quiet) on an old value.
        let (count, age) = match unfinished {
            Some(Ok((count, oldest))) => {
                // Operations are timed by the system clock (leases are real time).
                let now = crate::clock::real_now();
                (count as f64, oldest.map_or(0.0, |oldest| (now - oldest).as_seconds_f64().max(0.0)))
            }
            _ => (f64::NAN, f64::NAN),
        };
        self.vm_operations_unfinished.set(count);
        self.vm_operation_oldest.set(age);
        self.redis_connected.set(i64::from(state.events.bus().is_connected().unwrap_or(false)));
        self.connections_open.set(i64::try_from(state.connections.open()).unwrap_or(i64::MAX));
        self.websocket_sessions.set(i64::try_from(state.sockets.len()).unwrap_or(i64::MAX));
        self.audit_queue.set(i64::try_from(state.audit.queued()).unwrap_or(i64::MAX));
        if let Some(stats) = memory_stats::memory_stats() {
            self.resident_memory.set(i64::try_from(stats.physical_mem).unwrap_or(i64::MAX));
        }
        if let Some(open) = open_fds() {
            self.open_fds.set(open);
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

#[cfg(test)]
mod tests;
