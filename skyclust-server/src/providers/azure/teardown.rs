//! Terminating a VM and then everything SkyClust made for it (interface, address, disk).

use super::*;

impl Azure {
    /// Terminates the VM and then everything SkyClust made for it; `Terminated` once all is
    /// gone, `Terminating` while a deletion is still running.
    pub(super) async fn tear_down(&self, account: &Account<'_>, vm: &Names) -> StateResult {
        let under_way =
            || InstanceState { instance_id: vm.vm_path(), ..InstanceState::bare(VmStatus::Terminating) };
        let deadline = self.arm.deadline();
        // `forceDeletion=false`: from api-version 2024-11-01 a VM whose disks are all marked
        // for deletion is force-deleted unless this says otherwise.
        if !self
            .remove(account, (&format!("{}?forceDeletion=false", vm.vm_path()), COMPUTE_API), deadline)
            .await?
        {
            return Ok(under_way());
        }
        // The interface holds the address, so it goes first; the disk is free once the VM is.
        for (path, api) in
            [(vm.nic_path(), NETWORK_API), (vm.ip_path(), NETWORK_API), (vm.disk_path(), DISK_API)]
        {
            if !self.remove(account, (&path, api), deadline).await? {
                return Ok(under_way());
            }
        }
        self.remembered().remove(&vm.vm_path());
        Ok(InstanceState { instance_id: vm.vm_path(), ..InstanceState::bare(VmStatus::Terminated) })
    }
}
