from enum import StrEnum


class SandboxCredentialRequestProvider(StrEnum):
    SANDBOX = "sandbox"

    def __str__(self) -> str:
        return str(self.value)
