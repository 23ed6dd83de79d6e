//! Cloud providers behind one trait: create, describe, change (start, stop, reboot), terminate, with
//! errors classified so callers know whether to retry. [`Registry`] holds the enabled drivers.
//!
//! Status mapping (provider state → [`VmStatus`]), shared by the EC2-shaped drivers:
//!
//! | EC2 state | VM status |
//! |---|---|
//! | `pending` | `starting` |
//! | `running` | `running` |
//! | `stopping` | `stopping` |
//! | `stopped` | `stopped` |
//! | `shutting-down` | `terminating` |
//! | `terminated` | `terminated` |
//!
//! A VM is `pending` before its provider has been asked, and `error` when the provider refused
//! or failed (with the provider's message as `status_reason`).

pub mod aws;
pub mod azure;
pub mod client_cache;
pub mod gcp;
pub mod sandbox;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};

use serde_json::{Map, Value};
use skyclust_types::Provider as ProviderKind;
use skyclust_types::events::VmStatus;
use skyclust_types::{CreateVmRequest, FieldErrors};
use uuid::Uuid;
use zeroize::Zeroize;

/// What to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceSpec {
    /// The SkyClust VM id (tagged on the instance so it can be found again; providers that
    /// deduplicate requests use it as the request id, so a retried create creates one instance).
    pub vm_id: Uuid,
    /// The VM's workspace (labelled on the instance where the provider has labels).
    pub workspace_id: Uuid,
    /// Identifies this attempt (see [`request_id`]).
    pub request_id: Uuid,
    /// The VM's name.
    pub name: String,
    /// Instance type, e.g. `t3.micro`.
    pub instance_type: String,
    /// Region, e.g. `us-east-1`.
    pub region: String,
    /// Zone, when chosen before the provider is asked.
    pub zone: Option<String>,
    /// Machine image.
    pub image_id: Option<String>,
    /// SSH key pair name.
    pub key_pair: Option<String>,
}

/// What a provider reports about an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceState {
    /// The provider's id of the instance.
    pub instance_id: String,
    /// Its status in SkyClust's vocabulary.
    pub status: VmStatus,
    /// Public address, once it has one.
    pub public_ip: Option<String>,
    /// Private address, once it has one.
    pub private_ip: Option<String>,
    /// The zone it was placed in, when the provider says.
    pub zone: Option<String>,
    /// The machine image it was made from, when the provider says (the one chosen for a VM
    /// created without an `image_id`).
    pub image_id: Option<String>,
    /// Set when the provider reports a state SkyClust has no status for (GCP's `REPAIRING`):
    /// the VM keeps the status it has and records this as its reason; `status` is then only
    /// the driver's nearest guess.
    pub note: Option<String>,
}

impl InstanceState {
    /// An instance in `status`, with nothing else known of it.
    pub fn bare(status: VmStatus) -> InstanceState {
        InstanceState {
            instance_id: String::new(),
            status,
            public_ip: None,
            private_ip: None,
            zone: None,
            image_id: None,
            note: None,
        }
    }
}

/// An instance as its provider lists it (see [`InstanceDiscovery::list`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// The provider's id of the instance (what [`InstanceRef::instance_id`] holds).
    pub instance_id: String,
    /// Its name, when it has one.
    pub name: Option<String>,
    /// Its tags (labels).
    pub tags: BTreeMap<String, String>,
    /// Instance type.
    pub instance_type: String,
    /// Region.
    pub region: String,
    /// Zone, when it has one.
    pub zone: Option<String>,
    /// Machine image, when the provider says.
    pub image_id: Option<String>,
    /// SSH key pair, when the provider says.
    pub key_pair: Option<String>,
    /// Its state as the provider names it.
    pub provider_status: String,
    /// That state in SkyClust's vocabulary (the nearest one when SkyClust has none).
    pub status: VmStatus,
    /// Public address.
    pub public_ip: Option<String>,
    /// Private address.
    pub private_ip: Option<String>,
    /// Launch time, when the provider says.
    pub launched_at: Option<DateTime<Utc>>,
}

/// The tag EC2 instances created before release 19 carry instead of [`OWNER_TAG`].
pub const LEGACY_OWNER_TAG: &str = "skyclust:vm-id";

