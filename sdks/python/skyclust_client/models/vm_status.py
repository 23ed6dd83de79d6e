from enum import StrEnum


class VmStatus(StrEnum):
    ERROR = "error"
    PENDING = "pending"
    RUNNING = "running"
    STARTING = "starting"
    STOPPED = "stopped"
    STOPPING = "stopping"
    TERMINATED = "terminated"
    TERMINATING = "terminating"

    def __str__(self) -> str:
        return str(self.value)
