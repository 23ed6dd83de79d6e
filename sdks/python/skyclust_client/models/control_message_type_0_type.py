from enum import StrEnum


class ControlMessageType0Type(StrEnum):
    AUTH_SUCCESS = "auth_success"

    def __str__(self) -> str:
        return str(self.value)
