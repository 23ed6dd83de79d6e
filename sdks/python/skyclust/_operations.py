"""One description per operation of openapi.json, named by its operationId: its parameters (the
signature both clients' methods take), how they become the generated operation's arguments,
and what the call returns. ``SkyClustClient`` runs them synchronously, ``AsyncSkyClustClient``
with ``await``; see ``_client.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skyclust._core import (
    Body,
    Call,
    DateLike,
    Id,
    ListCall,
    OneOrMany,
    RawBody,
    Session,
    body_of,
    call,
    enum_of,
    enums_of,
    list_call,
    many,
    returns,
    returns_nothing,
    uuid_of,
)
from skyclust_client.api.api_keys import create_api_key as _create_api_key
from skyclust_client.api.api_keys import delete_api_key as _delete_api_key
from skyclust_client.api.api_keys import list_api_keys as _list_api_keys
from skyclust_client.api.audit_logs import list_audit_logs as _list_audit_logs
from skyclust_client.api.auth import get_current_user as _get_current_user
from skyclust_client.api.auth import login as _login
from skyclust_client.api.auth import logout as _logout
from skyclust_client.api.auth import register as _register
from skyclust_client.api.costs import get_cost_analysis as _get_cost_analysis
from skyclust_client.api.costs import get_cost_breakdown as _get_cost_breakdown
from skyclust_client.api.costs import list_providers as _list_providers
from skyclust_client.api.credentials import create_credential as _create_credential
from skyclust_client.api.credentials import delete_credential as _delete_credential
from skyclust_client.api.credentials import get_credential as _get_credential
from skyclust_client.api.credentials import list_credential_instances as _list_credential_instances
from skyclust_client.api.credentials import list_credentials as _list_credentials
from skyclust_client.api.credentials import update_credential as _update_credential
from skyclust_client.api.health import get_db_health as _get_db_health
from skyclust_client.api.health import get_health as _get_health
from skyclust_client.api.health import get_redis_health as _get_redis_health
from skyclust_client.api.notifications import list_notifications as _list_notifications
from skyclust_client.api.notifications import mark_all_notifications_read as _mark_all_notifications_read
from skyclust_client.api.notifications import mark_notification_read as _mark_notification_read
from skyclust_client.api.users import create_user as _create_user
from skyclust_client.api.users import delete_user as _delete_user
from skyclust_client.api.users import get_user as _get_user
from skyclust_client.api.users import list_users as _list_users
from skyclust_client.api.users import update_user as _update_user
from skyclust_client.api.vms import create_vm as _create_vm
from skyclust_client.api.vms import delete_vm as _delete_vm
from skyclust_client.api.vms import get_vm as _get_vm
from skyclust_client.api.vms import import_vm as _import_vm
from skyclust_client.api.vms import list_vms as _list_vms
from skyclust_client.api.vms import reboot_vm as _reboot_vm
from skyclust_client.api.vms import start_vm as _start_vm
from skyclust_client.api.vms import stop_vm as _stop_vm
from skyclust_client.api.workspaces import add_workspace_member as _add_workspace_member
from skyclust_client.api.workspaces import create_workspace as _create_workspace
from skyclust_client.api.workspaces import delete_workspace as _delete_workspace
from skyclust_client.api.workspaces import get_workspace as _get_workspace
from skyclust_client.api.workspaces import list_workspace_members as _list_workspace_members
from skyclust_client.api.workspaces import list_workspaces as _list_workspaces
from skyclust_client.api.workspaces import remove_workspace_member as _remove_workspace_member
from skyclust_client.api.workspaces import update_workspace as _update_workspace
from skyclust_client.models import (
    AddMemberRequest,
    ApiKey,
    ApiKeyList,
    AuditLog,
    AuditLogList,
    AuthResponse,
    AwsCredentialRequest,
    AzureCredentialRequest,
    CostAnalysis,
    CostBreakdown,
    CostPeriod,
    CostService,
    CreateApiKeyRequest,
    CreatedApiKey,
    CreateUserRequest,
    CreateVmRequest,
    CreateWorkspaceRequest,
    Credential,
    CredentialList,
    CurrentUser,
    DbHealth,
    DiscoveredInstance,
    GcpCredentialRequest,
    Health,
    ImportVmRequest,
    InstanceList,
    ListApiKeysSort,
    ListAuditLogsSort,
    ListCredentialInstancesSort,
    ListCredentialsSort,
    ListNotificationsSort,
    ListUsersSort,
    ListVmsSort,
    ListWorkspaceMembersSort,
    ListWorkspacesSort,
    LoginRequest,
    MemberList,
    Notification,
    NotificationList,
    NotificationType,
    Priority,
    Provider,
    ProviderCatalog,
    ReadAllResult,
    RedisHealth,
    RegisterRequest,
    Role,
    SandboxCredentialRequest,
    UpdateCredentialRequest,
    UpdateUserRequest,
    UpdateWorkspaceRequest,
    User,
    UserList,
    Vm,
    VmList,
    VmStatus,
    Workspace,
    WorkspaceList,
    WorkspaceMember,
)


def _keep_token(session: Session, answer: AuthResponse) -> None:
    session.set_token(answer.token)


def _forget_token(session: Session, answer: None) -> None:
    session.set_token(None)


def _updated(data: Any) -> int:
    return returns(ReadAllResult)(data).updated


# ---- auth ----


def register(body: RegisterRequest | Body = None, /, **fields: Any) -> Call[AuthResponse]:
    """``POST /auth/register``: ``username``, ``email``, ``password``. The client keeps the new token."""
    return call(_register, returns(AuthResponse), _keep_token, body=body_of(RegisterRequest, body, fields))


def login(body: LoginRequest | Body = None, /, **fields: Any) -> Call[AuthResponse]:
    """``POST /auth/login``: ``email``, ``password``. The client keeps the new token."""
    return call(_login, returns(AuthResponse), _keep_token, body=body_of(LoginRequest, body, fields))


def logout() -> Call[None]:
    """``POST /auth/logout``: revokes the token on the server (its event streams end with close
    code 4001) and forgets it here."""
    return call(_logout, returns_nothing, _forget_token)


def get_current_user() -> Call[CurrentUser]:
    """``GET /auth/me``: the caller, its role and permissions."""
    return call(_get_current_user, returns(CurrentUser))


# ---- health ----


def get_health() -> Call[Health]:
    """``GET /health`` (metrics for callers with ``system:read``)."""
    return call(_get_health, returns(Health))


def get_db_health() -> Call[DbHealth]:
    """``GET /health/db`` (needs ``system:read``)."""
    return call(_get_db_health, returns(DbHealth))


def get_redis_health() -> Call[RedisHealth]:
    """``GET /health/redis`` (needs ``system:read``)."""
    return call(_get_redis_health, returns(RedisHealth))


# ---- API keys ----


def list_api_keys(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListApiKeysSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
) -> ListCall[ApiKeyList, ApiKey]:
    """``GET /api-keys``: your API keys (``limit`` 1–100, default 20)."""
    return list_call(
        _list_api_keys,
        ApiKeyList,
        lambda page: page.api_keys,
        limit=limit,
        offset=offset,
        sort=enum_of(ListApiKeysSort, sort),
        start_date=start_date,
        end_date=end_date,
    )


def create_api_key(body: CreateApiKeyRequest | Body = None, /, **fields: Any) -> Call[CreatedApiKey]:
    """``POST /api-keys``: ``name``, optional ``read_only``, ``expires_at``. The answer's ``key`` is
    shown this once."""
    return call(_create_api_key, returns(CreatedApiKey), body=body_of(CreateApiKeyRequest, body, fields))


def delete_api_key(key_id: Id) -> Call[None]:
    """``DELETE /api-keys/{id}``: revokes the key (its event streams end with close code 4001)."""
    return call(_delete_api_key, returns_nothing, id=uuid_of(key_id))


# ---- users ----


def list_users(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListUsersSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    role: OneOrMany[Role | str] | None = None,
    is_active: bool | None = None,
) -> ListCall[UserList, User]:
    """``GET /users`` (admins)."""
    return list_call(
        _list_users,
        UserList,
        lambda page: page.users,
        limit=limit,
        offset=offset,
        sort=enum_of(ListUsersSort, sort),
        start_date=start_date,
        end_date=end_date,
        role=enums_of(Role, role),
        is_active=is_active,
    )


def create_user(body: CreateUserRequest | Body = None, /, **fields: Any) -> Call[User]:
    """``POST /users`` (admins): ``username``, ``email``, ``password``, optional ``role``."""
    return call(_create_user, returns(User), body=body_of(CreateUserRequest, body, fields))


def get_user(user_id: Id) -> Call[User]:
    """``GET /users/{id}``."""
    return call(_get_user, returns(User), id=uuid_of(user_id))


def update_user(user_id: Id, body: UpdateUserRequest | Body = None, /, **fields: Any) -> Call[User]:
    """``PUT /users/{id}``: any of ``username``, ``role``, ``is_active``."""
    return call(_update_user, returns(User), id=uuid_of(user_id), body=body_of(UpdateUserRequest, body, fields))


def delete_user(user_id: Id) -> Call[None]:
    """``DELETE /users/{id}``."""
    return call(_delete_user, returns_nothing, id=uuid_of(user_id))


# ---- audit log ----


def list_audit_logs(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListAuditLogsSort | str | None = None,
    start_time: DateLike | None = None,
    end_time: DateLike | None = None,
    user_id: OneOrMany[Id] | None = None,
    action: OneOrMany[str] | None = None,
    resource: OneOrMany[str] | None = None,
    success: bool | None = None,
) -> ListCall[AuditLogList, AuditLog]:
    """``GET /audit-logs`` (needs ``audit:read``; ``limit`` default 50)."""
    return list_call(
        _list_audit_logs,
        AuditLogList,
        lambda page: page.audit_logs,
        limit=limit,
        offset=offset,
        sort=enum_of(ListAuditLogsSort, sort),
        start_time=start_time,
        end_time=end_time,
        user_id=many(uuid_of, user_id),
        action=many(str, action),
        resource=many(str, resource),
        success=success,
    )


# ---- workspaces ----


def list_workspaces(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListWorkspacesSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    is_active: bool | None = None,
    owner_id: OneOrMany[Id] | None = None,
) -> ListCall[WorkspaceList, Workspace]:
    """``GET /workspaces``: the workspaces you own or belong to (``limit`` default 10)."""
    return list_call(
        _list_workspaces,
        WorkspaceList,
        lambda page: page.workspaces,
        limit=limit,
        offset=offset,
        sort=enum_of(ListWorkspacesSort, sort),
        start_date=start_date,
        end_date=end_date,
        is_active=is_active,
        owner_id=many(uuid_of, owner_id),
    )


def create_workspace(body: CreateWorkspaceRequest | Body = None, /, **fields: Any) -> Call[Workspace]:
    """``POST /workspaces``: ``name``, optional ``description``."""
    return call(_create_workspace, returns(Workspace), body=body_of(CreateWorkspaceRequest, body, fields))


def get_workspace(workspace_id: Id) -> Call[Workspace]:
    """``GET /workspaces/{id}``."""
    return call(_get_workspace, returns(Workspace), id=uuid_of(workspace_id))


def update_workspace(workspace_id: Id, body: UpdateWorkspaceRequest | Body = None, /, **fields: Any) -> Call[Workspace]:
    """``PUT /workspaces/{id}``: any of ``name``, ``description``, ``is_active``."""
    body = body_of(UpdateWorkspaceRequest, body, fields)
    return call(_update_workspace, returns(Workspace), id=uuid_of(workspace_id), body=body)


def delete_workspace(workspace_id: Id) -> Call[None]:
    """``DELETE /workspaces/{id}``."""
    return call(_delete_workspace, returns_nothing, id=uuid_of(workspace_id))


def list_workspace_members(
    workspace_id: Id,
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListWorkspaceMembersSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
) -> ListCall[MemberList, WorkspaceMember]:
    """``GET /workspaces/{id}/members``."""
    return list_call(
        _list_workspace_members,
        MemberList,
        lambda page: page.members,
        id=uuid_of(workspace_id),
        limit=limit,
        offset=offset,
        sort=enum_of(ListWorkspaceMembersSort, sort),
        start_date=start_date,
        end_date=end_date,
    )


def add_workspace_member(
    workspace_id: Id, body: AddMemberRequest | Body = None, /, **fields: Any
) -> Call[WorkspaceMember]:
    """``POST /workspaces/{id}/members``: exactly one of ``user_id``, ``email`` or ``username``, and
    ``role`` (``admin|member|viewer``, default ``member``)."""
    body = body_of(AddMemberRequest, body, fields)
    return call(_add_workspace_member, returns(WorkspaceMember), id=uuid_of(workspace_id), body=body)


def remove_workspace_member(workspace_id: Id, user_id: Id) -> Call[None]:
    """``DELETE /workspaces/{id}/members/{user_id}``."""
    return call(_remove_workspace_member, returns_nothing, id=uuid_of(workspace_id), user_id=uuid_of(user_id))


# ---- credentials ----

_CREDENTIAL_REQUESTS: Mapping[str, type[Any]] = {
    "aws": AwsCredentialRequest,
    "gcp": GcpCredentialRequest,
    "azure": AzureCredentialRequest,
    "sandbox": SandboxCredentialRequest,
}


def list_credentials(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListCredentialsSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    provider: OneOrMany[Provider | str] | None = None,
    is_active: bool | None = None,
) -> ListCall[CredentialList, Credential]:
    """``GET /credentials``: yours, each with a masked ``hint``, never the secrets."""
    return list_call(
        _list_credentials,
        CredentialList,
        lambda page: page.credentials,
        limit=limit,
        offset=offset,
        sort=enum_of(ListCredentialsSort, sort),
        start_date=start_date,
        end_date=end_date,
        provider=enums_of(Provider, provider),
        is_active=is_active,
    )


def create_credential(body: Body = None, /, **fields: Any) -> Call[Credential]:
    """``POST /credentials``: ``name``, ``provider`` and the provider's ``data``. Answers carry a
    masked ``hint``, never the secrets."""
    request = {**dict(body or {}), **fields}
    provider = request.get("provider")
    model = _CREDENTIAL_REQUESTS.get(str(getattr(provider, "value", provider)))
    # An unknown provider goes as sent: the server's answer names the valid ones.
    built = RawBody(request) if model is None else body_of(model, request, {})
    return call(_create_credential, returns(Credential), body=built)


def get_credential(credential_id: Id) -> Call[Credential]:
    """``GET /credentials/{id}``."""
    return call(_get_credential, returns(Credential), id=uuid_of(credential_id))


def update_credential(
    credential_id: Id, body: UpdateCredentialRequest | Body = None, /, **fields: Any
) -> Call[Credential]:
    """``PUT /credentials/{id}``: any of ``name``, ``data``, ``is_active``."""
    body = body_of(UpdateCredentialRequest, body, fields)
    return call(_update_credential, returns(Credential), id=uuid_of(credential_id), body=body)


def delete_credential(credential_id: Id) -> Call[None]:
    """``DELETE /credentials/{id}``."""
    return call(_delete_credential, returns_nothing, id=uuid_of(credential_id))


def list_credential_instances(
    credential_id: Id,
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListCredentialInstancesSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    region: OneOrMany[str] | None = None,
    status: OneOrMany[VmStatus | str] | None = None,
    managed: bool | None = None,
) -> ListCall[InstanceList, DiscoveredInstance]:
    """``GET /credentials/{id}/instances``: what the credential's account runs, each instance
    ``managed`` (with ``vm_id`` when you can see the VM) or not; ``failed_regions`` names the
    regions the provider did not answer for."""
    return list_call(
        _list_credential_instances,
        InstanceList,
        lambda page: page.instances,
        id=uuid_of(credential_id),
        limit=limit,
        offset=offset,
        sort=enum_of(ListCredentialInstancesSort, sort),
        start_date=start_date,
        end_date=end_date,
        region=many(str, region),
        status=enums_of(VmStatus, status),
        managed=managed,
    )


# ---- notifications ----


def list_notifications(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListNotificationsSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    unread_only: bool | None = None,
    type: OneOrMany[NotificationType | str] | None = None,
    priority: OneOrMany[Priority | str] | None = None,
) -> ListCall[NotificationList, Notification]:
    """``GET /notifications``: yours, with ``unread_count``."""
    return list_call(
        _list_notifications,
        NotificationList,
        lambda page: page.notifications,
        limit=limit,
        offset=offset,
        sort=enum_of(ListNotificationsSort, sort),
        start_date=start_date,
        end_date=end_date,
        unread_only=unread_only,
        type_=enums_of(NotificationType, type),
        priority=enums_of(Priority, priority),
    )


def mark_notification_read(notification_id: Id) -> Call[None]:
    """``PUT /notifications/{id}/read``."""
    return call(_mark_notification_read, returns_nothing, id=uuid_of(notification_id))


def mark_all_notifications_read() -> Call[int]:
    """``PUT /notifications/read-all``: returns how many were marked."""
    return call(_mark_all_notifications_read, _updated)


# ---- VMs ----


def list_vms(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListVmsSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    workspace_id: OneOrMany[Id] | None = None,
    provider: OneOrMany[Provider | str] | None = None,
    status: OneOrMany[VmStatus | str] | None = None,
    region: OneOrMany[str] | None = None,
) -> ListCall[VmList, Vm]:
    """``GET /vms``: the VMs of the workspaces you can see (admins: all)."""
    return list_call(
        _list_vms,
        VmList,
        lambda page: page.vms,
        limit=limit,
        offset=offset,
        sort=enum_of(ListVmsSort, sort),
        start_date=start_date,
        end_date=end_date,
        workspace_id=many(uuid_of, workspace_id),
        provider=enums_of(Provider, provider),
        status=enums_of(VmStatus, status),
        region=many(str, region),
    )


def create_vm(body: CreateVmRequest | Body = None, /, *, idempotency_key: str | None = None, **fields: Any) -> Call[Vm]:
    """``POST /vms``: ``name``, ``provider``, ``instance_type``, ``region``, optional ``workspace_id``
    (default: your personal workspace), ``zone``, ``image_id``, ``key_pair``, ``credential_id``.
    Answers at once with the VM ``pending``; see ``wait_until``.

    With ``idempotency_key`` the call is safe to repeat (and so is retried): the same key and
    request within a day answer the first VM instead of creating another; the key with another
    request is a ``CONFLICT``."""
    body = body_of(CreateVmRequest, body, fields)
    return call(_create_vm, returns(Vm), body=body, idempotency_key=idempotency_key)


def get_vm(vm_id: Id) -> Call[Vm]:
    """``GET /vms/{id}``."""
    return call(_get_vm, returns(Vm), id=uuid_of(vm_id))


def delete_vm(vm_id: Id, *, release: bool | None = None) -> Call[Vm]:
    """``DELETE /vms/{id}``: answers at once with the VM ``terminating``. With ``release=True``
    SkyClust stops managing the VM and leaves its instance running, untagged (the answer is the
    VM ``terminated``, released)."""
    return call(_delete_vm, returns(Vm), id=uuid_of(vm_id), release=release)


def import_vm(body: ImportVmRequest | Body = None, /, **fields: Any) -> Call[Vm]:
    """``POST /vms/import``: ``credential_id``, ``provider_instance_id``, ``region``,
    ``workspace_id`` and optional ``name`` bring an existing instance under management."""
    body = body_of(ImportVmRequest, body, fields)
    return call(_import_vm, returns(Vm), body=body)


def start_vm(vm_id: Id) -> Call[Vm]:
    """``POST /vms/{id}/start``."""
    return call(_start_vm, returns(Vm), id=uuid_of(vm_id))


def stop_vm(vm_id: Id) -> Call[Vm]:
    """``POST /vms/{id}/stop``."""
    return call(_stop_vm, returns(Vm), id=uuid_of(vm_id))


def reboot_vm(vm_id: Id) -> Call[Vm]:
    """``POST /vms/{id}/reboot``."""
    return call(_reboot_vm, returns(Vm), id=uuid_of(vm_id))


# ---- costs and prices ----


def get_cost_analysis(
    *,
    period: CostPeriod | str | None = None,
    workspace_id: Id | None = None,
    provider: Provider | str | None = None,
) -> Call[CostAnalysis]:
    """``GET /cost-analysis``: total, per provider and per UTC day (``period``: 1d, 7d, 30d, 90d)."""
    return call(
        _get_cost_analysis,
        returns(CostAnalysis),
        period=enum_of(CostPeriod, period),
        workspace_id=None if workspace_id is None else uuid_of(workspace_id),
        provider=enum_of(Provider, provider),
    )


def get_cost_breakdown(
    provider: Provider | str,
    *,
    service: CostService | str | None = None,
    period: CostPeriod | str | None = None,
    workspace_id: Id | None = None,
) -> Call[CostBreakdown]:
    """``GET /cost-analysis/breakdown``: one provider's cost per service (aws: ``EC2``, ``EBS``)."""
    return call(
        _get_cost_breakdown,
        returns(CostBreakdown),
        provider=enum_of(Provider, provider),
        service=enum_of(CostService, service),
        period=enum_of(CostPeriod, period),
        workspace_id=None if workspace_id is None else uuid_of(workspace_id),
    )


def list_providers() -> Call[ProviderCatalog]:
    """``GET /providers``: enabled providers, their regions, instance types and prices."""
    return call(_list_providers, returns(ProviderCatalog))
