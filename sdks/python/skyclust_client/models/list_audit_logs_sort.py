from enum import StrEnum


class ListAuditLogsSort(StrEnum):
    ACTIONASC = "action:asc"
    ACTIONDESC = "action:desc"
    CREATED_ATASC = "created_at:asc"
    CREATED_ATDESC = "created_at:desc"
    RESOURCEASC = "resource:asc"
    RESOURCEDESC = "resource:desc"

    def __str__(self) -> str:
        return str(self.value)
