"""SkyClust Python SDK.

The low-level client in ``skyclust_client`` is generated from ``openapi.json`` by
openapi-python-client; this module is the small hand-written facade in the shape of the seed's
example::

    from skyclust import SkyClustClient

    client = SkyClustClient(base_url="http://localhost:8080/api/v1", token="...")
    me = client.auth.me()

Every resource of the API gets an attribute here in the same change that adds it to the contract.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Self
from uuid import UUID

import httpx

from skyclust_client import Client
from skyclust_client.api.api_keys import create_api_key, delete_api_key, list_api_keys
from skyclust_client.api.audit_logs import list_audit_logs
from skyclust_client.api.auth import get_current_user, login, logout, register
from skyclust_client.api.costs import get_cost_analysis, get_cost_breakdown, list_providers
from skyclust_client.api.credentials import (
    create_credential,
    delete_credential,
    get_credential,
    list_credentials,
    update_credential,
)
from skyclust_client.api.health import get_db_health, get_health, get_redis_health
from skyclust_client.api.notifications import (
    list_notifications,
    mark_all_notifications_read,
    mark_notification_read,
)
from skyclust_client.api.users import create_user, delete_user, get_user, list_users, update_user
from skyclust_client.api.vms import create_vm, delete_vm, get_vm, list_vms, reboot_vm, start_vm, stop_vm
from skyclust_client.api.workspaces import (
    add_workspace_member,
    create_workspace,
    delete_workspace,
    get_workspace,
    list_workspace_members,
    list_workspaces,
    remove_workspace_member,
    update_workspace,
)
from skyclust_client.models import (
    AddMemberRequest,
    ApiKeyList,
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
    ErrorResponse,
    GcpCredentialRequest,
    Health,
    ListApiKeysSort,
    ListAuditLogsSort,
    ListCredentialsSort,
    ListNotificationsSort,
    ListUsersSort,
    ListVmsSort,
    ListWorkspaceMembersSort,
    ListWorkspacesSort,
    LoginRequest,
    MemberList,
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
from skyclust_client.types import Unset

__all__ = [
    "ConflictError",
    "ForbiddenError",
    "NetworkError",
    "NotFoundError",
    "RateLimitedError",
    "ServiceUnavailableError",
    "SkyClustClient",
    "SkyClustError",
    "UnauthorizedError",
    "ValidationError",
]

_CODE_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
    502: "PROVIDER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class SkyClustError(Exception):
    """An error answered by the API, or ``NETWORK_ERROR`` (status 0) when it could not be reached."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
        details: Any = None,
    ) -> None:
        text = f"{code} ({status}): {message}"
        fields = _fields_of(details)
        if fields and not all(f"{name} " in message for name in fields):
            text += " — " + "; ".join(f"{name}: {problem}" for name, problem in fields.items())
        super().__init__(text)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = details

    @property
    def fields(self) -> dict[str, str]:
        """Per-field messages of a ``VALIDATION_ERROR`` (``data.fields``)."""
        return _fields_of(self.details)


class ValidationError(SkyClustError):
    """``VALIDATION_ERROR`` (400): :attr:`fields` says what is wrong with each field."""


class UnauthorizedError(SkyClustError):
    """``UNAUTHORIZED`` (401): no credentials, or ones the server refused."""


class ForbiddenError(SkyClustError):
    """``FORBIDDEN`` (403): signed in, but not allowed to do this."""


class NotFoundError(SkyClustError):
    """``NOT_FOUND`` (404): no such resource, or not one you may see."""


class ConflictError(SkyClustError):
    """``CONFLICT`` (409): the request clashes with the resource's state."""


class RateLimitedError(SkyClustError):
    """``RATE_LIMITED`` (429): :attr:`retry_after` is how many seconds to wait."""

    @property
    def retry_after(self) -> int | None:
        """Seconds until the budget refills (from the answer's ``data``), when given."""
        if isinstance(self.details, Mapping) and isinstance(self.details.get("retry_after"), int):
            return int(self.details["retry_after"])
        return self._retry_after_header

    _retry_after_header: int | None = None


class ServiceUnavailableError(SkyClustError):
    """``SERVICE_UNAVAILABLE`` (503): busy or timed out; worth retrying."""