pub use skyclust_types::instances::OWNER_TAG;

impl Discovered {
    /// The SkyClust VM its owner tag names, if it carries one.
    pub fn owner(&self) -> Option<Uuid> {
        [OWNER_TAG, LEGACY_OWNER_TAG]
            .iter()
            .find_map(|tag| self.tags.get(*tag))
            .and_then(|value| Uuid::parse_str(value).ok())
    }
}

#[cfg(test)]
impl Discovered {
    /// A running `t3.micro` in `us-east-1` with nothing else known, for tests to vary.
    pub fn running(instance_id: &str) -> Discovered {
        Discovered {
            instance_id: instance_id.into(),
            name: None,
            tags: Default::default(),
            instance_type: "t3.micro".into(),
            region: "us-east-1".into(),
            zone: None,
            image_id: None,
            key_pair: None,
            provider_status: "running".into(),
            status: VmStatus::Running,
            public_ip: None,
            private_ip: None,
            launched_at: None,
        }
    }
}

/// How every [`InstanceState::note`] begins, so a note can be told from other reasons and
/// cleared once the provider reports an ordinary state again.
pub const HELD: &str = "held by the provider: ";

/// A provider call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// Worth retrying later: throttling, timeouts, transient outages.
    #[error("temporarily unavailable: {0}")]
    Retryable(String),
    /// The instance does not exist (any more).
    #[error("not found: {0}")]
    NotFound(String),
    /// The credentials were refused.
    #[error("authentication failed: {0}")]
    Auth(String),
    /// A limit of the account was reached.
    #[error("quota exceeded: {0}")]
    Quota(String),
    /// The request itself is wrong (unknown region, instance type, image…).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl ProviderError {
    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, ProviderError::Retryable(_))
    }
}

/// Decrypted provider fields of a credential. Never printed; its text is wiped from memory
/// when it is dropped.
#[derive(Clone, Default)]
pub struct Secrets(pub Map<String, Value>);

impl Drop for Secrets {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

impl Secrets {
    /// Overwrites every text in the fields (nested ones too) with zeros and empties it.
    fn wipe(&mut self) {
        fn wipe(value: &mut Value) {
            match value {
                Value::String(text) => text.zeroize(),
                Value::Array(values) => values.iter_mut().for_each(wipe),
                Value::Object(fields) => fields.values_mut().for_each(wipe),
                _ => {}
            }
        }
        self.0.values_mut().for_each(wipe);
    }

    /// A field's text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }
}

/// Where an existing instance lives, and the request made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRef {
    /// Region.
    pub region: String,
    /// Zone, when recorded.
    pub zone: Option<String>,
    /// The provider's id of the instance.
    pub instance_id: String,
    /// Identifies this attempt (see [`request_id`]).
    pub request_id: Uuid,
}

/// The request id of `attempt` at a durable `operation`, for providers that deduplicate
/// requests by id: stable within an attempt, new for the next one — a provider that answers a
/// repeated id with its first result would otherwise answer every retry of a failed request
/// with the same failure.
pub fn request_id(operation: Uuid, attempt: u32) -> Uuid {
    use sha2::{Digest, Sha256};
    let digest =
        Sha256::new().chain_update(operation.as_bytes()).chain_update(attempt.to_be_bytes()).finalize();
    let mut bytes = [0_u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A change to an existing instance ([`CloudProvider::change`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Start a stopped instance.
    Start,
    /// Stop a running instance.
    Stop,
    /// Reboot a running instance.
    Reboot,
}

impl Change {
    /// The call's name in metrics and logs.
    pub fn name(self) -> &'static str {
        match self {
            Change::Start => "start",
            Change::Stop => "stop",
            Change::Reboot => "reboot",
        }
    }
}

/// Result of a provider call.
pub type ProviderResult<T> = Result<T, ProviderError>;

/// What a call that creates, reads or changes an instance answers: its state afterwards.
pub type StateResult = ProviderResult<InstanceState>;

/// A VM request under a driver's check ([`CloudProvider::check_request`]).
pub struct Check<'a> {
    /// The request.
    pub request: &'a CreateVmRequest,
    /// What the price catalog lists of the request's provider.
    pub offered: &'a dyn Offered,
    /// Where each refusal goes, field by field, beside those found before.
    pub problems: &'a mut FieldErrors,
}

impl std::fmt::Debug for Check<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Check").field("request", self.request).field("problems", self.problems).finish()
    }
}

