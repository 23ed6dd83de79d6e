from enum import StrEnum


class ControlMessageType1Type(StrEnum):
    SUBSCRIBED = "subscribed"

    def __str__(self) -> str:
        return str(self.value)