class NetworkError(SkyClustError):
    """``NETWORK_ERROR`` (status 0): the API could not be reached."""


_ERROR_CLASSES: dict[str, type[SkyClustError]] = {
    "VALIDATION_ERROR": ValidationError,
    "UNAUTHORIZED": UnauthorizedError,
    "FORBIDDEN": ForbiddenError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
    "RATE_LIMITED": RateLimitedError,
    "SERVICE_UNAVAILABLE": ServiceUnavailableError,
    "NETWORK_ERROR": NetworkError,
}


def _error(
    status: int,
    code: str,
    message: str,
    request_id: str | None = None,
    details: Any = None,
    retry_after: str | None = None,
) -> SkyClustError:
    """The :class:`SkyClustError` subclass of ``code`` (the base class for other codes)."""
    error = _ERROR_CLASSES.get(code, SkyClustError)(status, code, message, request_id, details)
    if isinstance(error, RateLimitedError) and retry_after and retry_after.isdigit():
        error._retry_after_header = int(retry_after)
    return error


def _fields_of(details: Any) -> dict[str, str]:
    if isinstance(details, Mapping):
        fields = details.get("fields")
        if isinstance(fields, Mapping):
            return {str(name): str(problem) for name, problem in fields.items()}
    return {}


class SkyClustClient:
    """The SkyClust API client: ``client.auth``, ``client.workspaces``, ``client.credentials``,
    ``client.notifications``, ``client.api_keys``, ``client.users``, ``client.audit_logs`` and
    ``client.health``."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._token = token
        self._api_key = api_key
        self._client = self._build_client()
        self.auth = _Auth(self)
        self.api_keys = _ApiKeys(self)
        self.users = _Users(self)
        self.audit_logs = _AuditLogs(self)
        self.workspaces = _Workspaces(self)
        self.credentials = _Credentials(self)
        self.notifications = _Notifications(self)
        self.vms = _Vms(self)
        self.cost_analysis = _CostAnalysis(self)
        self.providers = _Providers(self)

        self.health = _Health(self)

    @property
    def token(self) -> str | None:
        """The JWT in use, if any."""
        return self._token

    def set_token(self, token: str | None) -> None:
        """Use ``token`` from now on (``None`` signs out locally)."""
        self._token = token
        self._rebuild()

    def set_api_key(self, api_key: str | None) -> None:
        """Use an API key (``X-API-Key``) from now on."""
        self._api_key = api_key
        self._token = None
        self._rebuild()

    def close(self) -> None:
        """Closes the connection pool."""
        self._client.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def _rebuild(self) -> None:
        self.close()
        self._client = self._build_client()

    def _build_client(self) -> Client:
        headers: dict[str, str] = {}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        elif self._api_key:
            headers["X-API-Key"] = self._api_key
        return Client(base_url=self.base_url, headers=headers, timeout=httpx.Timeout(self._timeout))

    def _call(self, operation: Callable[..., Any], **kwargs: Any) -> Any:
        """Calls a generated operation and unwraps the envelope, raising :class:`SkyClustError`."""
        try:
            response = operation(client=self._client, **kwargs)
        except httpx.HTTPError as error:
            raise _error(0, "NETWORK_ERROR", f"cannot reach the API: {error}") from error
        return self._unwrap(response)

    def _submit(
        self,
        operation: Callable[..., Any],
        method: str,
        path: str,
        model: Any,
        body: Any,
        fields: dict[str, Any],
        **kwargs: Any,
    ) -> Any:
        """Calls an operation with a JSON body built from a model, a dict or keyword arguments."""
        try:
            built = _body(model, body, fields)
        except _Unbuildable as unbuildable:
            return self._send_raw(method, path, unbuildable.payload)
        return self._call(operation, body=built, **kwargs)

    def _send_raw(self, method: str, path: str, payload: dict[str, Any]) -> Any:
        """Sends a body the generated models could not hold; only the server's verdict matters."""
        try:
            response = self._client.get_httpx_client().request(method, path, json=payload)
        except httpx.HTTPError as error:
            raise _error(0, "NETWORK_ERROR", f"cannot reach the API: {error}") from error
        try:
            envelope = response.json()
        except ValueError:
            envelope = {}
        if response.status_code >= 400:
            raise _error(
                response.status_code,
                envelope.get("code") or _CODE_BY_STATUS.get(response.status_code, "INTERNAL_ERROR"),
                envelope.get("error") or f"HTTP {response.status_code}",
                envelope.get("request_id") or response.headers.get("x-request-id"),
                envelope.get("data"),
            )
        return envelope.get("data")

    def _unwrap(self, response: Any) -> Any:

        parsed = response.parsed
        status = int(response.status_code)
        hint = ""
        if status == 404 and not self.base_url.endswith("/api/v1"):
            # The URL is quoted without any user:password it may carry.
            shown = str(httpx.URL(self.base_url).copy_with(username=None, password=None))
            hint = f" (is {shown!r} the API root? it usually ends in /api/v1)"
        if isinstance(parsed, ErrorResponse):
            details = None if isinstance(parsed.data, Unset) or parsed.data is None else parsed.data.to_dict()
            raise _error(
                status,
                str(parsed.code.value),
                parsed.error + hint,
                parsed.request_id,
                details,
                response.headers.get("retry-after"),
            )
        if status >= 400 or parsed is None:
            # An envelope the operation does not declare (a 404 for a path that is not the
            # API's, say) is still read; only a body that is not one is reported as such.
            try:
                envelope = json.loads(response.content)
            except ValueError:
                envelope = None
            if isinstance(envelope, Mapping) and envelope.get("success") is False:
                raise _error(
                    status,
                    str(envelope.get("code") or _CODE_BY_STATUS.get(status, "INTERNAL_ERROR")),
                    str(envelope.get("error") or f"HTTP {status}") + hint,
                    envelope.get("request_id") or response.headers.get("x-request-id"),
                    envelope.get("data"),
                )
            raise _error(
                status,
                _CODE_BY_STATUS.get(status, "INTERNAL_ERROR"),
                f"HTTP {status} without a SkyClust error envelope{hint}",
                response.headers.get("x-request-id"),
            )
        return getattr(parsed, "data", None)


