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

from typing import Any, Callable, Mapping

import httpx

from skyclust_client import Client
from skyclust_client.api.api_keys import create_api_key, delete_api_key, list_api_keys
from skyclust_client.api.audit_logs import list_audit_logs
from skyclust_client.api.auth import get_current_user, login, logout, register
from skyclust_client.api.health import get_db_health, get_health, get_redis_health
from skyclust_client.api.users import create_user, delete_user, get_user, list_users, update_user
from skyclust_client.models import (
    ApiKeyList,
    AuditLogList,
    AuthResponse,
    CreateApiKeyRequest,
    CreatedApiKey,
    CreateUserRequest,
    CurrentUser,
    DbHealth,
    ErrorResponse,
    Health,
    ListApiKeysSort,
    ListAuditLogsSort,
    ListUsersSort,
    LoginRequest,
    RedisHealth,
    RegisterRequest,
    Role,
    UpdateUserRequest,
    User,
    UserList,
)
from skyclust_client.types import Unset

__all__ = ["SkyClustClient", "SkyClustError"]

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
        super().__init__(f"{code} ({status}): {message}")
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = details

    @property
    def fields(self) -> dict[str, str]:
        """Per-field messages of a ``VALIDATION_ERROR`` (``data.fields``)."""
        if isinstance(self.details, Mapping):
            fields = self.details.get("fields")
            if isinstance(fields, Mapping):
                return dict(fields)
        return {}


class SkyClustClient:
    """The SkyClust API client: ``client.auth``, ``client.api_keys``, ``client.users``,
    ``client.audit_logs`` and ``client.health``."""

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

    def __enter__(self) -> SkyClustClient:
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
            raise SkyClustError(0, "NETWORK_ERROR", f"cannot reach the API: {error}") from error
        parsed = response.parsed
        status = int(response.status_code)
        if isinstance(parsed, ErrorResponse):
            details = None if isinstance(parsed.data, Unset) or parsed.data is None else parsed.data.to_dict()
            raise SkyClustError(status, str(parsed.code.value), parsed.error, parsed.request_id, details)
        if status >= 400 or parsed is None:
            raise SkyClustError(
                status,
                _CODE_BY_STATUS.get(status, "INTERNAL_ERROR"),
                f"HTTP {status} without a SkyClust error envelope",
                response.headers.get("x-request-id"),
            )
        return getattr(parsed, "data", None)


def _body(model: Any, body: Any, fields: dict[str, Any]) -> Any:
    """Accepts a generated model, a dict, or keyword arguments."""
    if isinstance(body, model):
        return body
    return model.from_dict({**(dict(body) if body else {}), **fields})


class _Auth:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def register(self, body: RegisterRequest | Mapping[str, Any] | None = None, **fields: Any) -> AuthResponse:
        """``POST /auth/register``; the client keeps the returned token."""
        session = self._client._call(register.sync_detailed, body=_body(RegisterRequest, body, fields))
        self._client.set_token(session.token)
        return session

    def login(self, body: LoginRequest | Mapping[str, Any] | None = None, **fields: Any) -> AuthResponse:
        """``POST /auth/login``; the client keeps the returned token."""
        session = self._client._call(login.sync_detailed, body=_body(LoginRequest, body, fields))
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
    """Converts plain values of list filters to the generated types; absent ones stay unset."""
    converted: dict[str, Any] = {}
    for name, value in params.items():
        if value is None:
            continue
        if name == "sort":
            value = sort_type(value)
        elif enums and name in enums:
            value = [enums[name](item) for item in value]
        converted[name] = value
    return converted


class _ApiKeys:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client

    def list(self, **params: Any) -> ApiKeyList:
        """``GET /api-keys``: ``limit``, ``offset``, ``sort`` (``"name:asc"``…), ``start_date``, ``end_date``."""
        return self._client._call(list_api_keys.sync_detailed, **_list_params(ListApiKeysSort, params))

    def create(self, body: CreateApiKeyRequest | Mapping[str, Any] | None = None, **fields: Any) -> CreatedApiKey:
        """``POST /api-keys``: the answer's ``key`` is shown this once."""
        return self._client._call(create_api_key.sync_detailed, body=_body(CreateApiKeyRequest, body, fields))

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
        return self._client._call(create_user.sync_detailed, body=_body(CreateUserRequest, body, fields))

    def get(self, user_id: str) -> User:
        """``GET /users/{id}``."""
        return self._client._call(get_user.sync_detailed, id=user_id)

    def update(self, user_id: str, body: UpdateUserRequest | Mapping[str, Any] | None = None, **fields: Any) -> User:
        """``PUT /users/{id}``: any of ``username``, ``role``, ``is_active``."""
        return self._client._call(update_user.sync_detailed, id=user_id, body=_body(UpdateUserRequest, body, fields))

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
