//! Workspaces and members: `GET/POST /workspaces`, `GET/PUT/DELETE /workspaces/{id}`,
//! `GET/POST /workspaces/{id}/members`, `DELETE /workspaces/{id}/members/{user_id}`.
//!
//! Who may do what: anyone who can see a workspace (its owner, its members, system admins) may
//! read it; its owner, its `admin` members and system admins may change it and its members;
//! only its owner and system admins may delete it. A workspace you cannot see is a 404.

use serde_json::json;
use skyclust_types::operations::workspaces::{
    AddMember, CreateWorkspace, DeleteWorkspace, GetWorkspace, ListMembers, ListWorkspaces, RemoveMember,
    UpdateWorkspace,
};
use skyclust_types::{
    Empty, MemberList, MemberRole, NotificationType, Priority, Role, Workspace, WorkspaceList,
    WorkspaceMember,
};
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::{Api, Ctx, Input};
use crate::notifications::{Notice, notify};
use crate::storage::locks::Guarded;
use crate::storage::users;
use crate::storage::workspaces::{self, WorkspaceChanges, WorkspaceRecord};

/// The workspace operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListWorkspaces, _>(list)
        .endpoint::<CreateWorkspace, _>(create)
        .endpoint::<GetWorkspace, _>(get)
        .endpoint::<UpdateWorkspace, _>(update)
        .endpoint::<DeleteWorkspace, _>(delete)
        .endpoint::<ListMembers, _>(list_members)
        .endpoint::<AddMember, _>(add_member)
        .endpoint::<RemoveMember, _>(remove_member)
}

const TAKEN: &str = "You already have a workspace with this name";

/// What the caller may do with one workspace.
struct Visible {
    workspace: WorkspaceRecord,
    can_manage: bool,
    can_delete: bool,
}

/// The workspace, if the caller may see it (404 otherwise).
async fn visible(ctx: &Ctx, id: Uuid) -> Result<Visible, ApiError> {
    let principal = ctx.principal()?;
    let (workspace, member_role) = workspaces::find_with_role(&ctx.state.db, id, principal.user.id)
        .await?
        .ok_or_else(|| ApiError::not_found("No such workspace"))?;
    let is_admin = principal.role() == Role::Admin;
    let is_owner = workspace.owner_id == principal.user.id;
    if !(is_admin || is_owner || member_role.is_some()) {
        return Err(ApiError::not_found("No such workspace"));
    }
    Ok(Visible {
        can_manage: is_admin || is_owner || member_role == Some(MemberRole::Admin),
        can_delete: is_admin || is_owner,
        workspace,
    })
}

async fn manageable(ctx: &Ctx, id: Uuid) -> Result<WorkspaceRecord, ApiError> {
    let visible = visible(ctx, id).await?;
    if visible.can_manage {
        Ok(visible.workspace)
    } else {
        Err(ApiError::forbidden("Only the workspace's owner and admins may change it"))
    }
}

async fn list(ctx: Ctx, input: Input<ListWorkspaces>) -> Result<WorkspaceList, ApiError> {
    let principal = ctx.principal()?;
    let viewer = (principal.role() != Role::Admin).then_some(principal.user.id);
    let query = input.query;
    let (records, total) = workspaces::list(&ctx.state.db, viewer, &query).await?;
    Ok(WorkspaceList {
        workspaces: records.iter().map(WorkspaceRecord::to_api).collect(),
        pagination: query.pagination(total),
    })
}

async fn create(ctx: Ctx, input: Input<CreateWorkspace>) -> Result<Workspace, ApiError> {
    let owner = ctx.principal()?.user.id;
    let request = input.body;
    let workspace =
        workspaces::insert(&ctx.state.db, owner, &request.name, request.description.as_deref().unwrap_or(""))
            .await
            .map_err(|error| crate::users::conflict_as(error, TAKEN))?;
    ctx.audit(|note| {
        note.resource_id = Some(workspace.id.to_string());
        note.details = Some(json!({"name": workspace.name}));
    });
    Ok(workspace.to_api())
}

async fn get(ctx: Ctx, input: Input<GetWorkspace>) -> Result<Workspace, ApiError> {
    Ok(visible(&ctx, input.path.id).await?.workspace.to_api())
}

