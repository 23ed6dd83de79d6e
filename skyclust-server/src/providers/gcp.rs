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
//!   `token_uri`. One client per key, kept and reused (up to [`client_cache::MAX_CLIENTS`]).
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
use zeroize::Zeroizing;

use super::client_cache::{self, ClientCache};
use super::{
    Change, Check, CloudProvider, Discovered, HELD, InstanceDiscovery, InstanceRef, InstanceSpec,
    InstanceState, OWNER_TAG, ProviderError, ProviderResult, Secrets, StateResult,
};

mod discovery;
mod errors;
mod rules;

use errors::{classify, is_conflict, operation_failure};
pub use rules::{check_key, default_zone, is_image, is_ssh_keys_entry};

/// The image a VM boots when it names none.
pub const DEFAULT_IMAGE: &str = "projects/debian-cloud/global/images/family/debian-12";
/// Size of the boot disk (the smallest the common public images allow); the price catalog
/// meters gcp VMs with the same size.
pub const BOOT_DISK_GB: i64 = 10;

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
            clients: ClientCache::new(client_cache::MAX_CLIENTS, client_cache::CLIENT_IDLE),
        }
    }

    /// The client for this key, built once and reused.
    async fn client(&self, secrets: &Secrets) -> ProviderResult<Instances> {
        let key = client_cache::key(&[&Zeroizing::new(serde_json::to_vec(&secrets.0).unwrap_or_default())]);
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

    async fn read(&self, client: &Instances, at: &Place<'_>, name: &str) -> StateResult {
        let instance = at.get(client, name).await.map_err(|error| match classify(&error) {
            // Gone only when Google says the instance is; a missing project or zone is
            // something else, and must not mark the VM terminated.
            ProviderError::NotFound(message) if !message.contains(&format!("/instances/{name}")) => {
                ProviderError::InvalidRequest(message)
            }
            other => other,
        })?;
        observed(&instance, at, name)
    }

    /// A change to an existing instance: send it, wait for its operation, read the instance.
    async fn apply(&self, secrets: &Secrets, instance: &InstanceRef, verb: Verb) -> StateResult {
        let (at, name) = Place::locate(secrets, instance)?;
        let client = self.client(secrets).await?;
        let request_id = instance.request_id.to_string();
        // The four calls are four builder types with the same setters.
        macro_rules! send {
            ($call:expr) => {
                $call
                    .set_project(at.project)
                    .set_zone(at.zone)
                    .set_instance(name)
                    .set_request_id(request_id)
                    .send()
                    .await
            };
        }
        let sent = match verb {
            Verb::Start => send!(client.start()),
            Verb::Stop => send!(client.stop()),
            Verb::Reset => send!(client.reset()),
            Verb::Delete => send!(client.delete()),
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
    /// Reads instance `name` here, as Compute Engine answers (errors not yet classified).
    async fn get(&self, client: &Instances, name: &str) -> Result<Instance, GaxError> {
        client.get().set_project(self.project).set_zone(self.zone).set_instance(name).send().await
    }

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

fn observed(instance: &Instance, at: &Place<'_>, name: &str) -> StateResult {
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

#[async_trait::async_trait]
impl CloudProvider for Gcp {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Gcp
    }

    fn check_request(&self, check: Check<'_>) -> Option<String> {
        rules::check_request(check)
    }

    async fn create(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult {
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
                let existing = at.get(&client, &name).await.map_err(|error| classify(&error))?;
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
    }

    async fn describe(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        let (at, name) = Place::locate(secrets, instance)?;
        let client = self.client(secrets).await?;
        self.read(&client, &at, name).await
    }

    async fn change(&self, secrets: &Secrets, instance: &InstanceRef, change: Change) -> StateResult {
        let verb = match change {
            Change::Start => Verb::Start,
            Change::Stop => Verb::Stop,
            Change::Reboot => Verb::Reset,
        };
        self.apply(secrets, instance, verb).await
    }

    async fn terminate(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        self.apply(secrets, instance, Verb::Delete).await
    }
}

#[cfg(test)]
mod tests;
