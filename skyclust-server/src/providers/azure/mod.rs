//! The Microsoft Azure provider, on Azure Resource Manager's REST API ([`arm`]): there is no
//! maintained Rust management crate for Compute or Network (`azure_mgmt_*` 0.21 was the last
//! of an unsupported line, on an older `azure_core`), and Microsoft's `azure_identity` refuses
//! a non-https authority (so no in-process fake), renews only five minutes before expiry
//! (so a short-lived token is fetched on every call) and would add six crates for one form
//! POST. Tokens therefore come from the client-credentials grant directly, cached per
//! credential.
//!
//! - **Credentials**: `tenant_id`, `client_id`, `client_secret`, `subscription_id` and
//!   `resource_group` (which must exist; SkyClust creates everything in it).
//! - **A VM** named `<name as a slug>-<12 hex digits of the VM id>` (see
//!   [`super::instance_name`]) is made of, in order: the region's network security group
//!   `skyclust-<region>` (SSH in, nothing else) and virtual network `skyclust-<region>`
//!   (address space [`VNET_SPACE`]) with its subnet `default` ([`SUBNET_PREFIX`]) behind that
//!   group, created once and shared by every VM of the region; a Standard SKU,
//!   static IPv4 public address `<vm>-ip`; a network interface `<vm>-nic`; then the VM, with
//!   a [`OS_DISK_GB`] GB Standard SSD OS disk `<vm>-osdisk` from `image_id` (an image
//!   reference `publisher:offer:sku:version`, [`DEFAULT_IMAGE`] when absent), the admin user
//!   [`ADMIN_USER`] with `key_pair` as its only SSH key (no password), and the tags
//!   `skyclust-vm-id` and `skyclust-workspace` (on the address and interface too). Every step
//!   is a PUT of a fixed name, so a create interrupted anywhere is resumed by its retry
//!   without a second interface or address; an existing VM is never PUT again.
//! - **Stop** deallocates (compute billing stops; the disk and the static address remain),
//!   **start** starts, **reboot** restarts. **Delete** removes the VM, then its interface,
//!   address and OS disk, following each deletion to its end; the durable operation calls
//!   again until nothing is left. The network and its security group stay for the region's
//!   next VM.
//! - Long-running operations are followed through `Azure-AsyncOperation` (or `Location`),
//!   honouring `Retry-After`, for up to the driver's wait; past it the worker keeps reading.
//!   A whole call ends within [`CALL_LIMIT`].
//! - **Discovery** lists the VMs of the credential's resource group in a region and adopts
//!   one by tagging it (see `discovery.rs`).
//!
//! Status mapping (from the VM's instance view):
//!
//! | Instance view | VM status |
//! |---|---|
//! | `ProvisioningState/creating` without a power state, `PowerState/starting` | `starting` |
//! | `PowerState/running` | `running` |
//! | `PowerState/stopping`, `PowerState/deallocating` | `stopping` |
//! | `PowerState/stopped`, `PowerState/deallocated` | `stopped` |
//! | `ProvisioningState/deleting` | `terminating` |
//! | `ProvisioningState/failed/<code>` without a power state | `error`, with the status's message |
//! | `PowerState/unknown` | unchanged, with a note as the VM's `status_reason` |
//! | VM not found | `terminated` |

pub mod arm;
mod discovery;

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use skyclust_types::Provider as ProviderKind;
use skyclust_types::events::VmStatus;
use url::Url;

use self::arm::{Account, Arm};
use super::{
    Change, Check, CloudProvider, HELD, InstanceRef, InstanceSpec, InstanceState, ProviderError,
    ProviderResult, Secrets, StateResult,
};

mod names;
mod network;
mod rules;
mod state;
mod teardown;

use names::Names;
pub use rules::{is_image_reference, is_ssh_public_key};
use state::{image_of, is_group_gone, status_of};

/// `api-version` of `Microsoft.Compute/virtualMachines`.
pub const COMPUTE_API: &str = "2024-11-01";
/// `api-version` of `Microsoft.Compute/disks`.
pub const DISK_API: &str = "2024-03-02";
/// `api-version` of `Microsoft.Network` (virtual networks, subnets, public IPs, interfaces).
pub const NETWORK_API: &str = "2024-05-01";
/// The image a VM boots when it names none: Ubuntu Server 24.04 LTS.
pub const DEFAULT_IMAGE: &str = "Canonical:ubuntu-24_04-lts:server:latest";
/// The Linux user `key_pair` is installed for.
pub const ADMIN_USER: &str = "azureuser";
/// Size of the OS disk: exactly a Standard SSD E4, the size the price catalog meters.
pub const OS_DISK_GB: i64 = 32;
/// Address space of each region's virtual network.
pub const VNET_SPACE: &str = "10.0.0.0/16";
/// The subnet VMs are placed in.
pub const SUBNET_PREFIX: &str = "10.0.0.0/24";
/// Resource Manager of Azure's public cloud.
pub const PUBLIC_ENDPOINT: &str = "https://management.azure.com/";
/// Microsoft Entra ID's authority in Azure's public cloud.
pub const PUBLIC_AUTHORITY: &str = "https://login.microsoftonline.com/";

