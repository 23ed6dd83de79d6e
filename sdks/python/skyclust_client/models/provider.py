from enum import StrEnum


class Provider(StrEnum):
    AWS = "aws"
    AZURE = "azure"
    GCP = "gcp"
    SANDBOX = "sandbox"

    def __str__(self) -> str:
        return str(self.value)