class _Unbuildable(Exception):
    """A request the generated models cannot hold (a required field missing, say); the server
    is asked anyway, so the caller gets its authoritative VALIDATION_ERROR with field details."""

    def __init__(self, payload: dict[str, Any]) -> None:
        super().__init__("request does not fit the generated model")
        self.payload = payload


def _body(model: Any, body: Any, fields: dict[str, Any]) -> Any:
    """Accepts a generated model, a dict, or keyword arguments."""
    if isinstance(body, model):
        return body
    payload = {**(dict(body) if body else {}), **fields}
    try:
        built = model.from_dict(payload)
    except (KeyError, ValueError, TypeError) as error:
        raise _Unbuildable(payload) from error
    # The generated models drop keys they do not know; the server refuses them by name, so a
    # misspelt field goes to it as sent rather than vanishing.
    if set(payload) - set(built.to_dict()):
        raise _Unbuildable(payload)
    return built


class _Auth:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def register(self, body: RegisterRequest | Mapping[str, Any] | None = None, **fields: Any) -> AuthResponse:
        """``POST /auth/register``; the client keeps the returned token."""
        session = self._client._submit(register.sync_detailed, "POST", "/auth/register", RegisterRequest, body, fields)
        self._client.set_token(session.token)
        return session

    def login(self, body: LoginRequest | Mapping[str, Any] | None = None, **fields: Any) -> AuthResponse:
        """``POST /auth/login``; the client keeps the returned token."""
        session = self._client._submit(login.sync_detailed, "POST", "/auth/login", LoginRequest, body, fields)
        self._client.set_token(session.token)
        return session

    def logout(self) -> None:
        """``POST /auth/logout``: revokes the token on the server and forgets it here."""
        self._client._call(logout.sync_detailed)
        self._client.set_token(None)

    def me(self) -> CurrentUser:
        """``GET /auth/me``: the caller, its role and permissions."""
        return self._client._call(get_current_user.sync_detailed)


class _Health:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def get(self) -> Health:
        """``GET /health``."""
        return self._client._call(get_health.sync_detailed)

    def db(self) -> DbHealth:
        """``GET /health/db`` (needs ``system:read``)."""
        return self._client._call(get_db_health.sync_detailed)

    def redis(self) -> RedisHealth:
        """``GET /health/redis`` (needs ``system:read``)."""
        return self._client._call(get_redis_health.sync_detailed)


