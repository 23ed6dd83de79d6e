"""Registration and sign-in, health, API keys, users and the audit log."""

from __future__ import annotations

from typing import Any

from skyclust._core import (
    Body,
    Call,
    DateLike,
    Id,
    ListCall,
    OneOrMany,
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
from skyclust_client.api.health import get_db_health as _get_db_health
from skyclust_client.api.health import get_health as _get_health
from skyclust_client.api.health import get_redis_health as _get_redis_health
from skyclust_client.api.users import create_user as _create_user
from skyclust_client.api.users import delete_user as _delete_user
from skyclust_client.api.users import get_user as _get_user
from skyclust_client.api.users import list_users as _list_users
from skyclust_client.api.users import update_user as _update_user
from skyclust_client.models import (
    ApiKey,
    ApiKeyList,
    AuditLog,
    AuditLogList,
    AuthResponse,
    CreateApiKeyRequest,
    CreatedApiKey,
    CreateUserRequest,
    CurrentUser,
    DbHealth,
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


def _keep_token(session: Session, answer: AuthResponse) -> None:
    session.set_token(answer.token)


def _forget_token(session: Session, answer: None) -> None:
    session.set_token(None)


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
