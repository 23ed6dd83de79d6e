//! `skyclust-server`: runs the SkyClust API. `--help` lists every setting.

use clap::Parser;
use secrecy::ExposeSecret;
use skyclust_server::{Config, Server, shutdown_signal, telemetry};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    let telemetry =
        match telemetry::init(config.log_format, config.otlp_endpoint.as_ref().map(url::Url::as_str)) {
            Ok(telemetry) => telemetry,
            Err(error) => {
                eprintln!("cannot start: {error}");
                return std::process::ExitCode::FAILURE;
            }
        };
    // Only the scheme: the rest may hold a password.
    let database = config.database_url.expose_secret().split_once("://").map(|(scheme, _)| scheme.to_owned());
    let server = match Server::bind(config).await {
        Ok(server) => server,
        Err(error) => {
            tracing::error!(error = %error, "cannot start");
            return std::process::ExitCode::FAILURE;
        }
    };
    let address = server.local_addr();
    tracing::info!(
        %address,
        database = database.as_deref().unwrap_or("unknown"),
        "SkyClust listening on http://{address}/api/v1 (Swagger UI at http://{address}/swagger-ui)"
    );
    if let Some(metrics) = server.metrics_addr() {
        tracing::info!(%metrics, "Prometheus metrics at http://{metrics}/metrics");
    }
    let outcome = server.run(shutdown_signal()).await;
    telemetry.shutdown().await;
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = %error, "server failed");
            std::process::ExitCode::FAILURE
        }
    }
}