/// The longest one driver call may take, all its requests and waits together: well inside the
/// worker's 60 s lease, so no other worker takes the operation over while it still runs. A call
/// cut off is retried by the durable operation; every step it takes is safe to take again.
pub const CALL_LIMIT: Duration = Duration::from_secs(45);
/// VMs whose addresses are remembered (a static public address and the interface's private
/// one do not change while the VM exists), so a reconciler pass reads each VM once, not
/// three times.
const REMEMBERED_ADDRESSES: usize = 10_000;

type Addresses = (Option<String>, Option<String>);

/// The Azure driver.
#[derive(Debug)]
pub struct Azure {
    arm: Arm,
    addresses: parking_lot::Mutex<std::collections::HashMap<String, Addresses>>,
}

/// What a PUT does to a resource that already exists at its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    /// Replaces it with the body.
    Replace,
    /// Leaves it as it is (shared resources other VMs use).
    Keep,
}

impl Azure {
    /// A driver calling Resource Manager at `endpoint` with tokens from `authority` (Azure's
    /// public cloud when `None`); each HTTP attempt limited to `attempt_timeout`, each
    /// long-running operation followed for up to `operation_wait`, polled every `poll`.
    pub fn new(
        endpoint: Option<&str>,
        authority: Option<&str>,
        attempt_timeout: Duration,
        operation_wait: Duration,
        poll: Duration,
    ) -> Result<Azure, url::ParseError> {
        let endpoint = Url::parse(endpoint.unwrap_or(PUBLIC_ENDPOINT))?;
        let authority = Url::parse(authority.unwrap_or(PUBLIC_AUTHORITY))?;
        Ok(Azure {
            arm: Arm::new(endpoint, authority, attempt_timeout, operation_wait, poll),
            addresses: Default::default(),
        })
    }

