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
