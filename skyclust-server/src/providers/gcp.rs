//! The Google Cloud provider, through Google's official client (`google-cloud-compute-v1`):
//! `instances.insert` / `get` / `start` / `stop` / `reset` (our reboot) / `delete` in the
//! credential's project and the VM's zone, each change followed by polling its zone operation
//! (`zoneOperations.get`) until it is done or [`Gcp`]'s wait runs out — so a refusal that
//! Compute Engine reports in the operation (quota, capacity) within the wait reaches the VM as
//! an error. The instance id SkyClust records is `projects/P/zones/Z/instances/NAME`, so a VM
//! stays with its project even if its credential is later given another project's key.
//!
//! - **Credentials**: the service-account key file as Google Cloud's console downloads it. The
//!   client signs its own JWTs with the key (RS256, `kid` = `private_key_id`); nothing is sent to
//!   `token_uri`. One client per key, kept and reused (up to [`MAX_CLIENTS`]).
//! - **Instances** are named by [`super::instance_name`] and labelled
//!   `skyclust-vm-id` and `skyclust-workspace`; the boot disk is [`BOOT_DISK_GB`] GB of
//!   `pd-balanced` from `image_id` ([`DEFAULT_IMAGE`] when absent); the NIC is on the project's
//!   `default` network with an ephemeral external address; `key_pair` becomes the `ssh-keys`
//!   metadata entry.
//! - **Retries**: the client makes one attempt per call; SkyClust's durable operations retry
//!   what is retryable. Every attempt carries a `requestId` of its own (Google answers a
//!   repeated id with the first operation, so a capacity failure could never be retried under
//!   the same one). An insert is idempotent by its name: a retry that finds the name taken
//!   (409) adopts the instance when its `skyclust-vm-id` label says it is this VM's.
//! - **Discovery**: `instances.aggregatedList` over the project, page by page, keeping the
//!   region's zones; adoption labels the instance with `instances.setLabels` (read-modify-write
//!   under the label fingerprint, read again when someone else changed the labels meanwhile).
//!
//! Status mapping:
//!
//! | Compute Engine status | VM status |
//! |---|---|
//! | `PROVISIONING`, `STAGING` | `starting` |
//! | `RUNNING` | `running` |
//! | `STOPPING`, `SUSPENDING`, `PENDING_STOP` | `stopping` |
//! | `TERMINATED`, `STOPPED`, `SUSPENDED` | `stopped` (GCP's `TERMINATED` is a stopped instance) |
//! | `REPAIRING` | unchanged, with a note as the VM's `status_reason` |
//! | instance not found | `terminated` |

use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use google_cloud_auth::credentials::service_account;
use google_cloud_compute_v1::client::Instances;
use google_cloud_compute_v1::model::{
    AccessConfig, AttachedDisk, AttachedDiskInitializeParams, Instance, InstancesSetLabelsRequest, Metadata,
    NetworkInterface, Operation, access_config, metadata,
};
use google_cloud_gax::error::Error as GaxError;
use google_cloud_gax::error::rpc::StatusDetails;
use google_cloud_gax::retry_policy::NeverRetry;
use serde_json::{Map, Value};
use skyclust_types::Provider as ProviderKind;
use skyclust_types::events::VmStatus;

use super::client_cache::{self, ClientCache};
use super::{
    CloudProvider, Discovered, HELD, InstanceDiscovery, InstanceRef, InstanceSpec, InstanceState, OWNER_TAG,
    ProviderError, ProviderResult, Secrets,
};

/// The image a VM boots when it names none.
pub const DEFAULT_IMAGE: &str = "projects/debian-cloud/global/images/family/debian-12";
/// Size of the boot disk (the smallest the common public images allow); the price catalog
/// meters gcp VMs with the same size.
pub const BOOT_DISK_GB: i64 = 10;
/// Clients kept at once, one per service-account key; the least recently used goes first.
pub const MAX_CLIENTS: usize = 64;
/// A client unused this long is dropped (with the key its token refresher holds).
const CLIENT_IDLE: Duration = Duration::from_secs(3600);

/// The Compute Engine driver.
#[derive(Debug)]
pub struct Gcp {
    endpoint: Option<String>,
    attempt_timeout: Duration,
    operation_wait: Duration,
    poll: Duration,
    clients: ClientCache<Instances>,
}

impl Gcp {
    /// A driver calling `endpoint` (the client's `https://compute.googleapis.com/` when `None`);
    /// each HTTP attempt is limited to `attempt_timeout`, and a change waits up to
    /// `operation_wait` for its zone operation, polling every `poll`.
    pub fn new(
        endpoint: Option<String>,
        attempt_timeout: Duration,
        operation_wait: Duration,
        poll: Duration,
    ) -> Gcp {
        Gcp {
            endpoint,
            attempt_timeout,
            operation_wait,
            poll,
            clients: ClientCache::new(MAX_CLIENTS, CLIENT_IDLE),
        }
    }

