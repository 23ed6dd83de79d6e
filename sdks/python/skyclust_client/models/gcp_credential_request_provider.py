from enum import StrEnum


class GcpCredentialRequestProvider(StrEnum):
    GCP = "gcp"

    def __str__(self) -> str:
        return str(self.value)
