from enum import StrEnum


class GcpCredentialDataUniverseDomain(StrEnum):
    GOOGLEAPIS_COM = "googleapis.com"

    def __str__(self) -> str:
        return str(self.value)