    /// The client for this key, built once and reused.
    async fn client(&self, secrets: &Secrets) -> ProviderResult<Instances> {
        let key = client_cache::key(&[&serde_json::to_vec(&secrets.0).unwrap_or_default()]);
        if let Some(client) = self.clients.get(&key) {
            return Ok(client);
        }
        let credentials = service_account::Builder::new(Value::Object(secrets.0.clone()))
            .build()
            .map_err(|_| ProviderError::Auth("the credential is not a usable service-account key".into()))?;
        let mut builder = Instances::builder()
            .with_credentials(credentials)
            .with_retry_policy(NeverRetry)
            .with_attempt_timeout(self.attempt_timeout);
        if let Some(endpoint) = &self.endpoint {
            builder = builder.with_endpoint(endpoint.clone());
        }
        let client = builder.build().await.map_err(|error| {
            if error.is_universe_domain_mismatch() {
                ProviderError::Auth("the key's universe_domain is not Google Cloud's (googleapis.com)".into())
            } else {
                ProviderError::Retryable(format!("cannot set up the Compute Engine client: {error}"))
            }
        })?;
        self.clients.insert(key, client.clone());
        Ok(client)
    }

    /// How many clients are kept (tests check reuse).
    pub fn cached_clients(&self) -> usize {
        self.clients.len()
    }

    /// Polls `operation` until it is done (`Ok(true)`), fails (its error, classified), or the
    /// wait runs out (`Ok(false)`).
    async fn settle(
        &self,
        client: &Instances,
        at: &Place<'_>,
        mut operation: Operation,
    ) -> ProviderResult<bool> {
        let deadline = Instant::now() + self.operation_wait;
        loop {
            if operation.status.as_ref().and_then(|status| status.name()) == Some("DONE") {
                return operation_failure(&operation).map_or(Ok(true), Err);
            }
            if Instant::now() + self.poll > deadline {
                return Ok(false);
            }
            tokio::time::sleep(self.poll).await;
            let name = operation.name.clone().ok_or_else(|| {
                ProviderError::Retryable("Compute Engine returned an unnamed operation".into())
            })?;
            match client
                .get_operation()
                .set_project(at.project)
                .set_zone(at.zone)
                .set_operation(name)
                .send()
                .await
            {
                Ok(next) => operation = next,
                Err(error) => match classify(&error) {
                    // A hiccup while polling: poll again.
                    retryable @ ProviderError::Retryable(_) if Instant::now() >= deadline => {
                        return Err(retryable);
                    }
                    ProviderError::Retryable(_) => {}
                    other => return Err(other),
                },
            }
        }
    }

    async fn read(&self, client: &Instances, at: &Place<'_>, name: &str) -> ProviderResult<InstanceState> {
        let instance =
            client.get().set_project(at.project).set_zone(at.zone).set_instance(name).send().await.map_err(
                |error| match classify(&error) {
                    // Gone only when Google says the instance is; a missing project or zone is
                    // something else, and must not mark the VM terminated.
                    ProviderError::NotFound(message) if !message.contains(&format!("/instances/{name}")) => {
                        ProviderError::InvalidRequest(message)
                    }
                    other => other,
                },
            )?;
        observed(&instance, at, name)
    }

    /// A change to an existing instance: send it, wait for its operation, read the instance.
    async fn change(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        verb: Verb,
    ) -> ProviderResult<InstanceState> {
        let (at, name) = Place::locate(secrets, instance)?;
        let client = self.client(secrets).await?;
        let request_id = instance.request_id.to_string();
        let sent = match verb {
            Verb::Start => {
                client
                    .start()
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .set_request_id(request_id)
                    .send()
                    .await
            }
            Verb::Stop => {
                client
                    .stop()
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .set_request_id(request_id)
                    .send()
                    .await
            }
            Verb::Reset => {
                client
                    .reset()
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .set_request_id(request_id)
                    .send()
                    .await
            }
            Verb::Delete => {
                client
                    .delete()
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .set_request_id(request_id)
                    .send()
                    .await
            }
        };
        let operation = sent.map_err(|error| classify(&error))?;
        self.settle(&client, &at, operation).await?;
        match self.read(&client, &at, name).await {
            Err(ProviderError::NotFound(_)) if verb == Verb::Delete => Ok(InstanceState {
                instance_id: at.instance_id(name),
                zone: Some(at.zone.to_owned()),
                ..InstanceState::bare(VmStatus::Terminated)
            }),
            other => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Start,
    Stop,
    Reset,
    Delete,
}

/// Where an instance lives: the credential's project and the VM's zone.
struct Place<'a> {
    project: &'a str,
    zone: &'a str,
}

impl<'a> Place<'a> {
    fn of(secrets: &'a Secrets, region: &str, zone: Option<&'a str>) -> ProviderResult<Place<'a>> {
        let project = secrets
            .get("project_id")
            .ok_or_else(|| ProviderError::Auth("the credential has no project_id".into()))?;
        let zone =
            zone.ok_or_else(|| ProviderError::InvalidRequest(format!("no zone of {region} was chosen")))?;
        Ok(Place { project, zone })
    }

