//! Workspaces and members: `GET/POST /workspaces`, `GET/PUT/DELETE /workspaces/{id}`,
//! `GET/POST /workspaces/{id}/members`, `DELETE /workspaces/{id}/members/{user_id}`.
//!
//! Who may do what is [`crate::access`]'s table: anyone who can see a workspace may read it; its
//! owner, its `admin` members and system admins may change it and its members; only its owner
//! and system admins may delete it. A workspace you cannot see is a 404.

use serde_json::json;
use skyclust_types::operations::workspaces::{
    AddMember, CreateWorkspace, DeleteWorkspace, GetWorkspace, ListMembers, ListWorkspaces, RemoveMember,
    UpdateWorkspace,
};
use skyclust_types::validation::printable;
use skyclust_types::{
    Empty, MemberList, MemberRole, NotificationType, Permission, Priority, Workspace, WorkspaceList,
    WorkspaceMember,
};

use crate::access::{self, Rights};
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};
use crate::notifications::{Notice, notify};
use crate::storage::locks::Guarded;
use crate::storage::users;
use crate::storage::workspaces::{self, WorkspaceChanges};

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

const ADMINISTER: &str = "Only the workspace's owner and admins may change it";

async fn list(ctx: Ctx, principal: Principal, input: Input<ListWorkspaces>) -> ApiResult<WorkspaceList> {
    let viewer = access::list_scope(&principal);
    let query = input.query;
    let (workspaces, total) = workspaces::list(&ctx.state.db, viewer, &query).await?;
    Ok(WorkspaceList { workspaces, pagination: query.pagination(total) })
}

async fn create(ctx: Ctx, caller: Principal, input: Input<CreateWorkspace>) -> ApiResult<Workspace> {
    let owner = caller.user.id;
    let request = input.body;
    let workspace =
        workspaces::insert(&ctx.state.db, owner, &request.name, request.description.as_deref().unwrap_or(""))
            .await
            .map_err(|error| crate::users::conflict_as(error, TAKEN))?;
    ctx.audit(|note| {
        note.resource_id = Some(workspace.id.to_string());
        note.details = Some(json!({"name": workspace.name}));
    });
    Ok(workspace)
}

async fn get(ctx: Ctx, caller: Principal, input: Input<GetWorkspace>) -> ApiResult<Workspace> {
    access::visible(&ctx.state.db, &caller, input.path.id).await
}

async fn update(ctx: Ctx, caller: Principal, input: Input<UpdateWorkspace>) -> ApiResult<Workspace> {
    let id = access::require(&ctx.state.db, &caller, input.path.id, Rights::Administer, ADMINISTER).await?.id;
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
        .ok_or_else(|| ApiError::not_found("No such workspace"))
}

async fn delete(ctx: Ctx, caller: Principal, input: Input<DeleteWorkspace>) -> ApiResult<Empty> {
    let refusal = "Only the workspace's owner may delete it";
    let workspace = access::require(&ctx.state.db, &caller, input.path.id, Rights::Delete, refusal).await?;
    // VMs created without a workspace_id need somewhere to go for as long as the user exists.
    if workspace.is_personal {
        return Err(ApiError::conflict("A personal workspace cannot be deleted; it goes with its owner"));
    }
    match workspaces::delete_unless_live(&ctx.state.db, workspace.id).await? {
        Guarded::Done => Ok(Empty {}),
        Guarded::Live(live) => {
            Err(ApiError::conflict(format!("The workspace still has {live} VM(s) that are not terminated")))
        }
        Guarded::Missing => Err(ApiError::not_found("No such workspace")),
    }
}

async fn list_members(ctx: Ctx, caller: Principal, input: Input<ListMembers>) -> ApiResult<MemberList> {
    let workspace = access::visible(&ctx.state.db, &caller, input.path.id).await?;
    let query = input.query;
    let (members, total) = workspaces::list_members(&ctx.state.db, workspace.id, &query).await?;
    Ok(MemberList { members, pagination: query.pagination(total) })
}

async fn add_member(ctx: Ctx, caller: Principal, input: Input<AddMember>) -> ApiResult<WorkspaceMember> {
    let workspace =
        access::require(&ctx.state.db, &caller, input.path.id, Rights::Administer, ADMINISTER).await?;
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
    let actor = &caller.user.username;
    notify(
        &ctx.state.db,
        &ctx.state.events,
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

async fn remove_member(ctx: Ctx, caller: Principal, input: Input<RemoveMember>) -> ApiResult<Empty> {
    let user = input.path.user_id;
    // Anyone may leave a workspace they were added to: nobody needs their consent to add them.
    let leaving = user == caller.user.id;
    let workspace = if leaving {
        access::visible(&ctx.state.db, &caller, input.path.id).await?
    } else {
        let workspace =
            access::require(&ctx.state.db, &caller, input.path.id, Rights::Administer, ADMINISTER).await?;
        // The operation is declared with `workspace:read` so that anyone may leave.
        caller.require(Permission::WorkspaceManage)?;
        workspace
    };
    match workspaces::remove_member(&ctx.state.db, workspace.id, user).await? {
        workspaces::MemberRemoval::Removed => {}
        workspaces::MemberRemoval::NotMember => return Err(ApiError::not_found("No such member")),
        workspaces::MemberRemoval::ServesLiveVms(vms) => {
            // Names stored before display names were checked may hold control characters.
            let named: Vec<String> =
                vms.iter().map(|(id, name)| format!("{} ({id})", printable(name))).collect();
            return Err(ApiError::conflict(format!(
                "This member's credentials serve VMs that are not terminated: {}; terminate them first",
                named.join(", ")
            )));
        }
    }
    if leaving {
        return Ok(Empty {});
    }
    let actor = &caller.user.username;
    notify(
        &ctx.state.db,
        &ctx.state.events,
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
