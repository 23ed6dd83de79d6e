"""Contains all the data models used in inputs/outputs"""

from .add_member_request import AddMemberRequest
from .add_workspace_member_response_201 import AddWorkspaceMemberResponse201
from .api_key import ApiKey
from .api_key_list import ApiKeyList
from .audit_log import AuditLog
from .audit_log_details_type_0 import AuditLogDetailsType0
from .audit_log_list import AuditLogList
from .auth_method import AuthMethod
from .auth_response import AuthResponse
from .aws_credential_data import AwsCredentialData
from .aws_credential_request import AwsCredentialRequest
from .aws_credential_request_provider import AwsCredentialRequestProvider
from .azure_credential_data import AzureCredentialData
from .azure_credential_request import AzureCredentialRequest
from .azure_credential_request_provider import AzureCredentialRequestProvider
from .client_message_type_0 import ClientMessageType0
from .client_message_type_0_type import ClientMessageType0Type
from .client_message_type_1 import ClientMessageType1
from .client_message_type_1_type import ClientMessageType1Type
from .client_message_type_2 import ClientMessageType2
from .client_message_type_2_type import ClientMessageType2Type
from .control_message_type_0 import ControlMessageType0
from .control_message_type_0_type import ControlMessageType0Type
from .control_message_type_1 import ControlMessageType1
from .control_message_type_1_type import ControlMessageType1Type
from .control_message_type_2 import ControlMessageType2
from .control_message_type_2_type import ControlMessageType2Type
from .control_message_type_3 import ControlMessageType3
from .control_message_type_3_type import ControlMessageType3Type
from .cost_analysis import CostAnalysis
from .cost_breakdown import CostBreakdown
from .cost_period import CostPeriod
from .cost_service import CostService
from .cost_source import CostSource
from .cost_update import CostUpdate
from .create_api_key_request import CreateApiKeyRequest
from .create_api_key_response_201 import CreateApiKeyResponse201
from .create_credential_response_201 import CreateCredentialResponse201
from .create_user_request import CreateUserRequest
from .create_user_response_201 import CreateUserResponse201
from .create_vm_request import CreateVmRequest
from .create_vm_response_202 import CreateVmResponse202
from .create_workspace_request import CreateWorkspaceRequest
from .create_workspace_response_201 import CreateWorkspaceResponse201
from .created_api_key import CreatedApiKey
from .credential import Credential
from .credential_list import CredentialList
from .current_user import CurrentUser
from .db_health import DbHealth
from .delete_api_key_response_200 import DeleteApiKeyResponse200
from .delete_credential_response_200 import DeleteCredentialResponse200
from .delete_user_response_200 import DeleteUserResponse200
from .delete_vm_response_202 import DeleteVmResponse202
from .delete_workspace_response_200 import DeleteWorkspaceResponse200
from .discovered_instance import DiscoveredInstance
from .discovered_instance_tags import DiscoveredInstanceTags
from .error_code import ErrorCode
from .error_response import ErrorResponse
from .error_response_data_type_0 import ErrorResponseDataType0
from .event_type import EventType
from .event_type_0 import EventType0
from .event_type_0_type import EventType0Type
from .event_type_1 import EventType1
from .event_type_1_type import EventType1Type
from .event_type_2 import EventType2
from .event_type_2_type import EventType2Type
from .event_type_3 import EventType3
from .event_type_3_type import EventType3Type
from .gcp_credential_data import GcpCredentialData
from .gcp_credential_data_type import GcpCredentialDataType
from .gcp_credential_data_universe_domain import GcpCredentialDataUniverseDomain
from .gcp_credential_request import GcpCredentialRequest
from .gcp_credential_request_provider import GcpCredentialRequestProvider
from .get_cost_analysis_response_200 import GetCostAnalysisResponse200
from .get_cost_breakdown_response_200 import GetCostBreakdownResponse200
from .get_credential_response_200 import GetCredentialResponse200
from .get_current_user_response_200 import GetCurrentUserResponse200
from .get_db_health_response_200 import GetDbHealthResponse200
from .get_health_response_200 import GetHealthResponse200
from .get_redis_health_response_200 import GetRedisHealthResponse200
from .get_user_response_200 import GetUserResponse200
from .get_vm_response_200 import GetVmResponse200
from .get_workspace_response_200 import GetWorkspaceResponse200
from .health import Health
from .health_metrics import HealthMetrics
from .health_status import HealthStatus
from .import_vm_request import ImportVmRequest
from .import_vm_response_201 import ImportVmResponse201
from .instance_list import InstanceList
from .instance_price import InstancePrice
from .list_api_keys_response_200 import ListApiKeysResponse200
from .list_api_keys_sort import ListApiKeysSort
from .list_audit_logs_response_200 import ListAuditLogsResponse200
from .list_audit_logs_sort import ListAuditLogsSort
from .list_credential_instances_response_200 import ListCredentialInstancesResponse200
from .list_credential_instances_sort import ListCredentialInstancesSort
from .list_credentials_response_200 import ListCredentialsResponse200
from .list_credentials_sort import ListCredentialsSort
from .list_notifications_response_200 import ListNotificationsResponse200
from .list_notifications_sort import ListNotificationsSort
from .list_providers_response_200 import ListProvidersResponse200
from .list_users_response_200 import ListUsersResponse200
from .list_users_sort import ListUsersSort
from .list_vms_response_200 import ListVmsResponse200
from .list_vms_sort import ListVmsSort
from .list_workspace_members_response_200 import ListWorkspaceMembersResponse200
from .list_workspace_members_sort import ListWorkspaceMembersSort
from .list_workspaces_response_200 import ListWorkspacesResponse200
from .list_workspaces_sort import ListWorkspacesSort
from .login_request import LoginRequest
from .login_response_200 import LoginResponse200
from .logout_response_200 import LogoutResponse200
from .mark_all_notifications_read_response_200 import (
    MarkAllNotificationsReadResponse200,
)
from .mark_notification_read_response_200 import MarkNotificationReadResponse200
from .member_list import MemberList
from .member_role import MemberRole
from .memory_metrics import MemoryMetrics
from .notification import Notification
from .notification_list import NotificationList
from .notification_type import NotificationType
from .pagination import Pagination
from .permission import Permission
from .priority import Priority
from .provider import Provider
from .provider_catalog import ProviderCatalog
from .provider_cost import ProviderCost
from .provider_offer import ProviderOffer
from .read_all_result import ReadAllResult
from .reboot_vm_response_202 import RebootVmResponse202
from .redis_health import RedisHealth
from .region_failure import RegionFailure
from .region_offer import RegionOffer
from .register_request import RegisterRequest
from .register_response_201 import RegisterResponse201
from .remove_workspace_member_response_200 import RemoveWorkspaceMemberResponse200
from .role import Role
from .sandbox_credential_data import SandboxCredentialData
from .sandbox_credential_request import SandboxCredentialRequest
from .sandbox_credential_request_provider import SandboxCredentialRequestProvider
from .service_cost import ServiceCost
from .start_vm_response_202 import StartVmResponse202
from .stop_vm_response_202 import StopVmResponse202
from .storage_price import StoragePrice
from .trend_point import TrendPoint
from .unpriced_vm import UnpricedVm
from .update_credential_request import UpdateCredentialRequest
from .update_credential_request_data_type_0 import UpdateCredentialRequestDataType0
from .update_credential_response_200 import UpdateCredentialResponse200
from .update_user_request import UpdateUserRequest
from .update_user_response_200 import UpdateUserResponse200
from .update_workspace_request import UpdateWorkspaceRequest
from .update_workspace_response_200 import UpdateWorkspaceResponse200
from .user import User
from .user_list import UserList
from .vm import Vm
from .vm_action import VmAction
from .vm_list import VmList
from .vm_status import VmStatus
from .vm_status_change import VmStatusChange
from .workspace import Workspace
from .workspace_list import WorkspaceList
from .workspace_member import WorkspaceMember

