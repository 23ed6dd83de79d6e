//! Workspaces and their members.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::endpoint::Empty;
use crate::list::{Listing, Page, Pagination};
use crate::validation::{FieldErrors, Validate, check_display_name, check_text};

/// Longest name of a workspace, credential, VM or imported instance.
pub const NAME_MAX_CHARS: usize = 255;
/// Longest workspace description.
pub const DESCRIPTION_MAX_CHARS: usize = 2000;

/// A workspace: VMs and members under one name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e",
    "name": "production",
    "description": "Customer-facing services",
    "owner_id": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
    "is_active": true,
    "is_personal": false,
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z"
}))]
pub struct Workspace {
    /// Id.
    pub id: Uuid,
    /// Name, unique per owner (case-insensitive).
    pub name: String,
    /// Free text.
    pub description: String,
    /// The user who created it.
    pub owner_id: Uuid,
    /// Whether it is in use.
    pub is_active: bool,
    /// Whether it is its owner's personal workspace: every user gets one at registration, VMs
    /// created without a `workspace_id` go there, and it cannot be deleted.
    pub is_personal: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

fn check_description(errors: &mut FieldErrors, description: Option<&str>) {
    if let Some(text) = description {
        check_text(errors, "description", text, DESCRIPTION_MAX_CHARS);
    }
}

/// `POST /workspaces` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "production", "description": "Customer-facing services"}))]
pub struct CreateWorkspaceRequest {
    /// 1–255 characters, unique among your workspaces.
    #[schema(min_length = 1, max_length = 255)]
    pub name: String,
    /// Free text (default empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
}

impl Validate for CreateWorkspaceRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        check_display_name(&mut errors, "name", &self.name, NAME_MAX_CHARS);
        check_description(&mut errors, self.description.as_deref());
        errors.into_result()
    }
}

/// `PUT /workspaces/{id}` body: absent fields keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"name": "production-eu", "description": "Moved to Frankfurt"}))]
pub struct UpdateWorkspaceRequest {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 255)]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Activate or deactivate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

impl Validate for UpdateWorkspaceRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Some(name) = &self.name {
            check_display_name(&mut errors, "name", name, NAME_MAX_CHARS);
        }
        check_description(&mut errors, self.description.as_deref());
        errors.into_result()
    }
}

/// How `GET /workspaces` lists: the workspaces you own or belong to (admins: all).
#[derive(Debug)]
pub struct WorkspaceListing;

impl Listing for WorkspaceListing {
    const DEFAULT_LIMIT: u32 = 10;
    const SORTABLE: &'static [&'static str] = &["name", "created_at", "updated_at"];
    type Filters = WorkspaceFilters;
}

/// Filters of `GET /workspaces`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkspaceFilters {
    /// Only active (`true`) or inactive (`false`) workspaces.
    #[serde(default, deserialize_with = "crate::list::flag", skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    /// Only workspaces owned by these users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owner_id: Vec<Uuid>,
}

impl Validate for WorkspaceFilters {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// `GET /workspaces` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WorkspaceList {
    /// This page of workspaces.
    pub workspaces: Vec<Workspace>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for WorkspaceList {
    type Item = Workspace;
    fn items(&self) -> &[Workspace] {
        &self.workspaces
    }
    fn into_items(self) -> Vec<Workspace> {
        self.workspaces
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}

/// What a member may do in a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MemberRole {
    /// Change the workspace and its members.
    Admin,
    /// Work in the workspace.
    Member,
    /// Read only.
    Viewer,
}

impl MemberRole {
    /// Every member role.
    pub const ALL: [MemberRole; 3] = [MemberRole::Admin, MemberRole::Member, MemberRole::Viewer];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            MemberRole::Admin => "admin",
            MemberRole::Member => "member",
            MemberRole::Viewer => "viewer",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<MemberRole> {
        crate::wire::parse(name)
    }
}

/// A user's membership of a workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WorkspaceMember {
    /// The workspace.
    pub workspace_id: Uuid,
    /// The member.
    pub user_id: Uuid,
    /// The member's username.
    pub username: String,
    /// The member's email.
    pub email: String,
    /// What the member may do here.
    pub role: MemberRole,
    /// When the member was added.
    pub created_at: DateTime<Utc>,
}

/// `POST /workspaces/{id}/members` body: the user to add, named by exactly one of `user_id`,
/// `email` or `username`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"email": "grace@example.com", "role": "member"}))]
pub struct AddMemberRequest {
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<Uuid>,
    /// Or their email address (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 3, max_length = 254)]
    pub email: Option<String>,
    /// Or their username (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 64)]
    pub username: Option<String>,
    /// Their role here (default `member`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<MemberRole>,
}

impl AddMemberRequest {
    /// Adds the user with this id, in `role` (`member` when `None`).
    ///
    /// ```
    /// use skyclust_types::{AddMemberRequest, MemberRole};
    /// let request = AddMemberRequest::user(uuid::Uuid::nil(), Some(MemberRole::Viewer));
    /// assert_eq!(request.email, None);
    /// ```
    pub fn user(user_id: Uuid, role: Option<MemberRole>) -> AddMemberRequest {
        AddMemberRequest { user_id: Some(user_id), role, ..Default::default() }
    }
}

impl Validate for AddMemberRequest {
    fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::default();
        let named = [self.user_id.is_some(), self.email.is_some(), self.username.is_some()];
        match named.iter().filter(|named| **named).count() {
            1 => {}
            0 => errors.add("user_id", "name the user by exactly one of user_id, email or username"),
            _ => errors.add("user_id", "give only one of user_id, email or username"),
        }
        if self.email.as_deref().is_some_and(|email| !(3..=254).contains(&email.chars().count())) {
            errors.add("email", "must be between 3 and 254 characters");
        }
        if self.username.as_deref().is_some_and(|name| !(1..=64).contains(&name.chars().count())) {
            errors.add("username", "must be between 1 and 64 characters");
        }
        errors.into_result()
    }
}

/// How `GET /workspaces/{id}/members` lists.
#[derive(Debug)]
pub struct MemberListing;

impl Listing for MemberListing {
    const DEFAULT_LIMIT: u32 = 20;
    const SORTABLE: &'static [&'static str] = &["created_at", "role"];
    type Filters = Empty;
}

/// `GET /workspaces/{id}/members` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MemberList {
    /// This page of members.
    pub members: Vec<WorkspaceMember>,
    /// Where this page stands.
    pub pagination: Pagination,
}

impl Page for MemberList {
    type Item = WorkspaceMember;
    fn items(&self) -> &[WorkspaceMember] {
        &self.members
    }
    fn into_items(self) -> Vec<WorkspaceMember> {
        self.members
    }
    fn pagination(&self) -> &Pagination {
        &self.pagination
    }
}

/// The path of a member: `/workspaces/{id}/members/{user_id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct MemberPath {
    /// The workspace.
    pub id: Uuid,
    /// The member.
    pub user_id: Uuid,
}
