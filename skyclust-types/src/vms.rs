//! Virtual machines.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::credentials::Provider;
pub use crate::events::VmStatus;
use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate, check_display_name, check_line};
use crate::workspaces::NAME_MAX_CHARS;

/// Something that can be done to a VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum VmAction {
    /// `POST /vms/{id}/start`.
    Start,
    /// `POST /vms/{id}/stop`.
    Stop,
    /// `POST /vms/{id}/reboot`.
    Reboot,
    /// `DELETE /vms/{id}`.
    Delete,
}

impl VmStatus {
    /// The actions allowed in this status; anything else answers 409.
    pub fn actions(self) -> &'static [VmAction] {
        use VmAction::*;
        match self {
            VmStatus::Pending | VmStatus::Starting | VmStatus::Stopping | VmStatus::Error => &[Delete],
            VmStatus::Running => &[Stop, Reboot, Delete],
            VmStatus::Stopped => &[Start, Delete],
            VmStatus::Terminating | VmStatus::Terminated => &[],
        }
    }

    /// Whether the VM has reached an end (nothing more will happen to it).
    pub fn is_final(self) -> bool {
        self == VmStatus::Terminated
    }

    /// Every status.
    pub const ALL: [VmStatus; 8] = [
        VmStatus::Pending,
        VmStatus::Starting,
        VmStatus::Running,
        VmStatus::Stopping,
        VmStatus::Stopped,
        VmStatus::Terminating,
        VmStatus::Terminated,
        VmStatus::Error,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            VmStatus::Pending => "pending",
            VmStatus::Starting => "starting",
            VmStatus::Running => "running",
            VmStatus::Stopping => "stopping",
            VmStatus::Stopped => "stopped",
            VmStatus::Terminating => "terminating",
            VmStatus::Terminated => "terminated",
            VmStatus::Error => "error",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<VmStatus> {
        crate::wire::parse(name)
    }
}

/// A virtual machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d",
    "name": "web-1",
    "provider": "sandbox",
    "instance_type": "t3.micro",
    "status": "running",
    "region": "us-east-1",
    "zone": "us-east-1a",
    "workspace_id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e",
    "credential_id": null,
    "instance_id": "i-0a1b2c3d4e5f60718",
    "image_id": "ami-12345678",
    "key_pair": "my-key-pair",
    "public_ip": "203.0.113.10",
    "private_ip": "10.0.0.12",
    "status_reason": null,
    "actions": ["stop", "reboot", "delete"],
    "created_by": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z"
}))]
pub struct Vm {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// The cloud it runs on.
    pub provider: Provider,
    /// Instance type.
    pub instance_type: String,
    /// Lifecycle status.
    pub status: VmStatus,
    /// Region.
    pub region: String,
    /// Zone within the region (a GCP zone such as `us-central1-a`, an AWS availability zone
    /// such as `us-east-1a`): the one asked for, else the provider's choice once it is known.
    pub zone: Option<String>,
    /// Its workspace.
    pub workspace_id: Uuid,
    /// The credential used with the provider.
    pub credential_id: Option<Uuid>,
    /// The provider's id of the instance, once created.
    pub instance_id: Option<String>,
    /// Machine image.
    pub image_id: Option<String>,
    /// SSH key pair.
    pub key_pair: Option<String>,
    /// Public address, while it has one.
    pub public_ip: Option<String>,
    /// Private address.
    pub private_ip: Option<String>,
    /// The provider's message when `status` is `error`.
    pub status_reason: Option<String>,
    /// What may be done to it now.
    pub actions: Vec<VmAction>,
    /// Who created it.
    pub created_by: Uuid,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// `POST /vms` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "name": "web-1", "provider": "sandbox", "instance_type": "t3.micro", "region": "us-east-1",
    "workspace_id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e", "image_id": "ami-12345678", "key_pair": "my-key-pair"
}))]
pub struct CreateVmRequest {
    /// 1–255 characters.
    #[schema(min_length = 1, max_length = 255)]
    pub name: String,
    /// The cloud.
    pub provider: Provider,
    /// Instance type: `t3.micro` (aws, sandbox), `e2-micro` (gcp) — lower-case letters,
    /// digits, `.` and `-` — or an Azure VM size such as `Standard_B1s`, which may also hold
    /// upper-case letters and `_`. Each provider accepts the types it prices (`GET /providers`).
    #[schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    pub instance_type: String,
    /// Region, e.g. `us-east-1` (aws, sandbox), `us-central1` (gcp) or `eastus` (azure).
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,63}$")]
    pub region: String,
    /// Zone within the region, e.g. `us-east-1a` (aws, sandbox), `us-central1-a` (gcp) or an
    /// availability zone number such as `1` (azure). When absent gcp and the sandbox use the
    /// region's first zone in the catalog, aws lets EC2 choose (the VM records the zone either
    /// way), and an azure VM is regional (in no particular zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,63}$")]
    pub zone: Option<String>,
    /// The workspace to create it in; the caller's personal workspace when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    /// Machine image: an AMI id such as `ami-12345678` for `aws` (when absent, the region's
    /// newest Amazon Linux 2023 image for the instance type's architecture, recorded on the VM
    /// once it is created), for `gcp` an image or image family path such as
    /// `projects/debian-cloud/global/images/family/debian-12` (the default when absent), or
    /// for `azure` an image reference `publisher:offer:sku:version` (default
    /// `Canonical:ubuntu-24_04-lts:server:latest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 512)]
    pub image_id: Option<String>,
    /// SSH access: an EC2 key pair name for `aws` (up to 255 characters), for `gcp` an
    /// `ssh-keys` metadata entry `user:ssh-ed25519 AAAA… [comment]`, or for `azure` (where it
    /// is required) an OpenSSH public key `ssh-ed25519 AAAA… [comment]` or `ssh-rsa …`,
    /// installed for the user `azureuser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 4096)]
    pub key_pair: Option<String>,
    /// The credential to use; your newest active one for the provider when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<Uuid>,
}