/// What the price catalog lists of one provider: the regions, zones and instance types a
/// request may name (`costs::catalog::Catalog::offered` provides it).
pub trait Offered {
    /// The regions priced.
    fn regions(&self) -> Vec<&str>;
    /// The zones of `region` (empty when the catalog lists none).
    fn zones(&self, region: &str) -> &[String];
    /// Whether `instance_type` is priced in `region`.
    fn prices(&self, region: &str, instance_type: &str) -> bool;
}

/// One cloud. Every driver checks requests the way its cloud would ([`CloudProvider::check_request`]),
/// so adding a provider touches its own folder, and can also list, inspect and tag its account's
/// instances ([`InstanceDiscovery`]), which discovery and adoption need.
#[async_trait::async_trait]
pub trait CloudProvider: InstanceDiscovery + Send + Sync + std::fmt::Debug {
    /// Which provider this is.
    fn kind(&self) -> ProviderKind;

    /// Refuses what this provider would refuse of the request (region, zone, instance type,
    /// image, key), field by field into its `problems`, before anything is sent to it; returns the
    /// zone the VM is to run in (the one asked for, or the provider's default for the region).
    fn check_request(&self, check: Check<'_>) -> Option<String>;

    /// Launches an instance.
    async fn create(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult;

    /// Reads an instance's current state.
    async fn describe(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult;

    /// Starts, stops or reboots an instance.
    async fn change(&self, secrets: &Secrets, instance: &InstanceRef, change: Change) -> StateResult;

    /// Terminates an instance.
    async fn terminate(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult;

    /// Follows a termination that [`CloudProvider::terminate`] left under way, until the
    /// answer is `terminated`. Reading the instance, unless terminating takes the driver
    /// several steps (Azure deletes the VM, then its interface, address and disk): then it
    /// takes the next one, so it must be safe to call again.
    async fn continue_termination(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        self.describe(secrets, instance).await
    }

    /// Terminates what a create that never reported an instance may have left (a create
    /// interrupted half way and then superseded by a delete). Nothing, unless the driver
    /// creates several resources under names it can find again (Azure); an answer other
    /// than `terminated` names the instance to follow with
    /// [`CloudProvider::continue_termination`].
    async fn discard_unreported(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult {
        let _ = (secrets, spec);
        Ok(InstanceState::bare(VmStatus::Terminated))
    }
}

/// What discovery and adoption need of a driver: the account's instances, one instance in
/// detail, and its owner tag.
#[async_trait::async_trait]
pub trait InstanceDiscovery: Send + Sync {
    /// The instances of the account in `region`, at most `limit` of them, terminated ones
    /// left out.
    async fn list(&self, secrets: &Secrets, region: &str, limit: usize) -> ProviderResult<Vec<Discovered>>;

    /// One instance, as [`InstanceDiscovery::list`] would list it.
    async fn inspect(&self, secrets: &Secrets, instance: &InstanceRef) -> ProviderResult<Discovered>;

    /// Tags the instance with [`OWNER_TAG`] naming `owner`, or removes the tag (`None`),
    /// leaving its other tags as they are.
    async fn set_owner(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        owner: Option<Uuid>,
    ) -> ProviderResult<()>;
}

/// The instance name of a VM: its name as a slug (at most 40 characters, starting with a
/// letter) and 12 hex digits of its id — unique, stable across retries, and a valid
/// Compute Engine name (`[a-z]([-a-z0-9]{0,61}[a-z0-9])?`) and Azure resource name.
pub fn instance_name(name: &str, vm_id: Uuid) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    if !slug.starts_with(|c: char| c.is_ascii_lowercase()) {
        slug.insert_str(0, "vm-");
    }
    slug.truncate(40);
    let slug = slug.trim_end_matches('-');
    format!("{slug}-{}", &vm_id.simple().to_string()[..12])
}

/// Whether `key` is one line `TYPE BASE64 [comment]` of an OpenSSH public key of one of
/// `types`, whose blob decodes and names its own type.
pub fn is_openssh_public_key(key: &str, types: &[&str]) -> bool {
    use base64::Engine as _;
    if key.chars().any(|c| c.is_control()) {
        return false;
    }
    let mut words = key.split(' ');
    let (Some(kind), Some(blob)) = (words.next(), words.next()) else { return false };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(blob) else { return false };
    // The blob starts with its type as an SSH string: a 4-byte length, then the name.
    let names_itself = decoded.len() > 4 + kind.len()
        && decoded[..4] == (kind.len() as u32).to_be_bytes()
        && &decoded[4..4 + kind.len()] == kind.as_bytes();
    types.contains(&kind) && names_itself
}

/// Maps an EC2 instance state name to a VM status (see the module documentation).
pub fn status_from_ec2(state: &str) -> Option<VmStatus> {
    Some(match state {
        "pending" => VmStatus::Starting,
        "running" => VmStatus::Running,
        "stopping" => VmStatus::Stopping,
        "stopped" => VmStatus::Stopped,
        "shutting-down" => VmStatus::Terminating,
        "terminated" => VmStatus::Terminated,
        _ => return None,
    })
}

/// The enabled providers.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    providers: HashMap<ProviderKind, Arc<dyn CloudProvider>>,
}

impl Registry {
    /// Enables `provider`.
    pub fn with(mut self, provider: Arc<dyn CloudProvider>) -> Self {
        self.providers.insert(provider.kind(), provider);
        self
    }

    /// The driver of `kind`, when enabled.
    pub fn get(&self, kind: ProviderKind) -> Option<&Arc<dyn CloudProvider>> {
        self.providers.get(&kind)
    }

    /// Which providers are enabled.
    pub fn enabled(&self) -> Vec<ProviderKind> {
        ProviderKind::ALL.into_iter().filter(|kind| self.providers.contains_key(kind)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_wiped_to_the_last_nested_text() {
        let fields = serde_json::json!({"key": "AKIA", "nested": {"list": ["pem"], "port": 5}});
        let mut secrets = Secrets(fields.as_object().unwrap().clone());
        secrets.wipe();
        assert_eq!(
            Value::Object(secrets.0.clone()),
            serde_json::json!({"key": "", "nested": {"list": [""], "port": 5}})
        );
    }

    #[test]
    fn request_ids_are_per_attempt() {
        let operation = Uuid::new_v4();
        assert_eq!(request_id(operation, 1), request_id(operation, 1));
        assert_ne!(request_id(operation, 1), request_id(operation, 2));
        assert_ne!(request_id(operation, 1), request_id(Uuid::new_v4(), 1));
        assert_eq!(request_id(operation, 3).get_version_num(), 4);
    }

    #[test]
    fn instance_names_are_valid_stable_and_unique() {
        let id = Uuid::parse_str("0f1e2d3c-4b5a-4978-8877-665544332211").unwrap();
        assert_eq!(instance_name("Web Server #1", id), "web-server-1-0f1e2d3c4b5a");
        assert_eq!(instance_name("1st", id), "vm-1st-0f1e2d3c4b5a");
        assert_eq!(instance_name("データ", id), "vm-0f1e2d3c4b5a");
        let long = instance_name(&"a".repeat(300), id);
        assert!(long.len() <= 63 && long.ends_with("-0f1e2d3c4b5a"), "{long}");
        assert_ne!(instance_name("web", id), instance_name("web", Uuid::new_v4()));
    }

    #[test]
    fn ec2_states_map_to_vm_statuses() {
        assert_eq!(status_from_ec2("pending"), Some(VmStatus::Starting));
        assert_eq!(status_from_ec2("shutting-down"), Some(VmStatus::Terminating));
        assert_eq!(status_from_ec2("terminated"), Some(VmStatus::Terminated));
        assert_eq!(status_from_ec2("exploded"), None);
        assert!(format!("{:?}", Secrets(Map::from_iter([("secret_key".into(), "x".into())]))).contains('…'));
    }
}
