//! The SkyClust API contract.
//!
//! Everything the server, the SDKs and the OpenAPI document agree on lives here: the
//! response envelope and error codes, the models, and one [`Endpoint`] declaration per
//! operation (see [`operations`]). [`openapi()`] builds the OpenAPI 3.1 document from those
//! declarations; `openapi.json` at the repository root is its committed output.
//!
//! ```
//! use skyclust_types::{Endpoint, operations::health::GetHealth};
//! assert_eq!(GetHealth::PATH, "/health");
//! ```

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod costs;
pub mod credentials;
pub mod endpoint;
pub mod envelope;
pub mod error;
pub mod events;

pub mod headers;
pub mod health;
pub mod instances;
pub mod list;
pub mod notifications;
pub mod openapi;
pub mod operations;
pub mod users;
pub mod validation;
pub mod vms;
pub mod wire;
pub mod workspaces;

pub use api_keys::{ApiKey, ApiKeyList, CreateApiKeyRequest, CreatedApiKey};
pub use audit::{AuditLog, AuditLogFilters, AuditLogList};
pub use auth::{
    AuthMethod, AuthResponse, CurrentUser, LoginRequest, Permission, RegisterRequest, Role, User,
};
pub use costs::{
    CostAnalysis, CostAnalysisQuery, CostBreakdown, CostBreakdownQuery, CostPeriod, CostService, CostSource,
    ProviderCatalog,
};
pub use credentials::{
    AwsCredentialData, AzureCredentialData, CreateCredentialRequest, Credential, CredentialData,
    CredentialFilters, CredentialList, GcpCredentialData, Provider, SandboxCredentialData,
    UpdateCredentialRequest,
};
pub use endpoint::{Access, Audit, Empty, Endpoint, IdPath, Method, Operation, Params, Payload};
pub use envelope::{ApiResponse, ErrorResponse};
pub use error::ErrorCode;
pub use health::{DbHealth, Health, HealthMetrics, HealthStatus, MemoryMetrics, RedisHealth};
pub use instances::{
    DeleteVmQuery, DiscoveredInstance, ImportVmRequest, InstanceFilters, InstanceList, RegionFailure,
};
pub use list::{ListQuery, Page, Pagination, SortDirection};
pub use notifications::{
    Notification, NotificationFilters, NotificationList, NotificationType, Priority, ReadAllResult,
};
pub use openapi::{openapi, openapi_json};
pub use users::{CreateUserRequest, UpdateUserRequest, UserFilters, UserList};
pub use vms::{CreateVmRequest, Vm, VmAction, VmFilters, VmList, VmStatus};
pub use workspaces::{
    AddMemberRequest, CreateWorkspaceRequest, MemberList, MemberPath, MemberRole, UpdateWorkspaceRequest,
    Workspace, WorkspaceFilters, WorkspaceList, WorkspaceMember,
};

pub use validation::{FieldErrors, Validate};
