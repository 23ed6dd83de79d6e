//! End-to-end tests: the SDK (and raw HTTP for what the SDK cannot send) against the real
//! server, on SQLite and, when configured, PostgreSQL.

mod access;
mod adoption;
mod adoption_clouds;
mod api_keys;

mod audit;
mod auth;
mod azure;

mod cloud_invariants;
mod concurrency;
mod contract;
mod costs;
mod credentials;
mod errors;
mod events;
mod faults;
mod gcp;

mod hardening;
mod health;
mod metrics;
mod notifications;
mod rate_limits;
mod scale_out;
mod secrets;

mod users;
mod vms;
mod workspaces;

use skyclust_sdk::SkyClustClient;
use skyclust_sdk::types::{AuthResponse, RegisterRequest};

/// Registers `name` (email `name@example.com`, password `password-<name>`) on `client`.
pub async fn register(client: &SkyClustClient, name: &str) -> AuthResponse {
    client
        .auth()
        .register(&RegisterRequest {
            username: name.into(),
            email: format!("{name}@example.com"),
            password: format!("password-{name}"),
        })
        .await
        .unwrap_or_else(|error| panic!("register {name}: {error}"))
}
