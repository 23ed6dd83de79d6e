//! Instances as a provider sees them: what `GET /credentials/{id}/instances` discovers, what
//! `POST /vms/import` adopts, and how `DELETE /vms/{id}?release=true` lets go of one.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::list::{Listing, Page, Pagination, SortDirection};
use crate::validation::{FieldErrors, Validate, check_display_name, check_identifier};
use crate::vms::{NOT_A_REGION, VmStatus, is_region};
use crate::workspaces::NAME_MAX_CHARS;

/// The tag (a label on Compute Engine) that names the SkyClust VM managing an instance.
pub const OWNER_TAG: &str = "skyclust-vm-id";

/// Most regions one discovery may name.
pub const MAX_REGIONS: usize = 32;

/// One instance of a provider account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "instance_id": "i-0abc123def4567890", "name": "legacy-db", "tags": {"Name": "legacy-db", "team": "data"},
    "instance_type": "t3.large", "region": "us-east-1", "zone": "us-east-1b", "status": "running",
    "provider_status": "running", "public_ip": "203.0.113.7", "private_ip": "10.0.1.17",
    "launched_at": "2024-01-01T00:00:00Z", "managed": false, "vm_id": null
}))]
pub struct DiscoveredInstance {
    /// The provider's id of the instance: what `POST /vms/import` takes as
    /// `provider_instance_id` (an EC2 instance id, a Compute Engine instance path, an Azure
    /// VM resource id).
    pub instance_id: String,
    /// Its name (the `Name` tag on EC2), when it has one.
    pub name: Option<String>,
    /// Its tags (labels on Compute Engine).
    pub tags: BTreeMap<String, String>,
    /// Instance type (machine type, VM size).
    pub instance_type: String,
    /// Region.
    pub region: String,
    /// Zone, when it has one.
    pub zone: Option<String>,
    /// The provider's state in SkyClust's vocabulary (the nearest one for a state SkyClust
    /// has no status for; `provider_status` says which).
    pub status: VmStatus,
    /// The state as the provider names it (`running`, `RUNNING`, `PowerState/deallocated`…).
    pub provider_status: String,
    /// Public address, while it has one.
    pub public_ip: Option<String>,
    /// Private address.
    pub private_ip: Option<String>,
    /// When the provider launched it, when the provider says.
    pub launched_at: Option<DateTime<Utc>>,
    /// Whether a SkyClust VM manages it.
    pub managed: bool,
    /// The VM managing it, when you can see that VM.
    pub vm_id: Option<Uuid>,
}

/// A region discovery could not read; the others are listed all the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegionFailure {
    /// The region.
    pub region: String,
    /// `PROVIDER_ERROR`, or `SERVICE_UNAVAILABLE` when the provider did not answer in time.
    pub code: String,
    /// The provider's message.
    pub message: String,
}

/// `GET /credentials/{id}/instances` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InstanceList {
    /// This page of instances.
    pub instances: Vec<DiscoveredInstance>,
    /// The regions that were read.
    pub regions: Vec<String>,
    /// The regions that could not be read, with why.
    pub failed_regions: Vec<RegionFailure>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for InstanceList {
    type Item = DiscoveredInstance;
    fn items(&self) -> &[DiscoveredInstance] {
        &self.instances
    }
    fn into_items(self) -> Vec<DiscoveredInstance> {
        self.instances
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}

/// How `GET /credentials/{id}/instances` lists: newest launch first; `start_date`/`end_date`
/// bound the launch time.
#[derive(Debug)]
pub struct InstanceListing;

impl Listing for InstanceListing {
    const DEFAULT_LIMIT: u32 = 50;
    const SORTABLE: &'static [&'static str] =
        &["launched_at", "name", "instance_id", "instance_type", "region", "status"];
    const DEFAULT_SORT: (&'static str, SortDirection) = ("launched_at", SortDirection::Desc);
    type Filters = InstanceFilters;
}

/// Filters of `GET /credentials/{id}/instances`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InstanceFilters {
    /// The regions to read (documented by `region_filter_schema`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[param(schema_with = region_filter_schema)]
    pub region: Vec<String>,
    /// Only instances in these statuses (repeatable).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<VmStatus>,
    /// Only managed (`true`) or only unmanaged (`false`) instances.
    #[serde(default, deserialize_with = "crate::list::flag", skip_serializing_if = "Option::is_none")]
    pub managed: Option<bool>,
}

