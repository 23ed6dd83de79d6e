from enum import StrEnum


class AwsCredentialRequestProvider(StrEnum):
    AWS = "aws"

    def __str__(self) -> str:
        return str(self.value)
