from enum import StrEnum


class EventType0Type(StrEnum):
    VM_STATUS_CHANGED = "vm_status_changed"

    def __str__(self) -> str:
        return str(self.value)