fn region_filter_schema() -> utoipa::openapi::schema::ArrayBuilder {
    crate::vms::region_list(
        "The regions to read (repeatable), each one the credential's provider offers (another \
         is a 400 listing them); the credential's region, or for providers whose credentials \
         name none the regions SkyClust prices, when absent.",
    )
    .max_items(Some(MAX_REGIONS))
}

impl Validate for InstanceFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.region.len() > MAX_REGIONS {
            errors.add("region", format!("at most {MAX_REGIONS} regions at once"));
        }
        if !self.region.iter().all(|region| is_region(region)) {
            errors.add("region", NOT_A_REGION);
        }
        errors.into_result()
    }
}

/// `POST /vms/import` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "credential_id": "9b2e4c1a-6d3f-4e8a-b7c5-1f2a3b4c5d6e", "provider_instance_id": "i-0abc123def4567890",
    "region": "us-east-1", "workspace_id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e", "name": "legacy-db"
}))]
pub struct ImportVmRequest {
    /// Your credential of the account the instance runs in.
    pub credential_id: Uuid,
    /// The provider's id of the instance, as discovery lists it.
    #[schema(min_length = 1, max_length = 512)]
    pub provider_instance_id: String,
    /// Its region.
    #[schema(pattern = "^[a-z0-9][a-z0-9-]{0,63}$")]
    pub region: String,
    /// The workspace to manage it in (one you may work in).
    pub workspace_id: Uuid,
    /// 1–255 characters; the instance's own name (else its id) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 255)]
    pub name: Option<String>,
}

impl Validate for ImportVmRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_identifier(&mut errors, "provider_instance_id", &self.provider_instance_id, 512);
        if !is_region(&self.region) {
            errors.add("region", NOT_A_REGION);
        }
        if let Some(name) = &self.name {
            check_display_name(&mut errors, "name", name, NAME_MAX_CHARS);
        }
        errors.into_result()
    }
}

/// `DELETE /vms/{id}` query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteVmQuery {
    /// `true`: stop managing the VM and leave its instance running at the provider (its
    /// `skyclust-vm-id` tag removed); absent or `false`: terminate the instance.
    #[serde(default, deserialize_with = "crate::list::yes_no", skip_serializing_if = "std::ops::Not::not")]
    pub release: bool,
}

impl Validate for DeleteVmQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_requests_are_checked() {
        let request = ImportVmRequest {
            credential_id: Uuid::nil(),
            provider_instance_id: "i-0abc".into(),
            region: "us-east-1".into(),
            workspace_id: Uuid::nil(),
            name: None,
        };
        assert!(request.validate().is_ok());
        let bad = ImportVmRequest {
            provider_instance_id: "i-\n".into(),
            region: "US".into(),
            name: Some(String::new()),
            ..request
        };
        let fields: Vec<String> = bad.validate().unwrap_err().fields.into_keys().collect();
        assert_eq!(fields, ["name", "provider_instance_id", "region"]);
    }

    #[test]
    fn release_is_a_query_flag() {
        assert_eq!(serde_html_form::to_string(DeleteVmQuery { release: true }).unwrap(), "release=true");
        assert_eq!(serde_html_form::to_string(DeleteVmQuery::default()).unwrap(), "");
        let filters = InstanceFilters { region: vec!["a-1".into(); MAX_REGIONS + 1], ..Default::default() };
        assert!(filters.validate().is_err());
    }
}
