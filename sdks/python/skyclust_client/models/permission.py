from enum import StrEnum


class Permission(StrEnum):
    AUDITREAD = "audit:read"
    COSTREAD = "cost:read"
    CREDENTIALMANAGE = "credential:manage"
    CREDENTIALREAD = "credential:read"
    SYSTEMMANAGE = "system:manage"
    SYSTEMREAD = "system:read"
    USERCREATE = "user:create"
    USERDELETE = "user:delete"
    USERREAD = "user:read"
    USERUPDATE = "user:update"
    VMMANAGE = "vm:manage"
    VMREAD = "vm:read"
    WORKSPACEMANAGE = "workspace:manage"
    WORKSPACEREAD = "workspace:read"

    def __str__(self) -> str:
        return str(self.value)
