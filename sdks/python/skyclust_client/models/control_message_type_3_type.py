from enum import StrEnum


class ControlMessageType3Type(StrEnum):
    ERROR = "error"

    def __str__(self) -> str:
        return str(self.value)