/// Whether `text` is 1 to `max` lower-case letters and digits, and bytes of `extra` after the
/// first (the shape of region, zone and instance-type names).
pub(crate) fn is_token(text: &str, max: usize, extra: &[u8]) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= max
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || extra.contains(b))
}

impl Validate for CreateVmRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", &self.name, NAME_MAX_CHARS);
        if self.provider == Provider::Azure {
            let size = self.instance_type.as_bytes();
            if !((1..=64).contains(&size.len())
                && size[0].is_ascii_alphanumeric()
                && size.iter().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(b)))
            {
                errors.add("instance_type", "must be an Azure VM size such as Standard_B1s");
            }
        } else if !is_token(&self.instance_type, 64, b".-") {
            errors.add("instance_type", "must be 1 to 64 lower-case letters, digits, '.' and '-'");
        }
        if !is_region(&self.region) {
            errors.add("region", NOT_A_REGION);
        }
        if self.zone.as_deref().is_some_and(|zone| !is_region(zone)) {
            errors.add("zone", NOT_A_REGION);
        }
        if let Some(image) = &self.image_id {
            check_line(&mut errors, "image_id", image, 512);
        }
        if let Some(key) = &self.key_pair {
            check_line(&mut errors, "key_pair", key, 4096);
        }
        errors.into_result()
    }
}

/// How `GET /vms` lists: VMs of the workspaces you can see.
#[derive(Debug)]
pub struct VmListing;

impl Listing for VmListing {
    const DEFAULT_LIMIT: u32 = 20;
    const SORTABLE: &'static [&'static str] = &["name", "status", "created_at", "updated_at"];
    type Filters = VmFilters;
}

/// Filters of `GET /vms` (each repeatable, up to [`crate::list::MAX_FILTER_VALUES`] times).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VmFilters {
    /// Only VMs of these workspaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workspace_id: Vec<Uuid>,
    /// Only VMs on these providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provider: Vec<Provider>,
    /// Only VMs in these statuses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<VmStatus>,
    /// Only VMs in these regions (documented by `region_filter_schema`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[param(schema_with = region_filter_schema)]
    pub region: Vec<String>,
}

/// The schema pattern of a region (or zone) name, as [`is_region`] checks it; the `region` and
/// `zone` fields of the create and import requests spell it out, as `#[schema(pattern)]` takes
/// only a literal.
pub(crate) const REGION_PATTERN: &str = "^[a-z0-9][a-z0-9-]{0,63}$";

/// Whether `text` is a region (or zone) name: 1 to 64 lower-case letters, digits and `-`,
/// starting with a letter or digit.
pub(crate) fn is_region(text: &str) -> bool {
    is_token(text, 64, b"-")
}

/// What a request is told of a region (or zone) that is not one.
pub(crate) const NOT_A_REGION: &str = "must be 1 to 64 lower-case letters, digits and '-'";

/// `region` of `GET /vms`.
fn region_filter_schema() -> utoipa::openapi::schema::ArrayBuilder {
    region_list("Only VMs in these regions.")
}

/// A repeatable filter of region names, documented by `description`.
pub(crate) fn region_list(description: &str) -> utoipa::openapi::schema::ArrayBuilder {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .description(Some(description))
        .items(ObjectBuilder::new().schema_type(Type::String).pattern(Some(REGION_PATTERN)))
}

impl Validate for VmFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if !self.region.iter().all(|region| is_region(region)) {
            errors.add("region", NOT_A_REGION);
        }
        errors.into_result()
    }
}

/// `GET /vms` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct VmList {
    /// This page of VMs.
    pub vms: Vec<Vm>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for VmList {
    type Item = Vm;
    fn items(&self) -> &[Vm] {
        &self.vms
    }
    fn into_items(self) -> Vec<Vm> {
        self.vms
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}
