from enum import StrEnum


class ControlMessageType2Type(StrEnum):
    PONG = "pong"

    def __str__(self) -> str:
        return str(self.value)