    fn remembered(&self) -> parking_lot::MutexGuard<'_, std::collections::HashMap<String, Addresses>> {
        self.addresses.lock()
    }

    /// Runs one driver call within [`CALL_LIMIT`].
    async fn limited<T>(&self, call: impl Future<Output = ProviderResult<T>>) -> ProviderResult<T> {
        tokio::time::timeout(CALL_LIMIT, call).await.unwrap_or_else(|_| {
            Err(ProviderError::Retryable(format!(
                "Azure did not finish the call within {} s",
                CALL_LIMIT.as_secs()
            )))
        })
    }

    /// Runs `call` within [`CALL_LIMIT`] on the VM that `instance` names in the credential's
    /// subscription.
    async fn on_vm<T>(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        call: impl AsyncFnOnce(&Account<'_>, &Names) -> ProviderResult<T>,
    ) -> ProviderResult<T> {
        self.limited(async move {
            let account = Account::of(secrets)?;
            let vm = Names::locate(&account, &instance.instance_id)?;
            call(&account, &vm).await
        })
        .await
    }

    /// Reads a VM, its interface and address.
    async fn read(&self, account: &Account<'_>, vm: &Names) -> StateResult {
        let path = vm.vm_path();
        let reply = self
            .arm
            .call(account, Method::GET, &format!("{path}?$expand=instanceView"), COMPUTE_API, None)
            .await
            // The group of a VM that was made is gone, and everything in it with it.
            .map_err(|error| {
                if is_group_gone(&error) { ProviderError::NotFound(error.to_string()) } else { error }
            })?;
        let body = if reply.body["properties"]["instanceView"].is_object() {
            reply.body
        } else {
            let mut body = reply.body;
            let view = self
                .arm
                .call(account, Method::GET, &format!("{path}/instanceView"), COMPUTE_API, None)
                .await?
                .body;
            body["properties"]["instanceView"] = view;
            body
        };
        let (status, note) = status_of(&body)?;
        let (private_ip, public_ip) = self.addresses(account, vm).await?;
        Ok(InstanceState {
            instance_id: vm.vm_path(),
            status,
            public_ip,
            private_ip,
            zone: body["zones"][0].as_str().map(str::to_owned),
            image_id: image_of(&body),
            note,
        })
    }

    /// The private address of the VM's interface and its public address, when they exist.
    async fn addresses(&self, account: &Account<'_>, vm: &Names) -> ProviderResult<Addresses> {
        if let Some(known) = self.remembered().get(&vm.vm_path()) {
            return Ok(known.clone());
        }
        let gone = |result: ProviderResult<arm::Reply>| match result {
            Ok(reply) => Ok(Some(reply.body)),
            Err(ProviderError::NotFound(_)) => Ok(None),
            Err(error) => Err(error),
        };
        let nic = gone(self.arm.call(account, Method::GET, &vm.nic_path(), NETWORK_API, None).await)?;
        let ip = gone(self.arm.call(account, Method::GET, &vm.ip_path(), NETWORK_API, None).await)?;
        let private = nic.as_ref().and_then(|nic| {
            nic["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"]
                .as_str()
                .map(str::to_owned)
        });
        let public = ip.as_ref().and_then(|ip| ip["properties"]["ipAddress"].as_str().map(str::to_owned));
        if private.is_some() && public.is_some() {
            let mut remembered = self.remembered();
            if remembered.len() >= REMEMBERED_ADDRESSES {
                remembered.clear();
            }
            remembered.insert(vm.vm_path(), (private.clone(), public.clone()));
        }
        Ok((private, public))
    }

    /// PUTs `body` at `path`, unless `existing` says to keep what is already there, and follows
    /// the operation; `Ok(false)` when it is still running at `deadline`.
    async fn put(
        &self,
        account: &Account<'_>,
        (path, api): (&str, &str),
        body: &Value,
        deadline: Instant,
        existing: Existing,
    ) -> ProviderResult<bool> {
        if existing == Existing::Keep {
            match self.arm.call(account, Method::GET, path, api, None).await {
                Ok(_) => return Ok(true),
                Err(ProviderError::NotFound(_)) => {}
                Err(error) => return Err(error),
            }
        }
        let reply = self.arm.call(account, Method::PUT, path, api, Some(body)).await?;
        self.arm.settle(account, &reply, deadline).await
    }

    /// Deletes `path` and follows the deletion: `Ok(true)` once it is gone.
    async fn remove(
        &self,
        account: &Account<'_>,
        (path, api): (&str, &str),
        deadline: Instant,
    ) -> ProviderResult<bool> {
        match self.arm.call(account, Method::DELETE, path, api, None).await {
            // Resource Manager answers 204 for what does not exist.
            Ok(reply) if reply.status == StatusCode::NO_CONTENT => Ok(true),
            Ok(reply) => self.arm.settle(account, &reply, deadline).await,
            Err(ProviderError::NotFound(_)) => Ok(true),
            Err(error) if is_group_gone(&error) => Ok(true),
            Err(error) => Err(error),
        }
    }

    /// An action on an existing VM (`start`, `deallocate`, `restart`), followed, then a read.
    async fn act(&self, account: &Account<'_>, vm: &Names, action: &str) -> StateResult {
        let path = format!("{}/{action}", vm.vm_path());
        let reply = self.arm.call(account, Method::POST, &path, COMPUTE_API, None).await?;
        self.arm.settle(account, &reply, self.arm.deadline()).await?;
        self.read(account, vm).await
    }
}