__all__ = (
    "AddMemberRequest",
    "AddWorkspaceMemberResponse201",
    "ApiKey",
    "ApiKeyList",
    "AuditLog",
    "AuditLogDetailsType0",
    "AuditLogList",
    "AuthMethod",
    "AuthResponse",
    "AwsCredentialData",
    "AwsCredentialRequest",
    "AwsCredentialRequestProvider",
    "AzureCredentialData",
    "AzureCredentialRequest",
    "AzureCredentialRequestProvider",
    "ClientMessageType0",
    "ClientMessageType0Type",
    "ClientMessageType1",
    "ClientMessageType1Type",
    "ClientMessageType2",
    "ClientMessageType2Type",
    "ControlMessageType0",
    "ControlMessageType0Type",
    "ControlMessageType1",
    "ControlMessageType1Type",
    "ControlMessageType2",
    "ControlMessageType2Type",
    "ControlMessageType3",
    "ControlMessageType3Type",
    "CostAnalysis",
    "CostBreakdown",
    "CostPeriod",
    "CostService",
    "CostSource",
    "CostUpdate",
    "CreateApiKeyRequest",
    "CreateApiKeyResponse201",
    "CreateCredentialResponse201",
    "CreateUserRequest",
    "CreateUserResponse201",
    "CreateVmRequest",
    "CreateVmResponse202",
    "CreateWorkspaceRequest",
    "CreateWorkspaceResponse201",
    "CreatedApiKey",
    "Credential",
    "CredentialList",
    "CurrentUser",
    "DbHealth",
    "DeleteApiKeyResponse200",
    "DeleteCredentialResponse200",
    "DeleteUserResponse200",
    "DeleteVmResponse202",
    "DeleteWorkspaceResponse200",
    "DiscoveredInstance",
    "DiscoveredInstanceTags",
    "ErrorCode",
    "ErrorResponse",
    "ErrorResponseDataType0",
    "EventType",
    "EventType0",
    "EventType0Type",
    "EventType1",
    "EventType1Type",
    "EventType2",
    "EventType2Type",
    "EventType3",
    "EventType3Type",
    "GcpCredentialData",
    "GcpCredentialDataType",
    "GcpCredentialDataUniverseDomain",
    "GcpCredentialRequest",
    "GcpCredentialRequestProvider",
    "GetCostAnalysisResponse200",
    "GetCostBreakdownResponse200",
    "GetCredentialResponse200",
    "GetCurrentUserResponse200",
    "GetDbHealthResponse200",
    "GetHealthResponse200",
    "GetRedisHealthResponse200",
    "GetUserResponse200",
    "GetVmResponse200",
    "GetWorkspaceResponse200",
    "Health",
    "HealthMetrics",
    "HealthStatus",
    "ImportVmRequest",
    "ImportVmResponse201",
    "InstanceList",
    "InstancePrice",
    "ListApiKeysResponse200",
    "ListApiKeysSort",
    "ListAuditLogsResponse200",
    "ListAuditLogsSort",
    "ListCredentialInstancesResponse200",
    "ListCredentialInstancesSort",
    "ListCredentialsResponse200",
    "ListCredentialsSort",
    "ListNotificationsResponse200",
    "ListNotificationsSort",
    "ListProvidersResponse200",
    "ListUsersResponse200",
    "ListUsersSort",
    "ListVmsResponse200",
    "ListVmsSort",
    "ListWorkspaceMembersResponse200",
    "ListWorkspaceMembersSort",
    "ListWorkspacesResponse200",
    "ListWorkspacesSort",
    "LoginRequest",
    "LoginResponse200",
    "LogoutResponse200",
    "MarkAllNotificationsReadResponse200",
    "MarkNotificationReadResponse200",
    "MemberList",
    "MemberRole",
    "MemoryMetrics",
    "Notification",
    "NotificationList",
    "NotificationType",
    "Pagination",
    "Permission",
    "Priority",
    "Provider",
    "ProviderCatalog",
    "ProviderCost",
    "ProviderOffer",
    "ReadAllResult",
    "RebootVmResponse202",
    "RedisHealth",
    "RegionFailure",
    "RegionOffer",
    "RegisterRequest",
    "RegisterResponse201",
    "RemoveWorkspaceMemberResponse200",
    "Role",
    "SandboxCredentialData",
    "SandboxCredentialRequest",
    "SandboxCredentialRequestProvider",
    "ServiceCost",
    "StartVmResponse202",
    "StopVmResponse202",
    "StoragePrice",
    "TrendPoint",
    "UnpricedVm",
    "UpdateCredentialRequest",
    "UpdateCredentialRequestDataType0",
    "UpdateCredentialResponse200",
    "UpdateUserRequest",
    "UpdateUserResponse200",
    "UpdateWorkspaceRequest",
    "UpdateWorkspaceResponse200",
    "User",
    "UserList",
    "Vm",
    "VmAction",
    "VmList",
    "VmStatus",
    "VmStatusChange",
    "Workspace",
    "WorkspaceList",
    "WorkspaceMember",
)
