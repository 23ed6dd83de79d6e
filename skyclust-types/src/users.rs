//! User administration (`user:*` permissions).

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Role, User};
use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate, check_email, check_password, check_username};

/// How `GET /users` lists.
#[derive(Debug)]
pub struct UserListing;

impl Listing for UserListing {
    const DEFAULT_LIMIT: u32 = 20;
    const SORTABLE: &'static [&'static str] = &["username", "email", "role", "created_at", "updated_at"];
    type Filters = UserFilters;
}

/// Filters of `GET /users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilters {
    /// Only users with one of these roles (repeatable: `role=admin&role=viewer`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub role: Vec<Role>,
    /// Only active (`true`) or deactivated (`false`) users.
    #[serde(default, deserialize_with = "crate::list::flag", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl Validate for UserFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// `GET /users` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UserList {
    /// This page of users.
    pub users: Vec<User>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for UserList {
    type Item = User;
    fn items(&self) -> &[User] {
        &self.users
    }
    fn into_items(self) -> Vec<User> {
        self.users
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}

/// `POST /users` body: an administrator creates an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"username": "grace", "email": "grace@example.com", "password": "a long password", "role": "viewer"}))]
pub struct CreateUserRequest {
    /// 3–50 characters of `[A-Za-z0-9_.-]`.
    #[schema(min_length = 3, max_length = 50, pattern = "^[A-Za-z0-9_.-]+$")]
    pub username: String,
    /// A valid email address.
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// 8 to 128 characters, not one of the commonest passwords (in any case).
    #[schema(schema_with = crate::validation::password_schema)]
    pub password: String,
    /// The role (default `user`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Whether the account may sign in (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl Validate for CreateUserRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_username(&mut errors, "username", &self.username);
        check_email(&mut errors, "email", &self.email);
        check_password(&mut errors, "password", &self.password);
        errors.into_result()
    }
}

/// `PUT /users/{id}` body: every field is optional; absent fields keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"role": "viewer", "is_active": true}))]
pub struct UpdateUserRequest {
    /// New login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 3, max_length = 50, pattern = "^[A-Za-z0-9_.-]+$")]
    pub username: Option<String>,
    /// New role (the last active admin cannot be demoted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Activate or deactivate (the last active admin cannot be deactivated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl Validate for UpdateUserRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Some(username) = &self.username {
            check_username(&mut errors, "username", username);
        }
        errors.into_result()
    }
}