def _list_params(sort_type: Any, params: dict[str, Any], enums: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Converts plain values of list filters to the generated types; absent ones stay unset.

    A repeatable filter takes one value or several: ``status="running"`` and
    ``status=["running", "stopped"]`` both work (a string is never split into characters).
    """
    converted: dict[str, Any] = {}
    for name, value in params.items():
        if value is None:
            continue
        if name == "sort":
            value = sort_type(value)
        elif name in _REPEATABLE or (enums and name in enums):
            single = isinstance(value, (str, bytes, UUID, enum.Enum)) or not isinstance(value, Iterable)
            items = [value] if single else list(value)
            item_type = (enums or {}).get(name) or _REPEATABLE[name]
            value = [_as(item_type, item) for item in items]
        converted[name] = value
    return converted


# Repeatable filters that are not enums, and the type of their items.
_REPEATABLE: dict[str, Any] = {
    "workspace_id": UUID,
    "user_id": UUID,
    "owner_id": UUID,
    "region": str,
    "action": str,
    "resource": str,
}


def _as(item_type: Any, item: Any) -> Any:
    if isinstance(item, item_type):
        return item
    if item_type is UUID:
        return UUID(str(item))
    if isinstance(item_type, type) and issubclass(item_type, enum.Enum):
        return item_type(item.value if isinstance(item, enum.Enum) else item)
    return item_type(item)


class _ApiKeys:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> ApiKeyList:
        """``GET /api-keys``: ``limit``, ``offset``, ``sort`` (``"name:asc"``…), ``start_date``, ``end_date``."""
        return self._client._call(list_api_keys.sync_detailed, **_list_params(ListApiKeysSort, params))

    def create(self, body: CreateApiKeyRequest | Mapping[str, Any] | None = None, **fields: Any) -> CreatedApiKey:
        """``POST /api-keys``: the answer's ``key`` is shown this once."""
        return self._client._submit(
            create_api_key.sync_detailed, "POST", "/api-keys", CreateApiKeyRequest, body, fields
        )

    def delete(self, key_id: str) -> None:
        """``DELETE /api-keys/{id}``."""
        self._client._call(delete_api_key.sync_detailed, id=key_id)


class _Users:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> UserList:
        """``GET /users``: ``limit``, ``offset``, ``sort``, ``role`` (list), ``is_active``, date range."""
        return self._client._call(list_users.sync_detailed, **_list_params(ListUsersSort, params, {"role": Role}))

    def create(self, body: CreateUserRequest | Mapping[str, Any] | None = None, **fields: Any) -> User:
        """``POST /users``."""
        return self._client._submit(create_user.sync_detailed, "POST", "/users", CreateUserRequest, body, fields)

    def get(self, user_id: str) -> User:
        """``GET /users/{id}``."""
        return self._client._call(get_user.sync_detailed, id=user_id)

    def update(self, user_id: str, body: UpdateUserRequest | Mapping[str, Any] | None = None, **fields: Any) -> User:
        """``PUT /users/{id}``: any of ``username``, ``role``, ``is_active``."""
        return self._client._submit(
            update_user.sync_detailed, "PUT", f"/users/{user_id}", UpdateUserRequest, body, fields, id=user_id
        )

    def delete(self, user_id: str) -> None:
        """``DELETE /users/{id}``."""
        self._client._call(delete_user.sync_detailed, id=user_id)


class _AuditLogs:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> AuditLogList:
        """``GET /audit-logs``: ``user_id``, ``action``, ``resource`` (lists), ``success``,
        ``start_time``, ``end_time``, ``limit`` (default 50), ``offset``, ``sort``."""
        return self._client._call(list_audit_logs.sync_detailed, **_list_params(ListAuditLogsSort, params))


class _Workspaces:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> WorkspaceList:
        """``GET /workspaces``: ``limit`` (default 10), ``offset``, ``sort``, ``is_active``, ``owner_id``."""
        return self._client._call(list_workspaces.sync_detailed, **_list_params(ListWorkspacesSort, params))

    def create(self, body: CreateWorkspaceRequest | Mapping[str, Any] | None = None, **fields: Any) -> Workspace:
        """``POST /workspaces``."""
        return self._client._submit(
            create_workspace.sync_detailed, "POST", "/workspaces", CreateWorkspaceRequest, body, fields
        )

    def get(self, workspace_id: str) -> Workspace:
        """``GET /workspaces/{id}``."""
        return self._client._call(get_workspace.sync_detailed, id=workspace_id)

    def update(
        self, workspace_id: str, body: UpdateWorkspaceRequest | Mapping[str, Any] | None = None, **fields: Any
    ) -> Workspace:
        """``PUT /workspaces/{id}``."""
        return self._client._submit(
            update_workspace.sync_detailed,
            "PUT",
            f"/workspaces/{workspace_id}",
            UpdateWorkspaceRequest,
            body,
            fields,
            id=workspace_id,
        )

    def delete(self, workspace_id: str) -> None:
        """``DELETE /workspaces/{id}``."""
        self._client._call(delete_workspace.sync_detailed, id=workspace_id)

    def members(self, workspace_id: str, **params: Any) -> MemberList:
        """``GET /workspaces/{id}/members``."""
        return self._client._call(
            list_workspace_members.sync_detailed, id=workspace_id, **_list_params(ListWorkspaceMembersSort, params)
        )

    def add_member(
        self, workspace_id: str, body: AddMemberRequest | Mapping[str, Any] | None = None, **fields: Any
    ) -> WorkspaceMember:
        """``POST /workspaces/{id}/members``: ``user_id`` and ``role`` (``admin|member|viewer``)."""
        return self._client._submit(
            add_workspace_member.sync_detailed,
            "POST",
            f"/workspaces/{workspace_id}/members",
            AddMemberRequest,
            body,
            fields,
            id=workspace_id,
        )

    def remove_member(self, workspace_id: str, user_id: str) -> None:
        """``DELETE /workspaces/{id}/members/{user_id}``."""
        self._client._call(remove_workspace_member.sync_detailed, id=workspace_id, user_id=user_id)


_CREDENTIAL_REQUESTS = {
    "aws": AwsCredentialRequest,
    "gcp": GcpCredentialRequest,
    "azure": AzureCredentialRequest,
    "sandbox": SandboxCredentialRequest,
}


class _Credentials:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> CredentialList:
        """``GET /credentials``: ``provider`` (list), ``is_active``, ``limit``, ``offset``, ``sort``."""
        return self._client._call(
            list_credentials.sync_detailed, **_list_params(ListCredentialsSort, params, {"provider": Provider})
        )

    def create(self, body: Mapping[str, Any] | None = None, **fields: Any) -> Credential:
        """``POST /credentials``: ``name``, ``provider`` and the provider's ``data``. Answers carry a
        masked ``hint``, never the secrets."""
        request = {**(dict(body) if body else {}), **fields}
        model = _CREDENTIAL_REQUESTS.get(str(request.get("provider")))
        if model is None:
            return self._client._send_raw("POST", "/credentials", request)
        return self._client._submit(create_credential.sync_detailed, "POST", "/credentials", model, request, {})

    def get(self, credential_id: str) -> Credential:
        """``GET /credentials/{id}``."""
        return self._client._call(get_credential.sync_detailed, id=credential_id)

    def update(
        self, credential_id: str, body: UpdateCredentialRequest | Mapping[str, Any] | None = None, **fields: Any
    ) -> Credential:
        """``PUT /credentials/{id}``: any of ``name``, ``data``, ``is_active``."""
        return self._client._submit(
            update_credential.sync_detailed,
            "PUT",
            f"/credentials/{credential_id}",
            UpdateCredentialRequest,
            body,
            fields,
            id=credential_id,
        )

    def delete(self, credential_id: str) -> None:
        """``DELETE /credentials/{id}``."""
        self._client._call(delete_credential.sync_detailed, id=credential_id)


class _Notifications:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> NotificationList:
        """``GET /notifications``: ``unread_only``, ``type`` (list), ``priority`` (list), ``limit``, ``offset``."""
        if "type" in params:
            params["type_"] = params.pop("type")
        return self._client._call(
            list_notifications.sync_detailed,
            **_list_params(ListNotificationsSort, params, {"type_": NotificationType, "priority": Priority}),
        )

    def mark_read(self, notification_id: str) -> None:
        """``PUT /notifications/{id}/read``."""
        self._client._call(mark_notification_read.sync_detailed, id=notification_id)

    def mark_all_read(self) -> int:
        """``PUT /notifications/read-all``: returns how many were marked."""
        result: ReadAllResult = self._client._call(mark_all_notifications_read.sync_detailed)
        return result.updated


class _Vms:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> VmList:
        """``GET /vms``: ``workspace_id``, ``provider``, ``status``, ``region`` (lists), ``limit``, ``offset``, ``sort``."""
        enums = {"provider": Provider, "status": VmStatus}
        return self._client._call(list_vms.sync_detailed, **_list_params(ListVmsSort, params, enums))

    def create(
        self,
        body: CreateVmRequest | Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> Vm:
        """``POST /vms``: answers at once with the VM ``pending``; see :meth:`wait_until`.

        With ``idempotency_key``, repeating the call with the same key and request (for a day)
        answers the first VM instead of creating another; the key with another request is a
        ``CONFLICT``.
        """
        key = {} if idempotency_key is None else {"idempotency_key": idempotency_key}
        return self._client._submit(create_vm.sync_detailed, "POST", "/vms", CreateVmRequest, body, fields, **key)

    def get(self, vm_id: str) -> Vm:
        """``GET /vms/{id}``."""
        return self._client._call(get_vm.sync_detailed, id=vm_id)

    def delete(self, vm_id: str) -> Vm:
        """``DELETE /vms/{id}``: answers at once with the VM ``terminating``."""
        return self._client._call(delete_vm.sync_detailed, id=vm_id)

    def start(self, vm_id: str) -> Vm:
        """``POST /vms/{id}/start``."""
        return self._client._call(start_vm.sync_detailed, id=vm_id)

    def stop(self, vm_id: str) -> Vm:
        """``POST /vms/{id}/stop``."""
        return self._client._call(stop_vm.sync_detailed, id=vm_id)

    def reboot(self, vm_id: str) -> Vm:
        """``POST /vms/{id}/reboot``."""
        return self._client._call(reboot_vm.sync_detailed, id=vm_id)

    def wait_until(self, vm_id: str, status: str, timeout: float = 300.0, interval: float = 1.0) -> Vm:
        """Polls until the VM is ``status`` (or ``error``/``terminated``, which end the wait)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            vm = self.get(vm_id)
            if vm.status.value in (status, "error", "terminated"):
                return vm
            if time.monotonic() >= deadline:
                raise SkyClustError(0, "TIMEOUT", f"the VM is {vm.status.value} after {timeout}s")
            time.sleep(interval)


def _cost_params(**params: Any) -> dict[str, Any]:
    """Converts plain values of cost queries to the generated types; absent ones stay unset."""
    types = {"period": CostPeriod, "provider": Provider, "service": CostService, "workspace_id": UUID}
    return {name: types[name](value) for name, value in params.items() if value is not None}


class _CostAnalysis:
    """Cost estimates: metered running time priced from the server's catalog."""

    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def get(
        self, *, period: str | None = None, workspace_id: str | None = None, provider: str | None = None
    ) -> CostAnalysis:
        """``GET /cost-analysis``: total, per provider and per UTC day (``period``: 1d, 7d, 30d, 90d)."""
        params = _cost_params(period=period, workspace_id=workspace_id, provider=provider)
        return self._client._call(get_cost_analysis.sync_detailed, **params)

    def breakdown(
        self,
        provider: str,
        *,
        service: str | None = None,
        period: str | None = None,
        workspace_id: str | None = None,
    ) -> CostBreakdown:
        """``GET /cost-analysis/breakdown``: one provider's cost per service (aws: ``EC2``, ``EBS``)."""
        params = _cost_params(provider=provider, service=service, period=period, workspace_id=workspace_id)
        return self._client._call(get_cost_breakdown.sync_detailed, **params)


class _Providers:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self) -> ProviderCatalog:
        """``GET /providers``: enabled providers, their regions, instance types and prices."""
        return self._client._call(list_providers.sync_detailed)
