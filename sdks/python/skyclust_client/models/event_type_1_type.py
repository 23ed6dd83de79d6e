from enum import StrEnum


class EventType1Type(StrEnum):
    COST_UPDATED = "cost_updated"

    def __str__(self) -> str:
        return str(self.value)
