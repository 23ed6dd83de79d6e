"""Contains all the data models used in inputs/outputs"""

from .api_key import ApiKey
from .api_key_list import ApiKeyList
from .audit_log import AuditLog
from .audit_log_details_type_0 import AuditLogDetailsType0
from .audit_log_list import AuditLogList
from .auth_method import AuthMethod
from .auth_response import AuthResponse
from .create_api_key_request import CreateApiKeyRequest
from .create_api_key_response_201 import CreateApiKeyResponse201
from .create_user_request import CreateUserRequest
from .create_user_response_201 import CreateUserResponse201
from .created_api_key import CreatedApiKey
from .current_user import CurrentUser
from .db_health import DbHealth
from .delete_api_key_response_200 import DeleteApiKeyResponse200
from .delete_user_response_200 import DeleteUserResponse200
from .error_code import ErrorCode
from .error_response import ErrorResponse
from .error_response_data_type_0 import ErrorResponseDataType0
from .get_current_user_response_200 import GetCurrentUserResponse200
from .get_db_health_response_200 import GetDbHealthResponse200
from .get_health_response_200 import GetHealthResponse200
from .get_redis_health_response_200 import GetRedisHealthResponse200
from .get_user_response_200 import GetUserResponse200
from .health import Health
from .health_metrics import HealthMetrics
from .health_status import HealthStatus
from .list_api_keys_response_200 import ListApiKeysResponse200
from .list_api_keys_sort import ListApiKeysSort
from .list_audit_logs_response_200 import ListAuditLogsResponse200
from .list_audit_logs_sort import ListAuditLogsSort
from .list_users_response_200 import ListUsersResponse200
from .list_users_sort import ListUsersSort
from .login_request import LoginRequest
from .login_response_200 import LoginResponse200
from .logout_response_200 import LogoutResponse200
from .memory_metrics import MemoryMetrics
from .pagination import Pagination
from .permission import Permission
from .redis_health import RedisHealth
from .register_request import RegisterRequest
from .register_response_201 import RegisterResponse201
from .role import Role
from .update_user_request import UpdateUserRequest
from .update_user_response_200 import UpdateUserResponse200
from .user import User
from .user_list import UserList

__all__ = (
    "ApiKey",
    "ApiKeyList",
    "AuditLog",
    "AuditLogDetailsType0",
    "AuditLogList",
    "AuthMethod",
    "AuthResponse",
    "CreateApiKeyRequest",
    "CreateApiKeyResponse201",
    "CreateUserRequest",
    "CreateUserResponse201",
    "CreatedApiKey",
    "CurrentUser",
    "DbHealth",
    "DeleteApiKeyResponse200",
    "DeleteUserResponse200",
    "ErrorCode",
    "ErrorResponse",
    "ErrorResponseDataType0",
    "GetCurrentUserResponse200",
    "GetDbHealthResponse200",
    "GetHealthResponse200",
    "GetRedisHealthResponse200",
    "GetUserResponse200",
    "Health",
    "HealthMetrics",
    "HealthStatus",
    "ListApiKeysResponse200",
    "ListApiKeysSort",
    "ListAuditLogsResponse200",
    "ListAuditLogsSort",
    "ListUsersResponse200",
    "ListUsersSort",
    "LoginRequest",
    "LoginResponse200",
    "LogoutResponse200",
    "MemoryMetrics",
    "Pagination",
    "Permission",
    "RedisHealth",
    "RegisterRequest",
    "RegisterResponse201",
    "Role",
    "UpdateUserRequest",
    "UpdateUserResponse200",
    "User",
    "UserList",
)
