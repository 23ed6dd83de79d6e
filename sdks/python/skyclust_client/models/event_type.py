from enum import StrEnum


class EventType(StrEnum):
    AUDIT_LOG_CREATED = "audit_log_created"
    COST_UPDATED = "cost_updated"
    NOTIFICATION_RECEIVED = "notification_received"
    VM_STATUS_CHANGED = "vm_status_changed"

    def __str__(self) -> str:
        return str(self.value)
