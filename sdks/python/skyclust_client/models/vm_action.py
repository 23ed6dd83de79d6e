from enum import StrEnum


class VmAction(StrEnum):
    DELETE = "delete"
    REBOOT = "reboot"
    START = "start"
    STOP = "stop"

    def __str__(self) -> str:
        return str(self.value)