    /// Where an existing instance is, and its name: read from its recorded id
    /// (`projects/P/zones/Z/instances/NAME`).
    fn locate(secrets: &'a Secrets, instance: &'a InstanceRef) -> ProviderResult<(Place<'a>, &'a str)> {
        match instance.instance_id.split('/').collect::<Vec<_>>().as_slice() {
            ["projects", project, "zones", zone, "instances", name] => Ok((Place { project, zone }, name)),
            _ => Ok((Place::of(secrets, &instance.region, instance.zone.as_deref())?, &instance.instance_id)),
        }
    }

    /// The id SkyClust records for the instance `name` here.
    fn instance_id(&self, name: &str) -> String {
        format!("projects/{}/zones/{}/instances/{name}", self.project, self.zone)
    }
}

/// The zone a VM of `region` gets when its creator names none: the first of the region's
/// zones in the catalog (see `GET /providers`).
pub fn default_zone(zones: &[String]) -> Option<&str> {
    zones.first().map(String::as_str)
}

/// Whether `image` names a Compute Engine image: `projects/P/global/images/NAME`,
/// `projects/P/global/images/family/FAMILY`, either as a full `https://` URL, or
/// `global/images/…` in the credential's own project.
pub fn is_image(image: &str) -> bool {
    let path = ["https://www.googleapis.com/compute/v1/", "https://compute.googleapis.com/compute/v1/"]
        .iter()
        .find_map(|prefix| image.strip_prefix(prefix))
        .unwrap_or(image);
    let name = |part: &str| {
        (1..=63).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let project = |part: &str| {
        (1..=63).contains(&part.len())
            && part
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.' || b == b':')
    };
    let parts: Vec<&str> = path.split('/').collect();
    let images = match parts.as_slice() {
        ["projects", owner, rest @ ..] if project(owner) => rest,
        rest => rest,
    };
    matches!(images, ["global", "images", image] if name(image))
        || matches!(images, ["global", "images", "family", family] if name(family))
}

/// Whether `entry` is an `ssh-keys` metadata entry: `user:TYPE BASE64 [comment]`, one line,
/// with a user name Linux accepts and a key blob that decodes and names its own type.
pub fn is_ssh_keys_entry(entry: &str) -> bool {
    const TYPES: &[&str] = &[
        "ssh-ed25519",
        "ssh-rsa",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    ];
    let Some((user, key)) = entry.split_once(':') else { return false };
    let user_ok = (1..=32).contains(&user.len())
        && user.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && user
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-' || b == b'.');
    user_ok && super::is_openssh_public_key(key, TYPES)
}

/// Checks that a credential's `data` is a service-account key the client can sign with: the
/// key is parsed and a token signed locally (nothing is sent). The error never quotes the key.
pub async fn check_key(data: &Map<String, Value>) -> Result<(), &'static str> {
    const UNUSABLE: &str =
        "must be the PKCS#8 PEM RSA private key of the key file (\"-----BEGIN PRIVATE KEY-----…\")";
    let credentials =
        service_account::Builder::new(Value::Object(data.clone())).build().map_err(|_| UNUSABLE)?;
    credentials.headers(http::Extensions::new()).await.map(|_| ()).map_err(|_| UNUSABLE)
}

fn observed(instance: &Instance, at: &Place<'_>, name: &str) -> ProviderResult<InstanceState> {
    let gcp_status = instance.status.as_ref().and_then(|status| status.name()).unwrap_or("PROVISIONING");
    let (status, note) = match gcp_status {
        "PROVISIONING" | "STAGING" => (VmStatus::Starting, None),
        "RUNNING" => (VmStatus::Running, None),
        "STOPPING" | "SUSPENDING" | "PENDING_STOP" => (VmStatus::Stopping, None),
        "TERMINATED" | "STOPPED" | "SUSPENDED" => (VmStatus::Stopped, None),
        "REPAIRING" => {
            (VmStatus::Running, Some(format!("{HELD}REPAIRING (Compute Engine is repairing the instance)")))
        }
        other => return Err(ProviderError::Retryable(format!("unknown Compute Engine status {other}"))),
    };
    let interface = instance.network_interfaces.first();
    let public_ip = interface
        .and_then(|interface| interface.access_configs.iter().find_map(|config| config.nat_ip.clone()))
        .filter(|_| status == VmStatus::Running || note.is_some());
    Ok(InstanceState {
        instance_id: at.instance_id(instance.name.as_deref().unwrap_or(name)),
        status,
        public_ip,
        private_ip: interface.and_then(|interface| interface.network_ip.clone()),
        zone: instance.zone.as_deref().and_then(|zone| zone.rsplit('/').next()).map(str::to_owned),
        image_id: None,
        note,
    })
}

