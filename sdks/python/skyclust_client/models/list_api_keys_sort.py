from enum import StrEnum


class ListApiKeysSort(StrEnum):
    CREATED_ATASC = "created_at:asc"
    CREATED_ATDESC = "created_at:desc"
    EXPIRES_ATASC = "expires_at:asc"
    EXPIRES_ATDESC = "expires_at:desc"
    LAST_USED_ATASC = "last_used_at:asc"
    LAST_USED_ATDESC = "last_used_at:desc"
    NAMEASC = "name:asc"
    NAMEDESC = "name:desc"

    def __str__(self) -> str:
        return str(self.value)
