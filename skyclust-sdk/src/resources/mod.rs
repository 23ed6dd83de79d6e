//! Per-resource handles, one module per resource: `client.auth()`, `client.users()`, …

use futures_util::Stream;
use skyclust_types::api_keys::ApiKeyListing;
use skyclust_types::audit::AuditLogListing;
use skyclust_types::credentials::CredentialListing;
use skyclust_types::notifications::NotificationListing;
use skyclust_types::users::UserListing;
use skyclust_types::workspaces::{MemberListing, WorkspaceListing};
use skyclust_types::{
    AddMemberRequest, CreateCredentialRequest, CreateWorkspaceRequest, Credential, CredentialList,
    MemberList, MemberPath, Notification, NotificationList, UpdateCredentialRequest, UpdateWorkspaceRequest,
    Workspace, WorkspaceList, WorkspaceMember,
};

use skyclust_types::{
    ApiKey, ApiKeyList, AuditLog, AuditLogList, AuthResponse, CreateApiKeyRequest, CreateUserRequest,
    CreatedApiKey, CurrentUser, DbHealth, Empty, Health, IdPath, ListQuery, LoginRequest, RedisHealth,
    RegisterRequest, UpdateUserRequest, User, UserList,
};
use uuid::Uuid;

use std::time::Duration;

use skyclust_types::events::{Event, EventType};
use skyclust_types::instances::{DeleteVmQuery, DiscoveredInstance, InstanceList, InstanceListing};
use skyclust_types::vms::VmListing;
use skyclust_types::{CostAnalysis, CostAnalysisQuery, CostBreakdown, CostBreakdownQuery, ProviderCatalog};
use skyclust_types::{CreateVmRequest, ImportVmRequest, Vm, VmList, VmStatus};

use crate::client::SkyClustClient;
use crate::error::{Error, Result};
use crate::events::Subscription;
use crate::pages::{all_items, all_items_at};

mod api_keys;
mod audit_logs;
mod auth;
mod costs;
mod credentials;
mod health;
mod notifications;
mod users;
mod vms;
mod workspaces;

pub use api_keys::ApiKeysHandle;
pub use audit_logs::AuditLogsHandle;
pub use auth::AuthHandle;
pub use costs::CostAnalysisHandle;
pub use costs::ProvidersHandle;
pub use credentials::CredentialsHandle;
pub use health::HealthHandle;
pub use notifications::NotificationsHandle;
pub use users::UsersHandle;
pub use vms::VmsHandle;
pub use workspaces::WorkspacesHandle;
