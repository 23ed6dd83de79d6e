from enum import StrEnum


class ClientMessageType0Type(StrEnum):
    AUTH = "auth"

    def __str__(self) -> str:
        return str(self.value)
