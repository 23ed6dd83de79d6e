//! Every operation of the API, declared once. [`ALL`] lists them for the document generator
//! and the drift tests; the server routes and the SDK calls name these same types.

use crate::endpoint::{Access, Audit, Empty, Endpoint, IdPath, Method, Operation};
use crate::{ErrorCode, Permission};

/// Every declared operation, in document order.
pub const ALL: &[Operation] = &[
    Operation::of::<auth::Register>(),
    Operation::of::<auth::Login>(),
    Operation::of::<auth::Logout>(),
    Operation::of::<auth::Me>(),
    Operation::of::<api_keys::ListApiKeys>(),
    Operation::of::<api_keys::CreateApiKey>(),
    Operation::of::<api_keys::DeleteApiKey>(),
    Operation::of::<users::ListUsers>(),
    Operation::of::<users::CreateUser>(),
    Operation::of::<users::GetUser>(),
    Operation::of::<users::UpdateUser>(),
    Operation::of::<users::DeleteUser>(),
    Operation::of::<audit::ListAuditLogs>(),
    Operation::of::<workspaces::ListWorkspaces>(),
    Operation::of::<workspaces::CreateWorkspace>(),
    Operation::of::<workspaces::GetWorkspace>(),
    Operation::of::<workspaces::UpdateWorkspace>(),
    Operation::of::<workspaces::DeleteWorkspace>(),
    Operation::of::<workspaces::ListMembers>(),
    Operation::of::<workspaces::AddMember>(),
    Operation::of::<workspaces::RemoveMember>(),
    Operation::of::<credentials::ListCredentials>(),
    Operation::of::<credentials::CreateCredential>(),
    Operation::of::<credentials::GetCredential>(),
    Operation::of::<credentials::UpdateCredential>(),
    Operation::of::<credentials::DeleteCredential>(),
    Operation::of::<credentials::ListCredentialInstances>(),
    Operation::of::<notifications::ListNotifications>(),
    Operation::of::<notifications::MarkRead>(),
    Operation::of::<notifications::MarkAllRead>(),
    Operation::of::<vms::ListVms>(),
    Operation::of::<vms::CreateVm>(),
    Operation::of::<vms::ImportVm>(),
    Operation::of::<vms::GetVm>(),
    Operation::of::<vms::DeleteVm>(),
    Operation::of::<vms::StartVm>(),
    Operation::of::<vms::StopVm>(),
    Operation::of::<vms::RebootVm>(),
    Operation::of::<costs::ListProviders>(),
    Operation::of::<costs::GetCostAnalysis>(),
    Operation::of::<costs::GetCostBreakdown>(),
    Operation::of::<health::GetHealth>(),
    Operation::of::<health::GetDbHealth>(),
    Operation::of::<health::GetRedisHealth>(),
];

/// Sign-up, sign-in, sign-out and the current caller.
pub mod auth {
    use super::*;
    use crate::auth::{AuthResponse, CurrentUser, LoginRequest, RegisterRequest};

    /// `POST /auth/register`: create an account and sign in.
    #[derive(Debug)]
    pub struct Register;
    impl Endpoint for Register {
        const ID: &'static str = "register";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/auth/register";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "Register a new user";
        const DESCRIPTION: &'static str = "The first user ever registered becomes `admin`; later users get `user`. \
             Answers 409 when the email or username is taken, 403 when registration is closed.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("User registered successfully");
        const ACCESS: Access = Access::Public;
        const AUDIT: Option<Audit> = Some(Audit { action: "register", resource: "user" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Conflict, ErrorCode::Forbidden];
        type Path = Empty;
        type Query = Empty;
        type Body = RegisterRequest;
        type Response = AuthResponse;
    }

    /// `POST /auth/login`: exchange email and password for a token.
    #[derive(Debug)]
    pub struct Login;
    impl Endpoint for Login {
        const ID: &'static str = "login";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/auth/login";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "Sign in with email and password";
        const DESCRIPTION: &'static str = "Unknown emails and wrong passwords get the same 401 answer.";
        const MESSAGE: Option<&'static str> = Some("Login successful");
        const ACCESS: Access = Access::Public;
        const AUDIT: Option<Audit> = Some(Audit { action: "login", resource: "session" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Unauthorized];
        type Path = Empty;
        type Query = Empty;
        type Body = LoginRequest;
        type Response = AuthResponse;
    }

