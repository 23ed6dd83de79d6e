from enum import StrEnum


class ClientMessageType1Type(StrEnum):
    SUBSCRIBE = "subscribe"

    def __str__(self) -> str:
        return str(self.value)
