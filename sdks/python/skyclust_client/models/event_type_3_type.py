from enum import StrEnum


class EventType3Type(StrEnum):
    AUDIT_LOG_CREATED = "audit_log_created"

    def __str__(self) -> str:
        return str(self.value)
