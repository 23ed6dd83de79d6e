//! Discovery and adoption on Azure: the VMs of the credential's resource group (paged by
//! `nextLink`) in one region, each read with its instance view and addresses (followed from
//! its network interface, so VMs SkyClust did not make show theirs too); the owner tag is set
//! by a `PATCH` of the VM's tags, the others kept.

use futures_util::{StreamExt, TryStreamExt};
use reqwest::Method;
use serde_json::Value;

use super::arm::Account;
use super::{Azure, COMPUTE_API, NETWORK_API, Names, image_of, is_group_gone, status_of};
use crate::providers::{
    Discovered, InstanceDiscovery, InstanceRef, OWNER_TAG, ProviderError, ProviderResult, Secrets,
};

/// VMs read at once while listing.
const VMS_AT_ONCE: usize = 8;

impl Azure {
    /// What discovery shows of the VM `body` (as listed or read); `None` for one in a state
    /// SkyClust cannot read (a failed provisioning), logged.
    async fn discovered(
        &self,
        account: &Account<'_>,
        body: &Value,
        region: &str,
    ) -> ProviderResult<Option<Discovered>> {
        let id = body["id"].as_str().unwrap_or_default();
        let view =
            self.arm.call(account, Method::GET, &format!("{id}/instanceView"), COMPUTE_API, None).await?;
        let mut read = body.clone();
        read["properties"]["instanceView"] = view.body;
        let (status, _) = match status_of(&read) {
            Ok(status) => status,
            Err(error) => {
                tracing::warn!(vm = id, error = %error, "a VM SkyClust cannot read the state of was left out");
                return Ok(None);
            }
        };
        let codes = read["properties"]["instanceView"]["statuses"].as_array().cloned().unwrap_or_default();
        let code = |prefix: &str| {
            codes.iter().filter_map(|status| status["code"].as_str()).find(|code| code.starts_with(prefix))
        };
        let provider_status = code("PowerState/").or_else(|| code("ProvisioningState/")).unwrap_or("unknown");
        let (private_ip, public_ip) = self.interface_addresses(account, &read).await?;
        let properties = &read["properties"];
        Ok(Some(Discovered {
            instance_id: recorded_id(account, id),
            name: read["name"].as_str().map(str::to_owned),
            tags: read["tags"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
                .collect(),
            instance_type: properties["hardwareProfile"]["vmSize"].as_str().unwrap_or_default().to_owned(),
            region: region.to_owned(),
            zone: read["zones"][0].as_str().map(str::to_owned),
            image_id: image_of(&read),
            key_pair: properties["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"]
                .as_str()
                .map(str::to_owned),
            provider_status: provider_status.to_owned(),
            status,
            public_ip,
            private_ip,
            launched_at: properties["timeCreated"]
                .as_str()
                .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                .map(|at| at.with_timezone(&chrono::Utc)),
        }))
    }

    /// The private and public address of a VM's first network interface, when it has them.
    async fn interface_addresses(
        &self,
        account: &Account<'_>,
        vm: &Value,
    ) -> ProviderResult<(Option<String>, Option<String>)> {
        let Some(nic) = vm["properties"]["networkProfile"]["networkInterfaces"][0]["id"].as_str() else {
            return Ok((None, None));
        };
        let Some(nic) = optional(self.arm.call(account, Method::GET, nic, NETWORK_API, None).await)? else {
            return Ok((None, None));
        };
        let configuration = &nic["properties"]["ipConfigurations"][0]["properties"];
        let private = configuration["privateIPAddress"].as_str().map(str::to_owned);
        let public = match configuration["publicIPAddress"]["id"].as_str() {
            Some(address) => optional(self.arm.call(account, Method::GET, address, NETWORK_API, None).await)?
                .and_then(|address| address["properties"]["ipAddress"].as_str().map(str::to_owned)),
            None => None,
        };
        Ok((private, public))
    }
}

/// The id SkyClust records for the VM `id`: resource ids are not case-sensitive, and Resource
/// Manager may spell the group otherwise than the credential does, so a VM of the credential's
/// own group is named as the driver names the VMs it creates (and is recognised as managed).
fn recorded_id(account: &Account<'_>, id: &str) -> String {
    match Names::locate(account, id) {
        Ok(names)
            if names.subscription.eq_ignore_ascii_case(account.subscription_id)
                && names.group.eq_ignore_ascii_case(account.resource_group) =>
        {
            Names::of(account, &names.vm).vm_path()
        }
        _ => id.to_owned(),
    }
}

/// A resource's body, `None` when it does not exist.
fn optional(result: ProviderResult<super::arm::Reply>) -> ProviderResult<Option<Value>> {
    match result {
        Ok(reply) => Ok(Some(reply.body)),
        Err(ProviderError::NotFound(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

fn in_region(vm: &Value, region: &str) -> bool {
    vm["location"].as_str().is_some_and(|location| location.eq_ignore_ascii_case(region))
}

#[async_trait::async_trait]
impl InstanceDiscovery for Azure {
    async fn list(&self, secrets: &Secrets, region: &str, limit: usize) -> ProviderResult<Vec<Discovered>> {
        self.limited(async move {
            let account = Account::of(secrets)?;
            let path = format!("{}/providers/Microsoft.Compute/virtualMachines", account.group_path());
            let mut page =
                self.arm.call(&account, Method::GET, &path, COMPUTE_API, None).await.map_err(|error| {
                    if is_group_gone(&error) {
                        ProviderError::Auth(format!("the credential's resource group is gone: {error}"))
                    } else {
                        error
                    }
                })?;
            let mut found = Vec::new();
            loop {
                let wanted = limit.saturating_sub(found.len());
                let here: Vec<Value> = page.body["value"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|vm| in_region(vm, region))
                    .take(wanted)
                    .cloned()
                    .collect();
                // Each VM takes a few reads (instance view, interface, address): several VMs
                // are read side by side.
                let signer = &account;
                let reads = futures_util::stream::iter(here)
                    .map(|vm| async move { self.discovered(signer, &vm, region).await })
                    .buffered(VMS_AT_ONCE);
                let read: Vec<Option<Discovered>> = reads.try_collect().await?;
                found.extend(read.into_iter().flatten());
                if found.len() >= limit {
                    return Ok(found);
                }
                let next = page.body["nextLink"].as_str().filter(|link| !link.is_empty()).map(str::to_owned);
                match next {
                    Some(link) => page = self.arm.follow(&account, &link).await?,
                    None => return Ok(found),
                }
            }
        })
        .await
    }

    async fn inspect(&self, secrets: &Secrets, instance: &InstanceRef) -> ProviderResult<Discovered> {
        self.on_vm(secrets, instance, async |account, vm| {
            let body = self.arm.call(account, Method::GET, &vm.vm_path(), COMPUTE_API, None).await?.body;
            if !in_region(&body, &instance.region) {
                return Err(ProviderError::NotFound(format!(
                    "{} is not in {}",
                    instance.instance_id, instance.region
                )));
            }
            self.discovered(account, &body, &instance.region).await?.ok_or_else(|| {
                ProviderError::InvalidRequest(format!("{} failed to provision", instance.instance_id))
            })
        })
        .await
    }

    async fn set_owner(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        owner: Option<uuid::Uuid>,
    ) -> ProviderResult<()> {
        self.on_vm(secrets, instance, async |account, vm| {
            let body = self.arm.call(account, Method::GET, &vm.vm_path(), COMPUTE_API, None).await?.body;
            // A PATCH replaces the whole map: the other tags are sent back as they are.
            let mut tags = body["tags"].as_object().cloned().unwrap_or_default();
            match owner {
                Some(owner) => tags.insert(OWNER_TAG.to_owned(), Value::String(owner.to_string())),
                None => tags.remove(OWNER_TAG),
            };
            let patch = serde_json::json!({ "tags": tags });
            let reply =
                self.arm.call(account, Method::PATCH, &vm.vm_path(), COMPUTE_API, Some(&patch)).await?;
            if self.arm.settle(account, &reply, self.arm.deadline()).await? {
                Ok(())
            } else {
                Err(ProviderError::Retryable("Azure did not finish changing the tags in time".into()))
            }
        })
        .await
    }
}
