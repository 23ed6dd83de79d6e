from enum import StrEnum


class ListWorkspaceMembersSort(StrEnum):
    CREATED_ATASC = "created_at:asc"
    CREATED_ATDESC = "created_at:desc"
    ROLEASC = "role:asc"
    ROLEDESC = "role:desc"

    def __str__(self) -> str:
        return str(self.value)