async fn update(ctx: Ctx, input: Input<UpdateWorkspace>) -> Result<Workspace, ApiError> {
    let id = manageable(&ctx, input.path.id).await?.id;
    let request = input.body;
    ctx.audit(|note| note.details = serde_json::to_value(&request).ok());
    let changes = WorkspaceChanges {
        name: request.name.as_deref(),
        description: request.description.as_deref(),
        is_active: request.is_active,
    };
    workspaces::update(&ctx.state.db, id, changes)
        .await
        .map_err(|error| crate::users::conflict_as(error, TAKEN))?
        .map(|workspace| workspace.to_api())
        .ok_or_else(|| ApiError::not_found("No such workspace"))
}

async fn delete(ctx: Ctx, input: Input<DeleteWorkspace>) -> Result<Empty, ApiError> {
    let visible = visible(&ctx, input.path.id).await?;
    if !visible.can_delete {
        return Err(ApiError::forbidden("Only the workspace's owner may delete it"));
    }
    // VMs created without a workspace_id need somewhere to go for as long as the user exists.
    if visible.workspace.is_personal {
        return Err(ApiError::conflict("A personal workspace cannot be deleted; it goes with its owner"));
    }
    match workspaces::delete_unless_live(&ctx.state.db, visible.workspace.id).await? {
        Guarded::Done => Ok(Empty {}),
        Guarded::Live(live) => {
            Err(ApiError::conflict(format!("The workspace still has {live} VM(s) that are not terminated")))
        }
        Guarded::Missing => Err(ApiError::not_found("No such workspace")),
    }
}

async fn list_members(ctx: Ctx, input: Input<ListMembers>) -> Result<MemberList, ApiError> {
    let workspace = visible(&ctx, input.path.id).await?.workspace;
    let query = input.query;
    let (members, total) = workspaces::list_members(&ctx.state.db, workspace.id, &query).await?;
    Ok(MemberList { members, pagination: query.pagination(total) })
}

async fn add_member(ctx: Ctx, input: Input<AddMember>) -> Result<WorkspaceMember, ApiError> {
    let workspace = manageable(&ctx, input.path.id).await?;
    let request = input.body;
    let role = request.role.unwrap_or(MemberRole::Member);
    // Named by id, email or username (validation made sure it is exactly one).
    let found = match (&request.user_id, &request.email, &request.username) {
        (Some(id), _, _) => users::find(&ctx.state.db, *id).await?,
        (_, Some(email), _) => users::find_by_email(&ctx.state.db, email).await?,
        (_, _, Some(username)) => users::find_by_username(&ctx.state.db, username).await?,
        (None, None, None) => None,
    };
    let Some(user) = found else {
        return Err(ApiError::not_found("No such user"));
    };
    ctx.audit(|note| note.details = Some(json!({"user_id": user.id, "role": role.as_str()})));
    if user.id == workspace.owner_id {
        return Err(ApiError::conflict("The owner is not added as a member"));
    }
    let member = workspaces::add_member(&ctx.state.db, workspace.id, user.id, role)
        .await
        .map_err(|error| crate::users::conflict_as(error, "This user is already a member"))?;
    let actor = &ctx.principal()?.user.username;
    notify(
        &ctx.state,
        member.user_id,
        Notice {
            title: "Added to a workspace".into(),
            message: format!("{actor} added you to \"{}\" as {}", workspace.name, role.as_str()),
            kind: NotificationType::Info,
            priority: Priority::Medium,
        },
    )
    .await;
    Ok(member)
}

async fn remove_member(ctx: Ctx, input: Input<RemoveMember>) -> Result<Empty, ApiError> {
    let workspace = manageable(&ctx, input.path.id).await?;
    let user = input.path.user_id;
    match workspaces::remove_member(&ctx.state.db, workspace.id, user).await? {
        workspaces::MemberRemoval::Removed => {}
        workspaces::MemberRemoval::NotMember => return Err(ApiError::not_found("No such member")),
        workspaces::MemberRemoval::ServesLiveVms(vms) => {
            let named: Vec<String> = vms.iter().map(|(id, name)| format!("{name} ({id})")).collect();
            return Err(ApiError::conflict(format!(
                "This member's credentials serve VMs that are not terminated: {}; terminate them first",
                named.join(", ")
            )));
        }
    }
    let actor = &ctx.principal()?.user.username;
    notify(
        &ctx.state,
        user,
        Notice {
            title: "Removed from a workspace".into(),
            message: format!("{actor} removed you from \"{}\"", workspace.name),
            kind: NotificationType::Warning,
            priority: Priority::Medium,
        },
    )
    .await;
    Ok(Empty {})
}