    /// `POST /auth/logout`: revoke the token that made this request.
    #[derive(Debug)]
    pub struct Logout;
    impl Endpoint for Logout {
        const ID: &'static str = "logout";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/auth/logout";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "Revoke the current token";
        const DESCRIPTION: &'static str =
            "The bearer token of this request is refused from now on, until it would have expired.";
        const MESSAGE: Option<&'static str> = Some("Logout successful");
        const ACCESS: Access = Access::Authenticated(None);
        const AUDIT: Option<Audit> = Some(Audit { action: "logout", resource: "session" });
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }

    /// `GET /auth/me`: the caller, its role and permissions.
    #[derive(Debug)]
    pub struct Me;
    impl Endpoint for Me {
        const ID: &'static str = "get_current_user";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/auth/me";
        const TAG: &'static str = "auth";
        const SUMMARY: &'static str = "The authenticated caller";
        const ACCESS: Access = Access::Authenticated(None);
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = CurrentUser;
    }
}

/// Liveness and dependency checks.
pub mod health {
    use super::*;
    use crate::health::{DbHealth, Health, RedisHealth};

    /// `GET /health`: public liveness, with process metrics for `system:read` holders.
    #[derive(Debug)]
    pub struct GetHealth;
    impl Endpoint for GetHealth {
        const ID: &'static str = "get_health";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/health";
        const TAG: &'static str = "health";
        const SUMMARY: &'static str = "Server health";
        const DESCRIPTION: &'static str = "Public and exempt from rate limiting. Callers holding `system:read` also get \
             `metrics`. Credentials are optional, but when sent they must be valid.";
        const ACCESS: Access = Access::Optional;
        const RATE_LIMITED: bool = false;
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = Health;
    }

    /// `GET /health/db`: a measured database round-trip and pool figures.
    #[derive(Debug)]
    pub struct GetDbHealth;
    impl Endpoint for GetDbHealth {
        const ID: &'static str = "get_db_health";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/health/db";
        const TAG: &'static str = "health";
        const SUMMARY: &'static str = "Database health";
        const DESCRIPTION: &'static str =
            "Answers 503 (with the figures in `data`) when the database does not answer.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::SystemRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::ServiceUnavailable];
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = DbHealth;
    }

    /// `GET /health/redis`: Redis figures, or `disabled` when none is configured.
    #[derive(Debug)]
    pub struct GetRedisHealth;
    impl Endpoint for GetRedisHealth {
        const ID: &'static str = "get_redis_health";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/health/redis";
        const TAG: &'static str = "health";
        const SUMMARY: &'static str = "Redis health";
        const DESCRIPTION: &'static str =
            "Answers `\"status\": \"disabled\"` while no Redis is configured, 503 when it does not answer.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::SystemRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::ServiceUnavailable];
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = RedisHealth;
    }
}

/// API keys of the caller (`X-API-Key`).
pub mod api_keys {
    use super::*;
    use crate::api_keys::{ApiKeyList, ApiKeyListing, CreateApiKeyRequest, CreatedApiKey};
    use crate::list::ListQuery;

    /// `GET /api-keys`: the caller's keys (never the keys themselves).
    #[derive(Debug)]
    pub struct ListApiKeys;
    impl Endpoint for ListApiKeys {
        const ID: &'static str = "list_api_keys";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/api-keys";
        const TAG: &'static str = "api-keys";
        const SUMMARY: &'static str = "List your API keys";
        const ACCESS: Access = Access::Authenticated(None);
        type Path = Empty;
        type Query = ListQuery<ApiKeyListing>;
        type Body = Empty;
        type Response = ApiKeyList;
    }

    /// `POST /api-keys`: create a key, shown once.
    #[derive(Debug)]
    pub struct CreateApiKey;
    impl Endpoint for CreateApiKey {
        const ID: &'static str = "create_api_key";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/api-keys";
        const TAG: &'static str = "api-keys";
        const SUMMARY: &'static str = "Create an API key";
        const DESCRIPTION: &'static str = "The key (`sk_…`) is in the answer and never again: only its SHA-256 is stored. \
             It acts as its owner, restricted to read operations when `read_only` is set.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("API key created; store it now, it cannot be shown again");
        const ACCESS: Access = Access::Authenticated(None);
        const AUDIT: Option<Audit> = Some(Audit { action: "create", resource: "api_key" });
        type Path = Empty;
        type Query = Empty;
        type Body = CreateApiKeyRequest;
        type Response = CreatedApiKey;
    }

