from enum import StrEnum


class ListCredentialsSort(StrEnum):
    CREATED_ATASC = "created_at:asc"
    CREATED_ATDESC = "created_at:desc"
    NAMEASC = "name:asc"
    NAMEDESC = "name:desc"
    PROVIDERASC = "provider:asc"
    PROVIDERDESC = "provider:desc"
    UPDATED_ATASC = "updated_at:asc"
    UPDATED_ATDESC = "updated_at:desc"

    def __str__(self) -> str:
        return str(self.value)