/// What discovery shows of an instance in `zone` of `region`; `None` for a status SkyClust
/// does not know (logged, so a new Compute Engine status does not fail the whole list).
fn discovered(instance: &Instance, at: &Place<'_>, region: &str) -> Option<Discovered> {
    let name = instance.name.clone().unwrap_or_default();
    let state = match observed(instance, at, &name) {
        Ok(state) => state,
        Err(error) => {
            tracing::warn!(instance = %name, error = %error, "an instance with an unknown status was left out");
            return None;
        }
    };
    let provider_status = instance.status.as_ref().and_then(|status| status.name()).unwrap_or("PROVISIONING");
    // The first `ssh-keys` entry, as SkyClust sets one (the metadata may hold many).
    let key_pair = instance.metadata.as_ref().and_then(|metadata| {
        let item = metadata.items.iter().find(|item| item.key.as_deref() == Some("ssh-keys"))?;
        item.value.as_deref()?.lines().next().filter(|entry| entry.len() <= 4096).map(str::to_owned)
    });
    Some(Discovered {
        instance_id: state.instance_id,
        name: instance.name.clone(),
        tags: instance.labels.iter().map(|(key, value)| (key.clone(), value.clone())).collect(),
        instance_type: instance
            .machine_type
            .as_deref()
            .and_then(|machine_type| machine_type.rsplit('/').next())
            .unwrap_or_default()
            .to_owned(),
        region: region.to_owned(),
        zone: Some(at.zone.to_owned()),
        image_id: None,
        key_pair,
        provider_status: provider_status.to_owned(),
        status: state.status,
        public_ip: state.public_ip,
        private_ip: state.private_ip,
        launched_at: instance
            .creation_timestamp
            .as_deref()
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
            .map(|at| at.with_timezone(&chrono::Utc)),
    })
}

/// The region of a zone (`us-central1-a` → `us-central1`).
fn region_of(zone: &str) -> Option<&str> {
    zone.rsplit_once('-').map(|(region, _)| region)
}

/// How often a label change is tried when someone else keeps changing the labels.
const LABEL_ATTEMPTS: usize = 3;

/// A finished operation's error, classified; `None` when it succeeded.
fn operation_failure(operation: &Operation) -> Option<ProviderError> {
    let error = operation.error.as_ref()?;
    let first = error.errors.first();
    let code = first.and_then(|first| first.code.as_deref()).unwrap_or("UNKNOWN");
    let message = format!(
        "{code}: {}",
        first
            .and_then(|first| first.message.as_deref())
            .or(operation.http_error_message.as_deref())
            .unwrap_or("no message")
    );
    Some(match code {
        code if code.contains("QUOTA") => ProviderError::Quota(message),
        "ZONE_RESOURCE_POOL_EXHAUSTED"
        | "ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS"
        | "RESOURCE_NOT_READY"
        | "RATE_LIMIT_EXCEEDED"
        | "INTERNAL_ERROR"
        | "SERVICE_UNAVAILABLE" => ProviderError::Retryable(message),
        _ => match operation.http_error_status_code {
            Some(401 | 403) => ProviderError::Auth(message),
            Some(404) => ProviderError::NotFound(message),
            Some(429 | 500..=599) => ProviderError::Retryable(message),
            _ => ProviderError::InvalidRequest(message),
        },
    })
}