    /// `DELETE /api-keys/{id}`: revoke one of the caller's keys.
    #[derive(Debug)]
    pub struct DeleteApiKey;
    impl Endpoint for DeleteApiKey {
        const ID: &'static str = "delete_api_key";
        const METHOD: Method = Method::Delete;
        const PATH: &'static str = "/api-keys/{id}";
        const TAG: &'static str = "api-keys";
        const SUMMARY: &'static str = "Revoke an API key";
        const DESCRIPTION: &'static str = "The key stops working at once.";
        const MESSAGE: Option<&'static str> = Some("API key revoked");
        const ACCESS: Access = Access::Authenticated(None);
        const AUDIT: Option<Audit> = Some(Audit { action: "revoke", resource: "api_key" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }
}

/// User administration.
pub mod users {
    use super::*;
    use crate::auth::User;
    use crate::list::ListQuery;
    use crate::users::{CreateUserRequest, UpdateUserRequest, UserList, UserListing};

    /// `GET /users`.
    #[derive(Debug)]
    pub struct ListUsers;
    impl Endpoint for ListUsers {
        const ID: &'static str = "list_users";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/users";
        const TAG: &'static str = "users";
        const SUMMARY: &'static str = "List users";
        const ACCESS: Access = Access::Authenticated(Some(Permission::UserRead));
        type Path = Empty;
        type Query = ListQuery<UserListing>;
        type Body = Empty;
        type Response = UserList;
    }

    /// `POST /users`.
    #[derive(Debug)]
    pub struct CreateUser;
    impl Endpoint for CreateUser {
        const ID: &'static str = "create_user";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/users";
        const TAG: &'static str = "users";
        const SUMMARY: &'static str = "Create a user";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("User created successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::UserCreate));
        const AUDIT: Option<Audit> = Some(Audit { action: "create", resource: "user" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Conflict];
        type Path = Empty;
        type Query = Empty;
        type Body = CreateUserRequest;
        type Response = User;
    }

