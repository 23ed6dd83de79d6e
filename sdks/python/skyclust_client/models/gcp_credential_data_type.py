from enum import StrEnum


class GcpCredentialDataType(StrEnum):
    SERVICE_ACCOUNT = "service_account"

    def __str__(self) -> str:
        return str(self.value)