/// Sorts a client failure into the provider error classes, by HTTP status and Google's
/// `error.errors[].reason`.
fn classify(error: &GaxError) -> ProviderError {
    if error.is_timeout() || error.is_exhausted() {
        return ProviderError::Retryable("Compute Engine did not answer in time".into());
    }
    if error.is_connect() || error.is_io() || error.is_transport() {
        return ProviderError::Retryable("cannot reach Compute Engine".into());
    }
    if error.is_authentication() {
        return ProviderError::Auth("the service-account key could not sign a token".into());
    }
    if error.is_deserialization() {
        return ProviderError::Retryable("Compute Engine's answer was unreadable".into());
    }
    let Some(code) = error.http_status_code() else {
        return ProviderError::InvalidRequest(format!("Compute Engine refused the request: {error}"));
    };
    let status = error.status();
    let details = status.into_iter().flat_map(|status| status.details.iter());
    // Compute Engine names reasons in the legacy `errors[].reason` (`quotaExceeded`) or in an
    // `ErrorInfo` detail (`QUOTA_EXCEEDED`); both reach here as ErrorInfo. Compared without
    // case or underscores.
    let reasons: Vec<&str> = details
        .clone()
        .filter_map(|detail| match detail {
            StatusDetails::ErrorInfo(info) => Some(info.reason.as_str()),
            _ => None,
        })
        .collect();
    let quota_failure = details.clone().any(|detail| matches!(detail, StatusDetails::QuotaFailure(_)));
    let message = format!(
        "{code} {}: {}",
        reasons.first().copied().unwrap_or("error"),
        status.map(|status| status.message.as_str()).filter(|text| !text.is_empty()).unwrap_or("no message")
    );
    let has = |wanted: &[&str]| {
        reasons.iter().any(|reason| {
            let reason = reason.replace('_', "").to_ascii_lowercase();
            wanted.contains(&reason.as_str())
        })
    };
    if quota_failure || has(&["quotaexceeded", "resourcequotaexceeded"]) {
        return ProviderError::Quota(message);
    }
    if has(&["ratelimitexceeded", "userratelimitexceeded", "resourcenotready"]) {
        return ProviderError::Retryable(message);
    }
    match code {
        401 | 403 => ProviderError::Auth(message),
        404 => ProviderError::NotFound(message),
        429 | 500..=599 => ProviderError::Retryable(message),
        _ => ProviderError::InvalidRequest(message),
    }
}

fn is_conflict(error: &GaxError) -> bool {
    error.http_status_code() == Some(409)
}

/// A trait method that makes one change to an existing instance.
macro_rules! change {
    ($method:ident, $verb:expr) => {
        fn $method<'a>(
            &'a self,
            secrets: &'a Secrets,
            instance: &'a InstanceRef,
        ) -> BoxFuture<'a, ProviderResult<InstanceState>> {
            Box::pin(self.change(secrets, instance, $verb))
        }
    };
}

impl CloudProvider for Gcp {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Gcp
    }

    fn create<'a>(
        &'a self,
        secrets: &'a Secrets,
        spec: &'a InstanceSpec,
    ) -> BoxFuture<'a, ProviderResult<InstanceState>> {
        Box::pin(async move {
            let at = Place::of(secrets, &spec.region, spec.zone.as_deref())?;
            let client = self.client(secrets).await?;
            let name = super::instance_name(&spec.name, spec.vm_id);
            let vm_id = spec.vm_id.to_string();
            let mut body = Instance::new()
                .set_name(&name)
                .set_machine_type(format!("zones/{}/machineTypes/{}", at.zone, spec.instance_type))
                .set_labels([
                    ("skyclust-vm-id", vm_id.clone()),
                    ("skyclust-workspace", spec.workspace_id.to_string()),
                ])
                .set_disks([AttachedDisk::new().set_boot(true).set_auto_delete(true).set_initialize_params(
                    AttachedDiskInitializeParams::new()
                        .set_source_image(spec.image_id.as_deref().unwrap_or(DEFAULT_IMAGE))
                        .set_disk_size_gb(BOOT_DISK_GB)
                        .set_disk_type(format!("zones/{}/diskTypes/pd-balanced", at.zone)),
                )])
                .set_network_interfaces([NetworkInterface::new()
                    .set_network("global/networks/default")
                    .set_access_configs([AccessConfig::new()
                        .set_name("External NAT")
                        .set_type(access_config::Type::OneToOneNat)])]);
            if let Some(entry) = &spec.key_pair {
                body = body.set_metadata(
                    Metadata::new().set_items([metadata::Items::new().set_key("ssh-keys").set_value(entry)]),
                );
            }
            let sent = client
                .insert()
                .set_project(at.project)
                .set_zone(at.zone)
                .set_request_id(spec.request_id.to_string())
                .set_body(body)
                .send()
                .await;
            // What an insert cannot find is something it refers to (image, network).
            let refers_to_nothing = |error: ProviderError| match error {
                ProviderError::NotFound(message) => ProviderError::InvalidRequest(message),
                other => other,
            };
            let done = match sent {
                Ok(operation) => self.settle(&client, &at, operation).await.map_err(refers_to_nothing)?,
                // The name is taken: by this VM's instance (a retry after Compute Engine forgot
                // the request id), or by someone else's.
                Err(error) if is_conflict(&error) => {
                    let existing = client
                        .get()
                        .set_project(at.project)
                        .set_zone(at.zone)
                        .set_instance(&name)
                        .send()
                        .await
                        .map_err(|error| classify(&error))?;
                    if existing.labels.get("skyclust-vm-id") != Some(&vm_id) {
                        return Err(ProviderError::InvalidRequest(format!(
                            "an instance named {name} already exists in {} and is not this VM's",
                            at.zone
                        )));
                    }
                    return observed(&existing, &at, &name);
                }
                Err(error) => return Err(refers_to_nothing(classify(&error))),
            };
            match self.read(&client, &at, &name).await {
                // Still being inserted: the worker keeps reading it.
                Err(ProviderError::NotFound(_)) if !done => Ok(InstanceState {
                    instance_id: at.instance_id(&name),
                    zone: Some(at.zone.to_owned()),
                    ..InstanceState::bare(VmStatus::Starting)
                }),
                other => other,
            }
        })
    }

    fn describe<'a>(
        &'a self,
        secrets: &'a Secrets,
        instance: &'a InstanceRef,
    ) -> BoxFuture<'a, ProviderResult<InstanceState>> {
        Box::pin(async move {
            let (at, name) = Place::locate(secrets, instance)?;
            let client = self.client(secrets).await?;
            self.read(&client, &at, name).await
        })
    }

    change!(start, Verb::Start);
    change!(stop, Verb::Stop);
    change!(reboot, Verb::Reset);
    change!(terminate, Verb::Delete);
}

