//! Users, roles, permissions and the authentication operations' bodies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::validation::{FieldErrors, Validate, check_email, check_password, check_username};

/// A user's role. The first user to register becomes `admin`; later ones `user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including user administration and system information.
    Admin,
    /// Manages workspaces, credentials and VMs of its own.
    User,
    /// Read-only access to the workspaces it is a member of.
    Viewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Admin, Role::User, Role::Viewer];

    /// The role's wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::User => "user",
            Role::Viewer => "viewer",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Role> {
        crate::wire::parse(name)
    }

    /// The permissions this role grants: the one table that maps roles to rights.
    ///
    /// ```
    /// use skyclust_types::{Permission, Role};
    /// assert!(Role::Admin.has(Permission::SystemRead));
    /// assert!(!Role::Viewer.has(Permission::VmManage));
    /// ```
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Admin => &Permission::ALL,
            Role::User => &[
                WorkspaceRead,
                WorkspaceManage,
                VmRead,
                VmManage,
                CredentialRead,
                CredentialManage,
                CostRead,
            ],
            Role::Viewer => &[WorkspaceRead, VmRead, CostRead],
        }
    }

    /// Whether this role grants `permission`.
    pub fn has(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

/// A named right, checked against the caller's role before an operation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Permission {
    /// Create users.
    #[serde(rename = "user:create")]
    UserCreate,
    /// List and read users.
    #[serde(rename = "user:read")]
    UserRead,
    /// Change users.
    #[serde(rename = "user:update")]
    UserUpdate,
    /// Delete users.
    #[serde(rename = "user:delete")]
    UserDelete,
    /// Read system information (health details, metrics).
    #[serde(rename = "system:read")]
    SystemRead,
    /// Manage the system.
    #[serde(rename = "system:manage")]
    SystemManage,
    /// Read the audit log.
    #[serde(rename = "audit:read")]
    AuditRead,
    /// Create and change workspaces.
    #[serde(rename = "workspace:manage")]
    WorkspaceManage,
    /// Read workspaces.
    #[serde(rename = "workspace:read")]
    WorkspaceRead,
    /// Read VMs.
    #[serde(rename = "vm:read")]
    VmRead,
    /// Create, change and delete VMs.
    #[serde(rename = "vm:manage")]
    VmManage,
    /// Read credentials (never their secrets).
    #[serde(rename = "credential:read")]
    CredentialRead,
    /// Create, change and delete credentials.
    #[serde(rename = "credential:manage")]
    CredentialManage,
    /// Read cost analysis.
    #[serde(rename = "cost:read")]
    CostRead,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 14] = [
        Permission::UserCreate,
        Permission::UserRead,
        Permission::UserUpdate,
        Permission::UserDelete,
        Permission::SystemRead,
        Permission::SystemManage,
        Permission::AuditRead,
        Permission::WorkspaceManage,
        Permission::WorkspaceRead,
        Permission::VmRead,
        Permission::VmManage,
        Permission::CredentialRead,
        Permission::CredentialManage,
        Permission::CostRead,
    ];

    /// The permission's wire name, e.g. `user:read`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Permission::UserCreate => "user:create",
            Permission::UserRead => "user:read",
            Permission::UserUpdate => "user:update",
            Permission::UserDelete => "user:delete",
            Permission::SystemRead => "system:read",
            Permission::SystemManage => "system:manage",
            Permission::AuditRead => "audit:read",
            Permission::WorkspaceManage => "workspace:manage",
            Permission::WorkspaceRead => "workspace:read",
            Permission::VmRead => "vm:read",
            Permission::VmManage => "vm:manage",
            Permission::CredentialRead => "credential:read",
            Permission::CredentialManage => "credential:manage",
            Permission::CostRead => "cost:read",
        }
    }
}

/// How a request was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// `Authorization: Bearer <jwt>`.
    Jwt,
    /// `X-API-Key: <key>`.
    ApiKey,
}

/// A user account as the API shows it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
    "username": "ada",
    "email": "ada@example.com",
    "role": "admin",
    "is_active": true,
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z"
}))]
pub struct User {
    /// The user's id.
    pub id: Uuid,
    /// Unique login name, 3–50 characters of `[A-Za-z0-9_.-]`.
    pub username: String,
    /// Unique email address.
    pub email: String,
    /// The user's role.
    pub role: Role,
    /// Deactivated users cannot sign in and their tokens stop working.
    pub is_active: bool,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
    /// When the account last changed.
    pub updated_at: DateTime<Utc>,
}

/// `POST /auth/register` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"username": "ada", "email": "ada@example.com", "password": "correct horse battery"}))]
pub struct RegisterRequest {
    /// 3–50 characters of `[A-Za-z0-9_.-]`.
    #[schema(min_length = 3, max_length = 50, pattern = "^[A-Za-z0-9_.-]+$")]
    pub username: String,
    /// A valid email address.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 8 to 128 characters, not one of the commonest passwords (in any case).
    #[schema(schema_with = crate::validation::password_schema)]
    pub password: String,
}

impl Validate for RegisterRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_username(&mut errors, "username", &self.username);
        check_email(&mut errors, "email", &self.email);
        check_password(&mut errors, "password", &self.password);
        errors.into_result()
    }
}

/// `POST /auth/login` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"email": "ada@example.com", "password": "correct horse battery"}))]
pub struct LoginRequest {
    /// The account's email address.
    #[schema(min_length = 1, max_length = 254)]
    pub email: String,
    /// The account's password.
    #[schema(min_length = 1, max_length = 128, format = Password)]
    pub password: String,
}

impl Validate for LoginRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if self.email.is_empty() || self.email.len() > 254 {
            errors.add("email", "must be between 1 and 254 characters");
        }
        if self.password.is_empty() || self.password.chars().count() > 128 {
            errors.add("password", "must be between 1 and 128 characters");
        }
        errors.into_result()
    }
}

/// What register and login answer: a bearer token and the user it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AuthResponse {
    /// A JWT for the `Authorization: Bearer` header.
    pub token: String,
    /// When the token stops being accepted.
    pub expires_at: DateTime<Utc>,
    /// The signed-in user.
    pub user: User,
}

/// `GET /auth/me`: the caller, its role and what it may do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CurrentUser {
    /// The caller's account.
    pub user: User,
    /// Everything the caller's role grants.
    pub permissions: Vec<Permission>,
    /// How this request was authenticated.
    pub auth_method: AuthMethod,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_wire_names_match_serde() {
        for permission in Permission::ALL {
            assert_eq!(
                serde_json::to_value(permission).unwrap(),
                serde_json::Value::String(permission.as_str().to_owned())
            );
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }

    #[test]
    fn register_validation_names_every_bad_field() {
        let request =
            RegisterRequest { username: "a".into(), email: "nope".into(), password: "short".into() };
        let errors = request.validate().unwrap_err();
        assert_eq!(errors.fields.len(), 3);
    }
}
