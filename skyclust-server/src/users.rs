//! User administration: `GET/POST /users`, `GET/PUT/DELETE /users/{id}`.

use serde_json::json;
use skyclust_types::operations::users::{CreateUser, DeleteUser, GetUser, ListUsers, UpdateUser};
use skyclust_types::{Empty, Role, User, UserList};

use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};
use crate::storage::users::{self, NewUser, UserChangeError, UserChanges};
use crate::storage::{Conflict, DbError};

/// The user administration operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListUsers, _>(list)
        .endpoint::<CreateUser, _>(create)
        .endpoint::<GetUser, _>(get)
        .endpoint::<UpdateUser, _>(update)
        .endpoint::<DeleteUser, _>(delete)
}

const TAKEN: &str = "A user with this email or username already exists";

async fn list(ctx: Ctx, input: Input<ListUsers>) -> ApiResult<UserList> {
    let query = input.query;
    let (records, total) = users::list(&ctx.state.db, &query).await?;
    Ok(UserList {
        users: records.iter().map(|record| record.to_api()).collect(),
        pagination: query.pagination(total),
    })
}

async fn create(ctx: Ctx, input: Input<CreateUser>) -> ApiResult<User> {
    let request = input.body;
    let role = request.role.unwrap_or(Role::User);
    if users::find_by_email(&ctx.state.db, &request.email).await?.is_some() {
        return Err(ApiError::conflict(TAKEN));
    }
    let password_hash = ctx.state.password_hasher.hash(request.password).await?;
    let user = users::insert(
        &ctx.state.db,
        NewUser { username: &request.username, email: &request.email, password_hash: &password_hash },
        role,
        request.is_active.unwrap_or(true),
    )
    .await
    .map_err(|error| conflict_as(error, TAKEN))?;
    ctx.audit(|note| {
        note.resource_id = Some(user.id.to_string());
        note.details = Some(json!({"username": user.username, "role": role.as_str()}));
    });
    Ok(user.to_api())
}

async fn get(ctx: Ctx, input: Input<GetUser>) -> ApiResult<User> {
    users::find(&ctx.state.db, input.path.id)
        .await?
        .map(|user| user.to_api())
        .ok_or_else(|| ApiError::not_found("No such user"))
}

async fn update(ctx: Ctx, input: Input<UpdateUser>) -> ApiResult<User> {
    let request = input.body;
    let changes = UserChanges {
        username: request.username.as_deref(),
        role: request.role,
        is_active: request.is_active,
    };
    ctx.audit(|note| {
        note.details = serde_json::to_value(&request).ok();
    });
    let role_set = request.role.is_some();
    let user = users::update(&ctx.state.db, input.path.id, changes).await.map_err(change_error)?;
    // A deactivated user's sessions end; so do those of a user whose role was set, on every
    // replica at once, so no socket keeps receiving what the old role could see until its next
    // check (the client reconnects with the new role).
    if !user.is_active || role_set {
        ctx.state.events.revoke(crate::events::Revocation::User(user.id));
    } else {
        // A new name needs no revocation, but this replica should not answer the old one.
        ctx.state.events.principals().forget_user(user.id);
    }
    Ok(user.to_api())
}

async fn delete(ctx: Ctx, input: Input<DeleteUser>) -> ApiResult<Empty> {
    users::delete(&ctx.state.db, input.path.id).await.map_err(|error| match error {
        // Nothing unique is written by a delete: a database refusal is not a name clash.
        UserChangeError::Database(error) => ApiError::from(error),
        other => change_error(other),
    })?;
    ctx.state.events.revoke(crate::events::Revocation::User(input.path.id));
    Ok(Empty {})
}

fn change_error(error: UserChangeError) -> ApiError {
    match error {
        UserChangeError::NotFound => ApiError::not_found("No such user"),
        UserChangeError::LastAdmin => {
            ApiError::conflict("The last active admin cannot be demoted, deactivated or deleted")
        }
        UserChangeError::ServesLiveVms(live) => ApiError::conflict(format!(
            "The user's workspaces or credentials serve {live} VM(s) that are not terminated; \
             terminate them first (deleting the user would leave the instances running untracked)"
        )),
        UserChangeError::Database(error) => conflict_as(error, TAKEN),
    }
}

/// A unique violation reported with `message`; other database errors as usual.
pub(crate) fn conflict_as(error: DbError, message: &'static str) -> ApiError {
    if error.is_conflict(Conflict::Unique) { ApiError::conflict(message) } else { error.into() }
}
