from enum import StrEnum


class ListUsersSort(StrEnum):
    CREATED_ATASC = "created_at:asc"
    CREATED_ATDESC = "created_at:desc"
    EMAILASC = "email:asc"
    EMAILDESC = "email:desc"
    ROLEASC = "role:asc"
    ROLEDESC = "role:desc"
    UPDATED_ATASC = "updated_at:asc"
    UPDATED_ATDESC = "updated_at:desc"
    USERNAMEASC = "username:asc"
    USERNAMEDESC = "username:desc"

    def __str__(self) -> str:
        return str(self.value)
