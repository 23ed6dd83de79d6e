//! The names of the resources SkyClust makes for one VM, all in one resource group.

use super::*;

/// The names of one VM's resources, all in one resource group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Names {
    pub(super) subscription: String,
    pub(super) group: String,
    pub(super) vm: String,
}

impl Names {
    pub(super) fn of(account: &Account<'_>, vm: &str) -> Names {
        Names {
            subscription: account.subscription_id.to_owned(),
            group: account.resource_group.to_owned(),
            vm: vm.to_owned(),
        }
    }

    /// The VM of a recorded id (its full resource id, so a VM stays with its subscription
    /// and group even if its credential is later given others), or of a bare name.
    pub(super) fn locate(account: &Account<'_>, instance_id: &str) -> ProviderResult<Names> {
        let parts: Vec<&str> = instance_id.trim_start_matches('/').split('/').collect();
        match parts.as_slice() {
            [
                "subscriptions",
                subscription,
                "resourceGroups",
                group,
                "providers",
                "Microsoft.Compute",
                "virtualMachines",
                vm,
            ] => Ok(Names {
                subscription: (*subscription).to_owned(),
                group: (*group).to_owned(),
                vm: (*vm).to_owned(),
            }),
            [vm] if !vm.is_empty() => Ok(Names::of(account, vm)),
            _ => Err(ProviderError::InvalidRequest(format!("{instance_id} is not an Azure VM id"))),
        }
    }

    pub(super) fn group_path(&self) -> String {
        format!("/subscriptions/{}/resourceGroups/{}", self.subscription, self.group)
    }

    pub(super) fn vm_path(&self) -> String {
        format!("{}/providers/Microsoft.Compute/virtualMachines/{}", self.group_path(), self.vm)
    }

    pub(super) fn disk_path(&self) -> String {
        format!("{}/providers/Microsoft.Compute/disks/{}-osdisk", self.group_path(), self.vm)
    }

    pub(super) fn nic_path(&self) -> String {
        format!("{}/providers/Microsoft.Network/networkInterfaces/{}-nic", self.group_path(), self.vm)
    }

    pub(super) fn ip_path(&self) -> String {
        format!("{}/providers/Microsoft.Network/publicIPAddresses/{}-ip", self.group_path(), self.vm)
    }
}
