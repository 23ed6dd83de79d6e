from enum import StrEnum


class AuthMethod(StrEnum):
    API_KEY = "api_key"
    JWT = "jwt"

    def __str__(self) -> str:
        return str(self.value)
