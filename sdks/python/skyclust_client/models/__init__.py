"""Contains all the data models used in inputs/outputs"""

from .auth_method import AuthMethod
from .auth_response import AuthResponse
from .current_user import CurrentUser
from .db_health import DbHealth
from .error_code import ErrorCode
from .error_response import ErrorResponse
from .error_response_data_type_0 import ErrorResponseDataType0
from .get_current_user_response_200 import GetCurrentUserResponse200
from .get_db_health_response_200 import GetDbHealthResponse200
from .get_health_response_200 import GetHealthResponse200
from .get_redis_health_response_200 import GetRedisHealthResponse200
from .health import Health
from .health_metrics import HealthMetrics
from .health_status import HealthStatus
from .login_request import LoginRequest
from .login_response_200 import LoginResponse200
from .logout_response_200 import LogoutResponse200
from .memory_metrics import MemoryMetrics
from .permission import Permission
from .redis_health import RedisHealth
from .register_request import RegisterRequest
from .register_response_201 import RegisterResponse201
from .role import Role
from .user import User

__all__ = (
    "AuthMethod",
    "AuthResponse",
    "CurrentUser",
    "DbHealth",
    "ErrorCode",
    "ErrorResponse",
    "ErrorResponseDataType0",
    "GetCurrentUserResponse200",
    "GetDbHealthResponse200",
    "GetHealthResponse200",
    "GetRedisHealthResponse200",
    "Health",
    "HealthMetrics",
    "HealthStatus",
    "LoginRequest",
    "LoginResponse200",
    "LogoutResponse200",
    "MemoryMetrics",
    "Permission",
    "RedisHealth",
    "RegisterRequest",
    "RegisterResponse201",
    "Role",
    "User",
)
