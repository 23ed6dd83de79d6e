//! Typed Rust client for the SkyClust multi-cloud management API.
//!
//! Every method is a thin call through [`SkyClustClient::send`] with an operation declared in
//! [`skyclust_types`] (re-exported as [`types`]), so the SDK and the server share one contract.
//!
//! ```no_run
//! # async fn run() -> skyclust_sdk::Result<()> {
//! use skyclust_sdk::SkyClustClient;
//!
//! let client = SkyClustClient::builder("http://localhost:8080/api/v1")
//!     .token("eyJ…")
//!     .build()?;
//! let health = client.health().get().await?;
//! println!("{:?} for {}", health.status, health.uptime);
//! # Ok(()) }
//! ```

mod client;
mod error;
mod events;
mod pages;
mod resources;
mod retry;

pub use client::{ClientBuilder, DEFAULT_TIMEOUT, RateLimit, SkyClustClient};
pub use error::{Error, Result};
pub use events::{EventStream, EventsHandle, Subscription};

pub use resources::{
    ApiKeysHandle, AuditLogsHandle, AuthHandle, CostAnalysisHandle, CredentialsHandle, HealthHandle,
    NotificationsHandle, ProvidersHandle, UsersHandle, VmsHandle, WorkspacesHandle,
};

pub use retry::RetryPolicy;
/// The shared contract: models, error codes and operation declarations.
pub use skyclust_types as types;
pub use skyclust_types::ErrorCode;
