//! `POST /auth/register`, `POST /auth/login`, `POST /auth/logout`, `GET /auth/me`.

use axum::http::HeaderValue;
use axum::http::header::RETRY_AFTER;
use serde_json::json;
use skyclust_types::operations::auth::{Login, Logout, Me, Register};
use skyclust_types::{AuthResponse, CurrentUser, Empty, ErrorCode};

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};
use crate::storage::tokens;
use crate::storage::users::{self, NewUser, UserRecord};

/// The authentication operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<Register, _>(register)
        .endpoint::<Login, _>(login)
        .endpoint::<Logout, _>(logout)
        .endpoint::<Me, _>(me)
}

async fn register(ctx: Ctx, input: Input<Register>) -> ApiResult<AuthResponse> {
    let state = &ctx.state;
    let request = input.body;
    // Checked again atomically by the insert; this early answer spares a hash.
    if !state.config.allow_registration && users::any_exist(&state.db).await? {
        return Err(ApiError::forbidden("Registration is closed on this server"));
    }
    if users::find_by_email(&state.db, &request.email).await?.is_some() {
        return Err(ApiError::conflict("A user with this email or username already exists"));
    }
    ctx.audit(|note| note.details = Some(json!({"username": request.username, "email": request.email})));
    let password_hash = state.password_hasher.hash(request.password).await?;
    let user = users::insert_with_first_admin(
        &state.db,
        NewUser { username: &request.username, email: &request.email, password_hash: &password_hash },
        state.config.allow_registration,
    )
    .await
    .map_err(|error| crate::users::conflict_as(error, "A user with this email or username already exists"))?
    .ok_or_else(|| ApiError::forbidden("Registration is closed on this server"))?;
    tracing::info!(user_id = %user.id, role = user.role.as_str(), "user registered");
    ctx.audit(|note| {
        note.user_id = Some(user.id);
        note.resource_id = Some(user.id.to_string());
    });
    sign_in(&ctx, user)
}

async fn login(ctx: Ctx, input: Input<Login>) -> ApiResult<AuthResponse> {
    let request = input.body;
    let email = request.email.to_lowercase();
    // The attempted email is recorded; the password never is.
    ctx.audit(|note| note.details = Some(json!({"email": email})));
    let state = &ctx.state;
    let throttle_key = format!("login-failures:{email}");
    let (limit, window) = (state.config.login_failure_limit, state.config.login_failure_window());
    // Every attempt takes its place in the per-email budget before the password is checked,
    // so concurrent guesses cannot all pass one look at the counter; a success gives its
    // place back, leaving the budget a count of failures.
    let throttle = state.rate_limiter.hit(&throttle_key, limit, window).await;
    if !throttle.allowed {
        state.metrics.rate_limited("sign_in_failures");
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "Too many failed sign-ins for this account; retry later (SKYCLUST_LOGIN_FAILURE_LIMIT)",
        )
        .with_header(RETRY_AFTER, HeaderValue::from(throttle.retry_after)));
    }
    let verified = async {
        let user = users::find_by_email(&state.db, &email).await?;
        let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
        let matches = state.password_hasher.verify(request.password, stored_hash).await?;
        Ok::<_, ApiError>(user.filter(|user| matches && user.is_active))
    }
    .await;
    match verified {
        Ok(Some(user)) => {
            state.rate_limiter.refund(&throttle_key, throttle.reset_at).await;
            tracing::info!(user_id = %user.id, "login succeeded");
            ctx.audit(|note| note.user_id = Some(user.id));
            sign_in(&ctx, user)
        }
        Ok(None) => {
            tracing::info!("login failed");
            Err(ApiError::unauthorized("Invalid email or password"))
        }
        Err(error) => {
            // Not a failed guess (busy hasher, database): the attempt does not count.
            state.rate_limiter.refund(&throttle_key, throttle.reset_at).await;
            Err(error)
        }
    }
}

async fn logout(ctx: Ctx, principal: Principal, _: Input<Logout>) -> ApiResult<Empty> {
    let claims = principal
        .token
        .as_ref()
        .ok_or_else(|| ApiError::invalid_field("authorization", "only a bearer token can be logged out"))?;
    tokens::revoke(&ctx.state.db, &claims.jti, principal.user.id, claims.expires_at()).await?;
    ctx.state.events.revoke(crate::events::Revocation::Token(claims.jti.clone()));
    tracing::info!(user_id = %principal.user.id, "logged out");
    Ok(Empty {})
}

async fn me(_: Ctx, principal: Principal, _: Input<Me>) -> ApiResult<CurrentUser> {
    Ok(CurrentUser {
        user: principal.user.to_api(),
        permissions: principal.permissions(),
        auth_method: principal.method,
    })
}

fn sign_in(ctx: &Ctx, user: UserRecord) -> ApiResult<AuthResponse> {
    let (token, claims) = ctx
        .state
        .jwt
        .issue(user.id, user.role)
        .map_err(|error| ApiError::internal(format_args!("token signing failed: {error}")))?;
    Ok(AuthResponse { token, expires_at: claims.expires_at(), user: user.to_api() })
}
