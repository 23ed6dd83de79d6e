//! Log and trace set-up for the binary: `RUST_LOG` (default `info`), text or JSON lines, and —
//! when `SKYCLUST_OTLP_ENDPOINT` is set — the same spans exported over OTLP/HTTP.
//!
//! Every request runs in a `request` span (its `request_id`, `operation`, method and path);
//! every VM operation the worker runs, in a `vm_operation` span carrying the `request_id` of
//! the request that asked for it, with a `provider_call` span per call to the cloud. Log lines
//! written inside a span are exported with it as span events (they never hold secrets).

use std::time::Duration;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};
use opentelemetry_otlp::{Protocol, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Layer as _, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::LogFormat;

/// Where OTLP/HTTP collectors take traces, below their base URL.
pub const TRACES_PATH: &str = "/v1/traces";

/// The trace exporter, while one runs; [`Telemetry::shutdown`] sends what is still buffered.
#[derive(Debug, Default)]
pub struct Telemetry {
    traces: Option<SdkTracerProvider>,
}

/// Why tracing could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("cannot export traces to SKYCLUST_OTLP_ENDPOINT: {0}")]
pub struct TelemetryError(String);

/// Installs the global subscriber: log lines (each inside a request carrying its
/// `request_id`) and, given `otlp_endpoint` (a collector's base URL, e.g.
/// `http://collector:4318`), span export to `<endpoint>/v1/traces`. Call inside the runtime.
pub fn init(format: LogFormat, otlp_endpoint: Option<&str>) -> Result<Telemetry, TelemetryError> {
    // `RUST_LOG` is for the log lines only: the export takes the server's own spans at info
    // level whatever it says, and never the HTTP spans of its own calls to the collector.
    let logged = || EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let (text, json) = match format {
        LogFormat::Text => {
            let layer = tracing_subscriber::fmt::layer().with_target(false).with_ansi(ansi);
            (Some(layer.with_filter(logged())), None)
        }
        LogFormat::Json => {
            let layer = tracing_subscriber::fmt::layer()
                .json()
                .flatten_event(true)
                .with_current_span(true)
                .with_target(false)
                .with_ansi(ansi);
            (None, Some(layer.with_filter(logged())))
        }
    };
    let traces = otlp_endpoint.map(exporter).transpose()?;
    let otel = traces.as_ref().map(|provider| {
        tracing_opentelemetry::layer()
            .with_tracer(provider.tracer("skyclust-server"))
            .with_location(false)
            .with_threads(false)
            .with_filter(Targets::new().with_target("skyclust_server", LevelFilter::INFO))
    });
    if let Err(error) = tracing_subscriber::registry().with(text).with(json).with(otel).try_init() {
        eprintln!("logging was already initialised: {error}");
    }
    Ok(Telemetry { traces })
}

impl Telemetry {
    /// Exports the spans still buffered (waiting at most 5 s) and stops the exporter.
    pub async fn shutdown(self) {
        let Some(provider) = self.traces else { return };
        // The SDK waits synchronously: off the runtime's worker threads.
        match tokio::task::spawn_blocking(move || provider.shutdown_with_timeout(Duration::from_secs(5)))
            .await
        {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("exporting the last traces failed: {error}"),
            Err(error) => eprintln!("exporting the last traces failed: {error}"),
        }
    }
}

/// The URL spans are posted to for the collector at `endpoint`.
pub fn traces_url(endpoint: &str) -> String {
    let base = endpoint.trim_end_matches('/');
    if base.ends_with(TRACES_PATH) { base.to_owned() } else { format!("{base}{TRACES_PATH}") }
}

fn exporter(endpoint: &str) -> Result<SdkTracerProvider, TelemetryError> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|error| TelemetryError(error.to_string()))?;
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(traces_url(endpoint))
        .with_timeout(Duration::from_secs(10))
        .with_http_client(OnRuntime { client, runtime: tokio::runtime::Handle::current() })
        .build()
        .map_err(|error| TelemetryError(error.to_string()))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name("skyclust-server").build())
        .build())
}

/// The exporter's HTTP client. The SDK's batch processor exports from a thread of its own with
/// no async runtime, where reqwest cannot run: each export is handed to the server's runtime.
#[derive(Debug, Clone)]
struct OnRuntime {
    client: reqwest::Client,
    runtime: tokio::runtime::Handle,
}

#[async_trait::async_trait]
impl HttpClient for OnRuntime {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let client = self.client.clone();
        self.runtime.spawn(async move { client.send_bytes(request).await }).await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_go_to_the_collectors_traces_path() {
        assert_eq!(traces_url("http://collector:4318"), "http://collector:4318/v1/traces");
        assert_eq!(traces_url("http://collector:4318/"), "http://collector:4318/v1/traces");
        assert_eq!(traces_url("https://otlp.example/v1/traces"), "https://otlp.example/v1/traces");
    }
}
