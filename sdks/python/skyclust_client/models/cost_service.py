from enum import StrEnum


class CostService(StrEnum):
    BLOCK_STORAGE = "Block Storage"
    COMPUTE = "Compute"
    COMPUTE_ENGINE = "Compute Engine"
    EBS = "EBS"
    EC2 = "EC2"
    MANAGED_DISKS = "Managed Disks"
    PERSISTENT_DISK = "Persistent Disk"
    VIRTUAL_MACHINES = "Virtual Machines"

    def __str__(self) -> str:
        return str(self.value)
