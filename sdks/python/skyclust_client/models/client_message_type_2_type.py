from enum import StrEnum


class ClientMessageType2Type(StrEnum):
    PING = "ping"

    def __str__(self) -> str:
        return str(self.value)
