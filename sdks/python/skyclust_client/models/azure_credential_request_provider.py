from enum import StrEnum


class AzureCredentialRequestProvider(StrEnum):
    AZURE = "azure"

    def __str__(self) -> str:
        return str(self.value)