    /// `GET /users/{id}`.
    #[derive(Debug)]
    pub struct GetUser;
    impl Endpoint for GetUser {
        const ID: &'static str = "get_user";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/users/{id}";
        const TAG: &'static str = "users";
        const SUMMARY: &'static str = "Get a user";
        const ACCESS: Access = Access::Authenticated(Some(Permission::UserRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = User;
    }

    /// `PUT /users/{id}`.
    #[derive(Debug)]
    pub struct UpdateUser;
    impl Endpoint for UpdateUser {
        const ID: &'static str = "update_user";
        const METHOD: Method = Method::Put;
        const PATH: &'static str = "/users/{id}";
        const TAG: &'static str = "users";
        const SUMMARY: &'static str = "Change a user's username, role or activation";
        const DESCRIPTION: &'static str = "A role change applies to the user's existing tokens at once; deactivation \
             makes them stop working. The last active admin cannot be demoted or deactivated (409).";
        const MESSAGE: Option<&'static str> = Some("User updated successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::UserUpdate));
        const AUDIT: Option<Audit> = Some(Audit { action: "update", resource: "user" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = UpdateUserRequest;
        type Response = User;
    }

    /// `DELETE /users/{id}`.
    #[derive(Debug)]
    pub struct DeleteUser;
    impl Endpoint for DeleteUser {
        const ID: &'static str = "delete_user";
        const METHOD: Method = Method::Delete;
        const PATH: &'static str = "/users/{id}";
        const TAG: &'static str = "users";
        const SUMMARY: &'static str = "Delete a user";
        const DESCRIPTION: &'static str =
            "Also revokes the user's API keys. The last active admin cannot be deleted (409).";
        const MESSAGE: Option<&'static str> = Some("User deleted successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::UserDelete));
        const AUDIT: Option<Audit> = Some(Audit { action: "delete", resource: "user" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }
}

/// The audit log.
pub mod audit {
    use super::*;
    use crate::audit::{AuditLogList, AuditLogListing};
    use crate::list::ListQuery;

    /// `GET /audit-logs`.
    #[derive(Debug)]
    pub struct ListAuditLogs;
    impl Endpoint for ListAuditLogs {
        const ID: &'static str = "list_audit_logs";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/audit-logs";
        const TAG: &'static str = "audit-logs";
        const SUMMARY: &'static str = "Read the audit log";
        const DESCRIPTION: &'static str = "Every state-changing request and every sign-in, sign-out and registration, \
             newest first by default.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::AuditRead));
        type Path = Empty;
        type Query = ListQuery<AuditLogListing>;
        type Body = Empty;
        type Response = AuditLogList;
    }
}

/// Workspaces and their members.
pub mod workspaces {
    use super::*;
    use crate::list::ListQuery;
    use crate::workspaces::{
        AddMemberRequest, CreateWorkspaceRequest, MemberList, MemberListing, MemberPath,
        UpdateWorkspaceRequest, Workspace, WorkspaceList, WorkspaceListing, WorkspaceMember,
    };

    const VISIBILITY: &str = "Workspaces you neither own nor belong to answer 404 (admins see all).";

    /// `GET /workspaces`.
    #[derive(Debug)]
    pub struct ListWorkspaces;
    impl Endpoint for ListWorkspaces {
        const ID: &'static str = "list_workspaces";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/workspaces";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "List your workspaces";
        const DESCRIPTION: &'static str = "The workspaces you own or are a member of; admins see all.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceRead));
        type Path = Empty;
        type Query = ListQuery<WorkspaceListing>;
        type Body = Empty;
        type Response = WorkspaceList;
    }

    /// `POST /workspaces`.
    #[derive(Debug)]
    pub struct CreateWorkspace;
    impl Endpoint for CreateWorkspace {
        const ID: &'static str = "create_workspace";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/workspaces";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "Create a workspace";
        const DESCRIPTION: &'static str =
            "Names are unique among your workspaces (case-insensitive); a taken name is a 409.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("Workspace created successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "create", resource: "workspace" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Conflict];
        type Path = Empty;
        type Query = Empty;
        type Body = CreateWorkspaceRequest;
        type Response = Workspace;
    }

    /// `GET /workspaces/{id}`.
    #[derive(Debug)]
    pub struct GetWorkspace;
    impl Endpoint for GetWorkspace {
        const ID: &'static str = "get_workspace";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/workspaces/{id}";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "Get a workspace";
        const DESCRIPTION: &'static str = VISIBILITY;
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Workspace;
    }

    /// `PUT /workspaces/{id}`.
    #[derive(Debug)]
    pub struct UpdateWorkspace;
    impl Endpoint for UpdateWorkspace {
        const ID: &'static str = "update_workspace";
        const METHOD: Method = Method::Put;
        const PATH: &'static str = "/workspaces/{id}";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "Change a workspace";
        const DESCRIPTION: &'static str = "For the owner, workspace admins and system admins (others who can see it: \
             403). Concurrent changes are applied one after the other; the last one wins.";
        const MESSAGE: Option<&'static str> = Some("Workspace updated successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "update", resource: "workspace" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = UpdateWorkspaceRequest;
        type Response = Workspace;
    }

    /// `DELETE /workspaces/{id}`.
    #[derive(Debug)]
    pub struct DeleteWorkspace;
    impl Endpoint for DeleteWorkspace {
        const ID: &'static str = "delete_workspace";
        const METHOD: Method = Method::Delete;
        const PATH: &'static str = "/workspaces/{id}";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "Delete a workspace";
        const DESCRIPTION: &'static str = "For the owner and system admins. Refused (409) while the workspace holds \
             VMs that are not terminated, and always for a personal workspace.";
        const MESSAGE: Option<&'static str> = Some("Workspace deleted successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "delete", resource: "workspace" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }

    /// `GET /workspaces/{id}/members`.
    #[derive(Debug)]
    pub struct ListMembers;
    impl Endpoint for ListMembers {
        const ID: &'static str = "list_workspace_members";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/workspaces/{id}/members";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "List a workspace's members";
        const DESCRIPTION: &'static str = VISIBILITY;
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = ListQuery<MemberListing>;
        type Body = Empty;
        type Response = MemberList;
    }

    /// `POST /workspaces/{id}/members`.
    #[derive(Debug)]
    pub struct AddMember;
    impl Endpoint for AddMember {
        const ID: &'static str = "add_workspace_member";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/workspaces/{id}/members";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "Add a member";
        const DESCRIPTION: &'static str = "For the owner, workspace admins and system admins. The new member is \
             notified. An unknown user is a 404; the owner or an existing member, a 409.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("Member added successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "add_member", resource: "workspace" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = AddMemberRequest;
        type Response = WorkspaceMember;
    }

    /// `DELETE /workspaces/{id}/members/{user_id}`.
    #[derive(Debug)]
    pub struct RemoveMember;
    impl Endpoint for RemoveMember {
        const ID: &'static str = "remove_workspace_member";
        const METHOD: Method = Method::Delete;
        const PATH: &'static str = "/workspaces/{id}/members/{user_id}";
        const TAG: &'static str = "workspaces";
        const SUMMARY: &'static str = "Remove a member";
        const DESCRIPTION: &'static str = "For the owner, workspace admins and system admins, with \
             `workspace:manage`; any member may remove themselves (leave), whatever their role. The removed \
             member is notified, unless they left. Refused (409) while the member's credentials serve VMs of \
             the workspace that are not terminated.";
        const MESSAGE: Option<&'static str> = Some("Member removed successfully");
        // Reading is enough to leave; removing someone else takes `workspace:manage` as well.
        const ACCESS: Access = Access::Authenticated(Some(Permission::WorkspaceRead));
        const AUDIT: Option<Audit> = Some(Audit { action: "remove_member", resource: "workspace" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = MemberPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }
}

/// Cloud credentials of the caller.
pub mod credentials {
    use super::*;
    use crate::credentials::{
        CreateCredentialRequest, Credential, CredentialList, CredentialListing, UpdateCredentialRequest,
    };
    use crate::instances::{InstanceList, InstanceListing};
    use crate::list::ListQuery;

    const OWNED: &str = "Credentials belong to the user who created them; anyone else gets 404.";

    /// `GET /credentials`.
    #[derive(Debug)]
    pub struct ListCredentials;
    impl Endpoint for ListCredentials {
        const ID: &'static str = "list_credentials";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/credentials";
        const TAG: &'static str = "credentials";
        const SUMMARY: &'static str = "List your credentials";
        const ACCESS: Access = Access::Authenticated(Some(Permission::CredentialRead));
        type Path = Empty;
        type Query = ListQuery<CredentialListing>;
        type Body = Empty;
        type Response = CredentialList;
    }

    /// `POST /credentials`.
    #[derive(Debug)]
    pub struct CreateCredential;
    impl Endpoint for CreateCredential {
        const ID: &'static str = "create_credential";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/credentials";
        const TAG: &'static str = "credentials";
        const SUMMARY: &'static str = "Store a credential";
        const DESCRIPTION: &'static str = "`data` is checked against the provider's fields and stored encrypted \
             (AES-256-GCM); answers only ever carry a masked hint.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("Credential created successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::CredentialManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "create", resource: "credential" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::Conflict];
        type Path = Empty;
        type Query = Empty;
        type Body = CreateCredentialRequest;
        type Response = Credential;
    }

    /// `GET /credentials/{id}`.
    #[derive(Debug)]
    pub struct GetCredential;
    impl Endpoint for GetCredential {
        const ID: &'static str = "get_credential";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/credentials/{id}";
        const TAG: &'static str = "credentials";
        const SUMMARY: &'static str = "Get a credential (never its secrets)";
        const DESCRIPTION: &'static str = OWNED;
        const ACCESS: Access = Access::Authenticated(Some(Permission::CredentialRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Credential;
    }

    /// `PUT /credentials/{id}`.
    #[derive(Debug)]
    pub struct UpdateCredential;
    impl Endpoint for UpdateCredential {
        const ID: &'static str = "update_credential";
        const METHOD: Method = Method::Put;
        const PATH: &'static str = "/credentials/{id}";
        const TAG: &'static str = "credentials";
        const SUMMARY: &'static str = "Change a credential";
        const DESCRIPTION: &'static str = "New `data` replaces the stored fields and is re-encrypted with a fresh \
             nonce under the current key. Credentials belong to their creator; anyone else gets 404.";
        const MESSAGE: Option<&'static str> = Some("Credential updated successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::CredentialManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "update", resource: "credential" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = UpdateCredentialRequest;
        type Response = Credential;
    }

    /// `DELETE /credentials/{id}`.
    #[derive(Debug)]
    pub struct DeleteCredential;
    impl Endpoint for DeleteCredential {
        const ID: &'static str = "delete_credential";
        const METHOD: Method = Method::Delete;
        const PATH: &'static str = "/credentials/{id}";
        const TAG: &'static str = "credentials";
        const SUMMARY: &'static str = "Delete a credential";
        const DESCRIPTION: &'static str = "Credentials belong to the user who created them; anyone else gets 404. \
             A credential that VMs which are not terminated still use cannot be deleted (409).";
        const MESSAGE: Option<&'static str> = Some("Credential deleted successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::CredentialManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "delete", resource: "credential" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }

    /// `GET /credentials/{id}/instances`.
    #[derive(Debug)]
    pub struct ListCredentialInstances;
    impl Endpoint for ListCredentialInstances {
        const ID: &'static str = "list_credential_instances";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/credentials/{id}/instances";
        const TAG: &'static str = "credentials";
        const SUMMARY: &'static str = "Discover the instances of a credential's account";
        const DESCRIPTION: &'static str = "Lists the instances the provider reports in the credential's \
             account, whether SkyClust created them or not, each marked `managed` (with `vm_id` when you can see \
             the VM) or unmanaged; an unmanaged one can be brought under management with `POST /vms/import`. \
             `region` names the regions to read (the credential's region, or the regions SkyClust prices, when \
             absent). A region the provider fails to answer for is listed in `failed_regions` and the others are \
             answered all the same; when every region fails the answer is `PROVIDER_ERROR` with the provider's \
             message. What the provider said is reused for 30 seconds, so paging through the list reads the \
             provider once. Credentials belong to the user who created them; anyone else gets 404.";
        const ACCESS: Access = Access::Authenticated(Some(Permission::CredentialRead));
        const ERRORS: &'static [ErrorCode] =
            &[ErrorCode::NotFound, ErrorCode::ProviderError, ErrorCode::ServiceUnavailable];
        type Path = IdPath;
        type Query = ListQuery<InstanceListing>;
        type Body = Empty;
        type Response = InstanceList;
    }
}

/// The caller's notifications.
pub mod notifications {
    use super::*;
    use crate::list::ListQuery;
    use crate::notifications::{NotificationList, NotificationListing, ReadAllResult};

    /// `GET /notifications`.
    #[derive(Debug)]
    pub struct ListNotifications;
    impl Endpoint for ListNotifications {
        const ID: &'static str = "list_notifications";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/notifications";
        const TAG: &'static str = "notifications";
        const SUMMARY: &'static str = "List your notifications";
        const ACCESS: Access = Access::Authenticated(None);
        type Path = Empty;
        type Query = ListQuery<NotificationListing>;
        type Body = Empty;
        type Response = NotificationList;
    }

    /// `PUT /notifications/{id}/read`.
    #[derive(Debug)]
    pub struct MarkRead;
    impl Endpoint for MarkRead {
        const ID: &'static str = "mark_notification_read";
        const METHOD: Method = Method::Put;
        const PATH: &'static str = "/notifications/{id}/read";
        const TAG: &'static str = "notifications";
        const SUMMARY: &'static str = "Mark a notification read";
        const DESCRIPTION: &'static str =
            "Only your own notifications; anyone else's is a 404. Marking twice is harmless.";
        const MESSAGE: Option<&'static str> = Some("Notification marked as read");
        const ACCESS: Access = Access::Authenticated(None);
        const AUDIT: Option<Audit> = Some(Audit { action: "read", resource: "notification" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Empty;
    }

    /// `PUT /notifications/read-all`.
    #[derive(Debug)]
    pub struct MarkAllRead;
    impl Endpoint for MarkAllRead {
        const ID: &'static str = "mark_all_notifications_read";
        const METHOD: Method = Method::Put;
        const PATH: &'static str = "/notifications/read-all";
        const TAG: &'static str = "notifications";
        const SUMMARY: &'static str = "Mark all your notifications read";
        const MESSAGE: Option<&'static str> = Some("All notifications marked as read");
        const ACCESS: Access = Access::Authenticated(None);
        const AUDIT: Option<Audit> = Some(Audit { action: "read_all", resource: "notification" });
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = ReadAllResult;
    }
}

/// Virtual machines.
pub mod vms {
    use super::*;
    use crate::instances::{DeleteVmQuery, ImportVmRequest};
    use crate::list::ListQuery;
    use crate::vms::{CreateVmRequest, Vm, VmList, VmListing};

    const ASYNC: &str = "Answers 202 at once with the VM; the provider works in the background, and \
                         `vm_status_changed` events (or `GET /vms/{id}`) follow its progress. An action \
                         the VM's current status does not allow (see its `actions`) is a 409.";

    /// `GET /vms`.
    #[derive(Debug)]
    pub struct ListVms;
    impl Endpoint for ListVms {
        const ID: &'static str = "list_vms";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/vms";
        const TAG: &'static str = "vms";
        const SUMMARY: &'static str = "List VMs";
        const DESCRIPTION: &'static str = "The VMs of the workspaces you can see (admins: all).";
        const ACCESS: Access = Access::Authenticated(Some(Permission::VmRead));
        type Path = Empty;
        type Query = ListQuery<VmListing>;
        type Body = Empty;
        type Response = VmList;
    }

    /// `POST /vms`.
    #[derive(Debug)]
    pub struct CreateVm;
    impl Endpoint for CreateVm {
        const ID: &'static str = "create_vm";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/vms";
        const TAG: &'static str = "vms";
        const SUMMARY: &'static str = "Create a VM";
        const DESCRIPTION: &'static str = "Stores the VM as `pending` and queues its creation (202). The workspace \
             (your personal workspace when `workspace_id` is absent) must be one you may work in and active (409 \
             when inactive); the provider must be enabled and offer the region and instance type; the \
             credential (yours, for that provider) defaults to your newest active one, and drives VMs only in \
             workspaces you own or belong to (403 otherwise, system admins included). All of this is \
             checked before anything reaches the provider. With an `Idempotency-Key` header, repeating the \
             request (after a lost response, say) answers the first result instead of creating a second VM.";
        const STATUS: u16 = 202;
        const MESSAGE: Option<&'static str> = Some("VM creation started");
        const IDEMPOTENT_WITH_KEY: bool = true;
        const ACCESS: Access = Access::Authenticated(Some(Permission::VmManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "create", resource: "vm" });
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
        type Path = Empty;
        type Query = Empty;
        type Body = CreateVmRequest;
        type Response = Vm;
    }

    /// `POST /vms/import`.
    #[derive(Debug)]
    pub struct ImportVm;
    impl Endpoint for ImportVm {
        const ID: &'static str = "import_vm";
        const METHOD: Method = Method::Post;
        const PATH: &'static str = "/vms/import";
        const TAG: &'static str = "vms";
        const SUMMARY: &'static str = "Adopt an instance that runs at the provider";
        const DESCRIPTION: &'static str = "Brings an existing instance (see `GET /credentials/{id}/instances`) \
             under management as a VM of the workspace, which must be one you may work in and active; the credential must be \
             your active one for the instance's account. The VM takes its status, type, zone and addresses from \
             the provider and its `created_at` from the launch time when the provider reports one; its history \
             and its costs start now. The instance is tagged `skyclust-vm-id` at the provider. An instance that \
             a VM already manages, or that is terminated, is a 409; one the provider does not know is a 404.";
        const STATUS: u16 = 201;
        const MESSAGE: Option<&'static str> = Some("VM imported successfully");
        const ACCESS: Access = Access::Authenticated(Some(Permission::VmManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "import", resource: "vm" });
        const ERRORS: &'static [ErrorCode] = &[
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::ProviderError,
            ErrorCode::ServiceUnavailable,
        ];
        type Path = Empty;
        type Query = Empty;
        type Body = ImportVmRequest;
        type Response = Vm;
    }

    /// `GET /vms/{id}`.
    #[derive(Debug)]
    pub struct GetVm;
    impl Endpoint for GetVm {
        const ID: &'static str = "get_vm";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/vms/{id}";
        const TAG: &'static str = "vms";
        const SUMMARY: &'static str = "Get a VM";
        const ACCESS: Access = Access::Authenticated(Some(Permission::VmRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = IdPath;
        type Query = Empty;
        type Body = Empty;
        type Response = Vm;
    }

    macro_rules! action {
        ($name:ident, $id:literal, $method:expr, $path:literal, $summary:literal, $message:literal, $audit:literal) => {
            #[doc = concat!("`", $path, "`: ", $summary, ".")]
            #[derive(Debug)]
            pub struct $name;
            impl Endpoint for $name {
                const ID: &'static str = $id;
                const METHOD: Method = $method;
                const PATH: &'static str = $path;
                const TAG: &'static str = "vms";
                const SUMMARY: &'static str = $summary;
                const DESCRIPTION: &'static str = ASYNC;
                const STATUS: u16 = 202;
                const MESSAGE: Option<&'static str> = Some($message);
                const ACCESS: Access = Access::Authenticated(Some(Permission::VmManage));
                const AUDIT: Option<Audit> = Some(Audit { action: $audit, resource: "vm" });
                const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound, ErrorCode::Conflict];
                type Path = IdPath;
                type Query = Empty;
                type Body = Empty;
                type Response = Vm;
            }
        };
    }

    /// `DELETE /vms/{id}`: terminates the VM's instance, or with `release=true` lets go of it.
    #[derive(Debug)]
    pub struct DeleteVm;
    impl Endpoint for DeleteVm {
        const ID: &'static str = "delete_vm";
        const METHOD: Method = Method::Delete;
        const PATH: &'static str = "/vms/{id}";
        const TAG: &'static str = "vms";
        const SUMMARY: &'static str = "Delete a VM";
        const DESCRIPTION: &'static str = "Without `release`: answers 202 at once with the VM `terminating`; \
             the provider terminates the instance in the background and `vm_status_changed` events follow. \
             With `release=true`: SkyClust stops managing the VM and leaves its instance running at the \
             provider, untagged; the answer is the VM `terminated` with `status_reason` saying it was \
             released, and its costs end now. Releasing needs a VM whose instance exists and is not changing \
             (`running` or `stopped`); otherwise, as for any action the VM's status does not allow, 409.";
        const STATUS: u16 = 202;
        const MESSAGE: Option<&'static str> = Some("VM deletion started");
        const ACCESS: Access = Access::Authenticated(Some(Permission::VmManage));
        const AUDIT: Option<Audit> = Some(Audit { action: "delete", resource: "vm" });
        const ERRORS: &'static [ErrorCode] = &[
            ErrorCode::NotFound,
            ErrorCode::Conflict,
            ErrorCode::ProviderError,
            ErrorCode::ServiceUnavailable,
        ];
        type Path = IdPath;
        type Query = DeleteVmQuery;
        type Body = Empty;
        type Response = Vm;
    }

    action!(
        StartVm,
        "start_vm",
        Method::Post,
        "/vms/{id}/start",
        "Start a stopped VM",
        "VM start requested",
        "start"
    );
    action!(
        StopVm,
        "stop_vm",
        Method::Post,
        "/vms/{id}/stop",
        "Stop a running VM",
        "VM stop requested",
        "stop"
    );
    action!(
        RebootVm,
        "reboot_vm",
        Method::Post,
        "/vms/{id}/reboot",
        "Reboot a running VM",
        "VM reboot requested",
        "reboot"
    );
}

/// Prices and cost analysis.
pub mod costs {
    use super::*;
    use crate::costs::{CostAnalysis, CostAnalysisQuery, CostBreakdown, CostBreakdownQuery, ProviderCatalog};

    const ESTIMATE: &str = "Figures are estimates (`source: \"estimate\"`): each VM's running time × the \
         on-demand hourly price of its instance type in its region, plus its root volume while the instance \
         exists, priced from the catalog of `GET /providers` (its date is `catalog_date`). They cover the \
         VMs of the workspaces you can see (admins: all), up to now, in whole UTC days. VMs whose price \
         the catalog does not know are listed in `unpriced_vms`, never counted as free.";

    /// `GET /providers`.
    #[derive(Debug)]
    pub struct ListProviders;
    impl Endpoint for ListProviders {
        const ID: &'static str = "list_providers";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/providers";
        const TAG: &'static str = "costs";
        const SUMMARY: &'static str = "Enabled providers, their regions, instance types and prices";
        const DESCRIPTION: &'static str = "What a VM will cost before you create it: every enabled provider \
             with the regions and instance types the price catalog knows, their on-demand hourly prices and \
             block storage per GB-month, each with its source and date.";
        const ACCESS: Access = Access::Authenticated(None);
        type Path = Empty;
        type Query = Empty;
        type Body = Empty;
        type Response = ProviderCatalog;
    }

    /// `GET /cost-analysis`.
    #[derive(Debug)]
    pub struct GetCostAnalysis;
    impl Endpoint for GetCostAnalysis {
        const ID: &'static str = "get_cost_analysis";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/cost-analysis";
        const TAG: &'static str = "costs";
        const SUMMARY: &'static str = "Cost over a period, per provider and per day";
        const DESCRIPTION: &'static str = ESTIMATE;
        const ACCESS: Access = Access::Authenticated(Some(Permission::CostRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = Empty;
        type Query = CostAnalysisQuery;
        type Body = Empty;
        type Response = CostAnalysis;
    }

    /// `GET /cost-analysis/breakdown`.
    #[derive(Debug)]
    pub struct GetCostBreakdown;
    impl Endpoint for GetCostBreakdown {
        const ID: &'static str = "get_cost_breakdown";
        const METHOD: Method = Method::Get;
        const PATH: &'static str = "/cost-analysis/breakdown";
        const TAG: &'static str = "costs";
        const SUMMARY: &'static str = "One provider's cost per service";
        const DESCRIPTION: &'static str = ESTIMATE;
        const ACCESS: Access = Access::Authenticated(Some(Permission::CostRead));
        const ERRORS: &'static [ErrorCode] = &[ErrorCode::NotFound];
        type Path = Empty;
        type Query = CostBreakdownQuery;
        type Body = Empty;
        type Response = CostBreakdown;
    }
}
