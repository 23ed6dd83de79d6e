from enum import StrEnum


class EventType2Type(StrEnum):
    NOTIFICATION_RECEIVED = "notification_received"

    def __str__(self) -> str:
        return str(self.value)