#[async_trait::async_trait]
impl CloudProvider for Azure {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Azure
    }

    fn check_request(&self, check: Check<'_>) -> Option<String> {
        rules::check_request(check)
    }

    async fn create(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult {
        self.limited(async move {
            let account = Account::of(secrets)?;
            let vm = Names::of(&account, &super::instance_name(&spec.name, spec.vm_id));
            let vm_id = spec.vm_id.to_string();
            let tags = json!({"skyclust-vm-id": vm_id, "skyclust-workspace": spec.workspace_id.to_string()});
            let zones = spec.zone.iter().collect::<Vec<_>>();
            // A retry after the VM was created (its answer lost, or the server stopped while
            // following it) reads it instead of PUTting it again.
            match self.arm.call(&account, Method::GET, &vm.vm_path(), COMPUTE_API, None).await {
                Ok(existing) => {
                    if existing.body["tags"]["skyclust-vm-id"].as_str() != Some(vm_id.as_str()) {
                        return Err(ProviderError::InvalidRequest(format!(
                            "a VM named {} already exists in {} and is not this VM's",
                            vm.vm, vm.group
                        )));
                    }
                    return self.read(&account, &vm).await;
                }
                Err(ProviderError::NotFound(_)) => {}
                Err(error) => return Err(error),
            }
            let deadline = self.arm.deadline();
            let subnet = self.subnet(&account, &spec.region, deadline).await?;
            let mut address = json!({
                "location": spec.region,
                "tags": tags,
                "sku": {"name": "Standard", "tier": "Regional"},
                "properties": {"publicIPAllocationMethod": "Static", "publicIPAddressVersion": "IPv4"}
            });
            if !zones.is_empty() {
                address["zones"] = json!(zones);
            }
            let nic = json!({
                "location": spec.region,
                "tags": tags,
                "properties": {"ipConfigurations": [{
                    "name": "primary",
                    "properties": {
                        "primary": true,
                        "privateIPAllocationMethod": "Dynamic",
                        "subnet": {"id": subnet},
                        "publicIPAddress": {"id": vm.ip_path()}
                    }
                }]}
            });
            let (replace, ip_path, nic_path) = (Existing::Replace, vm.ip_path(), vm.nic_path());
            let network_ready = self.put(&account, (&ip_path, NETWORK_API), &address, deadline, replace).await?
                && self.put(&account, (&nic_path, NETWORK_API), &nic, deadline, replace).await?;
            if !network_ready {
                return Err(ProviderError::Retryable(format!(
                    "the network interface of {} is still being created",
                    vm.vm
                )));
            }
            let image = spec.image_id.as_deref().unwrap_or(DEFAULT_IMAGE);
            let [publisher, offer, sku, version] = image.splitn(4, ':').collect::<Vec<_>>()[..] else {
                return Err(ProviderError::InvalidRequest(format!(
                    "{image} is not publisher:offer:sku:version"
                )));
            };
            let key = spec.key_pair.as_deref().ok_or_else(|| {
                ProviderError::InvalidRequest("an Azure VM needs an SSH public key (key_pair)".into())
            })?;
            let mut body = json!({
                "location": spec.region,
                "tags": tags,
                "properties": {
                    "hardwareProfile": {"vmSize": spec.instance_type},
                    "storageProfile": {
                        "imageReference": {"publisher": publisher, "offer": offer, "sku": sku, "version": version},
                        "osDisk": {
                            "name": format!("{}-osdisk", vm.vm),
                            "createOption": "FromImage",
                            "diskSizeGB": OS_DISK_GB,
                            "deleteOption": "Delete",
                            "managedDisk": {"storageAccountType": "StandardSSD_LRS"}
                        }
                    },
                    "osProfile": {
                        "computerName": vm.vm,
                        "adminUsername": ADMIN_USER,
                        "linuxConfiguration": {
                            "disablePasswordAuthentication": true,
                            "ssh": {"publicKeys": [{
                                "path": format!("/home/{ADMIN_USER}/.ssh/authorized_keys"),
                                "keyData": key
                            }]}
                        }
                    },
                    "networkProfile": {"networkInterfaces": [{
                        "id": vm.nic_path(),
                        "properties": {"primary": true, "deleteOption": "Delete"}
                    }]}
                }
            });
            if !zones.is_empty() {
                body["zones"] = json!(zones);
            }
            let created =
                self.arm.call(&account, Method::PUT, &vm.vm_path(), COMPUTE_API, Some(&body)).await?;
            let done = self.arm.settle(&account, &created, deadline).await?;
            match self.read(&account, &vm).await {
                // Still being created: the worker keeps reading it.
                Err(ProviderError::NotFound(_)) if !done => Ok(InstanceState {
                    instance_id: vm.vm_path(),
                    image_id: Some(image.to_owned()),
                    ..InstanceState::bare(VmStatus::Starting)
                }),
                Ok(state) => {
                    Ok(InstanceState { image_id: state.image_id.clone().or(Some(image.to_owned())), ..state })
                }
                other => other,
            }
        })
        .await
    }

    async fn describe(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        self.on_vm(secrets, instance, async |account, vm| self.read(account, vm).await).await
    }

    async fn change(&self, secrets: &Secrets, instance: &InstanceRef, change: Change) -> StateResult {
        let action = match change {
            Change::Start => "start",
            // Deallocated, not only stopped: a stopped Azure VM still bills its compute.
            Change::Stop => "deallocate",
            Change::Reboot => "restart",
        };
        self.on_vm(secrets, instance, async |account, vm| self.act(account, vm, action).await).await
    }

    async fn terminate(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        self.on_vm(secrets, instance, async |account, vm| self.tear_down(account, vm).await).await
    }

    async fn continue_termination(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        self.terminate(secrets, instance).await
    }

    async fn discard_unreported(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult {
        self.limited(async move {
            // A credential Azure refuses, or a group that does not exist, could not have made
            // anything for this VM that it could now remove: there is nothing to discard.
            let nothing = || InstanceState::bare(VmStatus::Terminated);
            let Ok(account) = Account::of(secrets) else { return Ok(nothing()) };
            let vm = Names::of(&account, &super::instance_name(&spec.name, spec.vm_id));
            match self.tear_down(&account, &vm).await {
                Err(ProviderError::Auth(reason)) => {
                    tracing::warn!(vm = %spec.vm_id, %reason, "Azure refuses the VM's credential: nothing it made can be removed");
                    Ok(nothing())
                }
                other => other,
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests;
