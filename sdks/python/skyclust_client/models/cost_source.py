from enum import StrEnum


class CostSource(StrEnum):
    ESTIMATE = "estimate"

    def __str__(self) -> str:
        return str(self.value)