impl InstanceDiscovery for Gcp {
    fn list_instances<'a>(
        &'a self,
        secrets: &'a Secrets,
        region: &'a str,
        limit: usize,
    ) -> BoxFuture<'a, ProviderResult<Vec<Discovered>>> {
        Box::pin(async move {
            let project = secrets
                .get("project_id")
                .ok_or_else(|| ProviderError::Auth("the credential has no project_id".into()))?;
            let client = self.client(secrets).await?;
            let mut found = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let mut request = client.aggregated_list().set_project(project).set_max_results(500_u32);
                if let Some(token) = token.take() {
                    request = request.set_page_token(token);
                }
                let page = request.send().await.map_err(|error| classify(&error))?;
                let mut scopes: Vec<_> = page.items.into_iter().collect();
                scopes.sort_by(|a, b| a.0.cmp(&b.0));
                for (scope, listed) in scopes {
                    let Some(zone) = scope.strip_prefix("zones/") else { continue };
                    if region_of(zone) != Some(region) {
                        continue;
                    }
                    let at = Place { project, zone };
                    for instance in &listed.instances {
                        if found.len() < limit
                            && let Some(discovered) = discovered(instance, &at, region)
                        {
                            found.push(discovered);
                        }
                    }
                }
                token = page.next_page_token.filter(|token| !token.is_empty());
                if token.is_none() || found.len() >= limit {
                    return Ok(found);
                }
            }
        })
    }

    fn inspect<'a>(
        &'a self,
        secrets: &'a Secrets,
        instance: &'a InstanceRef,
    ) -> BoxFuture<'a, ProviderResult<Discovered>> {
        Box::pin(async move {
            let (at, name) = Place::locate(secrets, instance)?;
            if region_of(at.zone) != Some(instance.region.as_str()) {
                return Err(ProviderError::NotFound(format!(
                    "{} is not in {}",
                    instance.instance_id, instance.region
                )));
            }
            let client = self.client(secrets).await?;
            let found = client
                .get()
                .set_project(at.project)
                .set_zone(at.zone)
                .set_instance(name)
                .send()
                .await
                .map_err(|error| classify(&error))?;
            discovered(&found, &at, &instance.region).ok_or_else(|| {
                ProviderError::Retryable(format!(
                    "{} has a status SkyClust does not know",
                    instance.instance_id
                ))
            })
        })
    }

    fn set_owner<'a>(
        &'a self,
        secrets: &'a Secrets,
        instance: &'a InstanceRef,
        owner: Option<uuid::Uuid>,
    ) -> BoxFuture<'a, ProviderResult<()>> {
        Box::pin(async move {
            let (at, name) = Place::locate(secrets, instance)?;
            let client = self.client(secrets).await?;
            for _ in 0..LABEL_ATTEMPTS {
                let current = client
                    .get()
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .send()
                    .await
                    .map_err(|error| classify(&error))?;
                let mut labels = current.labels.clone();
                match owner {
                    Some(owner) => labels.insert(OWNER_TAG.to_owned(), owner.to_string()),
                    None => labels.remove(OWNER_TAG),
                };
                let body = InstancesSetLabelsRequest::new()
                    .set_labels(labels)
                    .set_or_clear_label_fingerprint(current.label_fingerprint.clone());
                let sent = client
                    .set_labels()
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .set_request_id(uuid::Uuid::new_v4().to_string())
                    .set_body(body)
                    .send()
                    .await;
                match sent {
                    // The labels changed since they were read: read them again.
                    Err(error) if error.http_status_code() == Some(412) => continue,
                    Err(error) => return Err(classify(&error)),
                    Ok(operation) => {
                        return match self.settle(&client, &at, operation).await? {
                            true => Ok(()),
                            false => Err(ProviderError::Retryable(
                                "Compute Engine did not finish changing the labels in time".into(),
                            )),
                        };
                    }
                }
            }
            Err(ProviderError::Retryable("the instance's labels kept changing; try again".into()))
        })
    }
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der};
    use base64::Engine as _;
    use serde_json::json;
    use wiremock::matchers::{method, path_regex};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use uuid::Uuid;

    use super::*;

    /// A service-account key file with a fresh RSA key.
    fn key_file() -> Secrets {
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let der = AsDer::<Pkcs8V1Der<'_>>::as_der(&pair).unwrap();
        let body = base64::engine::general_purpose::STANDARD.encode(der.as_ref());
        let lines: Vec<String> =
            body.as_bytes().chunks(64).map(|line| String::from_utf8_lossy(line).into()).collect();
        let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
        let file = json!({
            "type": "service_account", "project_id": "my-project", "private_key_id": Uuid::new_v4().simple().to_string(),
            "private_key": pem, "client_email": "sa@my-project.iam.gserviceaccount.com"
        });
        Secrets(file.as_object().unwrap().clone())
    }

    fn somewhere(request_id: Uuid) -> InstanceRef {
        InstanceRef {
            region: "us-central1".into(),
            zone: Some("us-central1-a".into()),
            instance_id: "projects/my-project/zones/us-central1-a/instances/web-0f1e2d3c4b5a".into(),
            request_id,
        }
    }

    fn google_error(status: u16, reason: &str) -> ResponseTemplate {
        ResponseTemplate::new(status).set_body_json(json!({"error": {
            "code": status, "message": format!("{reason} happened"),
            "errors": [{"message": format!("{reason} happened"), "domain": "global", "reason": reason}]
        }}))
    }

    async fn describe_against(response: ResponseTemplate, secrets: &Secrets) -> ProviderError {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path_regex("^/compute/v1/projects/my-project/zones/us-central1-a/instances/"))
            .respond_with(response)
            .mount(&server)
            .await;
        let gcp = Gcp::new(
            Some(server.uri()),
            Duration::from_millis(500),
            Duration::from_secs(1),
            Duration::from_millis(10),
        );
        gcp.describe(secrets, &somewhere(Uuid::new_v4())).await.unwrap_err()
    }

    #[tokio::test]
    async fn compute_engine_failures_are_classified_without_quoting_the_key() {
        let secrets = key_file();
        let cases = [
            (google_error(401, "authError"), "Auth"),
            (google_error(403, "forbidden"), "Auth"),
            (google_error(403, "quotaExceeded"), "Quota"),
            (google_error(403, "rateLimitExceeded"), "Retryable"),
            (google_error(429, "rateLimitExceeded"), "Retryable"),
            (google_error(503, "backendError"), "Retryable"),
            // Gone only when the 404 names the instance, not its project or zone.
            (
                ResponseTemplate::new(404).set_body_json(json!({"error": {"code": 404, "errors": [{"reason": "notFound"}],
                    "message": "The resource 'projects/my-project/zones/us-central1-a/instances/web-0f1e2d3c4b5a' was not found"}})),
                "NotFound",
            ),
            (google_error(404, "notFound"), "InvalidRequest"),
            (google_error(400, "resourceNotReady"), "Retryable"),
            (google_error(400, "invalid"), "InvalidRequest"),
            // The newer shape: the reason in an ErrorInfo detail, upper case; a QuotaFailure.
            (
                ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "Quota exceeded",
                    "status": "PERMISSION_DENIED", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "QUOTA_EXCEEDED", "domain": "compute.googleapis.com"}]}})),
                "Quota",
            ),
            (
                ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "Quota 'CPUS' exceeded",
                    "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure",
                    "violations": [{"subject": "CPUS", "description": "Quota 'CPUS' exceeded"}]}]}})),
                "Quota",
            ),
            (
                ResponseTemplate::new(403).set_body_json(json!({"error": {"code": 403, "message": "slow down",
                    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "RATE_LIMIT_EXCEEDED"}]}})),
                "Retryable",
            ),
            (ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"), "Retryable"),
            (ResponseTemplate::new(200).set_delay(Duration::from_secs(3)), "Retryable"),
        ];
        for (response, class) in cases {
            let error = describe_against(response, &secrets).await;
            assert!(format!("{error:?}").starts_with(class), "{class}: {error:?}");
            let key = secrets.get("private_key").unwrap();
            assert!(!error.to_string().contains(&key[40..80]), "{error}");
        }
        let late =
            describe_against(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)), &secrets).await;
        assert_eq!(late, ProviderError::Retryable("Compute Engine did not answer in time".into()));
    }

    #[tokio::test]
    async fn one_client_per_key_is_built_and_reused() {
        let server = MockServer::start().await;
        let instance = json!({"name": "web-0f1e2d3c4b5a", "status": "RUNNING", "zone": "https://www.googleapis.com/compute/v1/projects/my-project/zones/us-central1-a",
            "networkInterfaces": [{"networkIP": "10.128.0.7", "accessConfigs": [{"type": "ONE_TO_ONE_NAT", "natIP": "34.1.2.3"}]}]});
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(instance))
            .mount(&server)
            .await;
        let gcp = Gcp::new(
            Some(server.uri()),
            Duration::from_secs(5),
            Duration::from_secs(1),
            Duration::from_millis(10),
        );
        let (first, second) = (key_file(), key_file());
        let seen = gcp.describe(&first, &somewhere(Uuid::new_v4())).await.unwrap();
        assert_eq!(
            (seen.status, seen.public_ip.as_deref(), seen.private_ip.as_deref(), seen.zone.as_deref()),
            (VmStatus::Running, Some("34.1.2.3"), Some("10.128.0.7"), Some("us-central1-a"))
        );
        gcp.describe(&first, &somewhere(Uuid::new_v4())).await.unwrap();
        assert_eq!(gcp.cached_clients(), 1, "the same key reuses its client");
        gcp.describe(&second, &somewhere(Uuid::new_v4())).await.unwrap();
        assert_eq!(gcp.cached_clients(), 2);
        let unreachable = Gcp::new(
            Some("http://127.0.0.1:9/".into()),
            Duration::from_secs(1),
            Duration::from_secs(1),
            Duration::from_millis(10),
        );
        assert_eq!(
            unreachable.describe(&first, &somewhere(Uuid::new_v4())).await.unwrap_err(),
            ProviderError::Retryable("cannot reach Compute Engine".into())
        );
    }

    #[tokio::test]
    async fn keys_are_checked_by_signing_locally() {
        assert_eq!(check_key(&key_file().0).await, Ok(()));
        let mut pkcs1 = key_file().0;
        pkcs1.insert("private_key".into(), json!("-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n"));
        assert!(check_key(&pkcs1).await.is_err());
        let mut missing_id = key_file().0;
        missing_id.remove("private_key_id");
        assert!(check_key(&missing_id).await.is_err());
    }

    #[test]
    fn statuses_map_as_documented() {
        let with = |status: &str| {
            let instance: Instance = serde_json::from_value(json!({"name": "x", "status": status})).unwrap();
            let at = Place { project: "p", zone: "z" };
            observed(&instance, &at, "x").map(|state| (state.status, state.note.is_some()))
        };
        assert_eq!(with("PROVISIONING"), Ok((VmStatus::Starting, false)));
        assert_eq!(with("STAGING"), Ok((VmStatus::Starting, false)));
        assert_eq!(with("RUNNING"), Ok((VmStatus::Running, false)));
        assert_eq!(with("STOPPING"), Ok((VmStatus::Stopping, false)));
        assert_eq!(with("SUSPENDING"), Ok((VmStatus::Stopping, false)));
        assert_eq!(with("TERMINATED"), Ok((VmStatus::Stopped, false)));
        assert_eq!(with("SUSPENDED"), Ok((VmStatus::Stopped, false)));
        assert_eq!(with("REPAIRING").map(|(_, noted)| noted), Ok(true));
        assert!(matches!(with("EXPLODED"), Err(ProviderError::Retryable(_))));
    }

    #[test]
    fn images_are_paths_or_urls_of_images_or_families() {
        for good in [
            DEFAULT_IMAGE,
            "projects/ubuntu-os-cloud/global/images/ubuntu-2404-noble-amd64-v20250101",
            "https://www.googleapis.com/compute/v1/projects/debian-cloud/global/images/family/debian-12",
            "global/images/my-golden-image",
        ] {
            assert!(is_image(good), "{good}");
        }
        for bad in ["ami-12345678", "projects/x/global/images/", "projects/x/zones/images/y", "../../etc", ""]
        {
            assert!(!is_image(bad), "{bad}");
        }
    }

    #[test]
    fn ssh_keys_entries_are_checked() {
        let ed25519 = "alice:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop";
        assert!(is_ssh_keys_entry(ed25519));
        assert!(is_ssh_keys_entry(ed25519.trim_end_matches(" alice@laptop")));
        assert!(!is_ssh_keys_entry(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        ));
        assert!(!is_ssh_keys_entry(
            "alice:ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        ));
        assert!(!is_ssh_keys_entry(
            "Alice:ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"
        ));
        assert!(!is_ssh_keys_entry("alice:ssh-ed25519 not-base64!"));
        assert!(!is_ssh_keys_entry(&format!("{ed25519}\nbob:ssh-ed25519 AAAA")));
    }
}
