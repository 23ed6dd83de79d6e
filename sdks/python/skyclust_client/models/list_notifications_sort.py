from enum import StrEnum


class ListNotificationsSort(StrEnum):
    CREATED_ATASC = "created_at:asc"
    CREATED_ATDESC = "created_at:desc"
    PRIORITYASC = "priority:asc"
    PRIORITYDESC = "priority:desc"

    def __str__(self) -> str:
        return str(self.value)
