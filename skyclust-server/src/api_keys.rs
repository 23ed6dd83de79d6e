//! `GET/POST /api-keys`, `DELETE /api-keys/{id}`: a caller's own keys.

use serde_json::json;
use skyclust_types::operations::api_keys::{CreateApiKey, DeleteApiKey, ListApiKeys};
use skyclust_types::{ApiKeyList, CreatedApiKey, Empty};

use crate::auth::Principal;
use crate::auth::api_key;
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};
use crate::storage::api_keys::{self, NewApiKey};

/// The API key operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListApiKeys, _>(list)
        .endpoint::<CreateApiKey, _>(create)
        .endpoint::<DeleteApiKey, _>(delete)
}

async fn list(ctx: Ctx, caller: Principal, input: Input<ListApiKeys>) -> ApiResult<ApiKeyList> {
    let owner = caller.user.id;
    let query = input.query;
    let (keys, total) = api_keys::list(&ctx.state.db, owner, &query).await?;
    Ok(ApiKeyList {
        api_keys: keys.iter().map(|key| key.to_api()).collect(),
        pagination: query.pagination(total),
    })
}

async fn create(ctx: Ctx, principal: Principal, input: Input<CreateApiKey>) -> ApiResult<CreatedApiKey> {
    // A key that could mint keys could outlive and out-scope itself (a 5-minute key minting a
    // permanent one); keys are made from a signed-in session only.
    if principal.api_key.is_some() {
        return Err(ApiError::forbidden(
            "API keys can only be created by a signed-in user (Bearer token), not with an API key",
        ));
    }
    let owner = principal.user.id;
    let request = input.body;
    let generated = api_key::generate();
    let cap = ctx.state.config.max_api_keys_per_user;
    let record = api_keys::insert_capped(
        &ctx.state.db,
        NewApiKey {
            user_id: owner,
            name: request.name.trim(),
            prefix: &generated.prefix,
            key_hash: &generated.hash,
            read_only: request.read_only.unwrap_or(false),
            expires_at: request.expires_at,
        },
        cap,
    )
    .await?
    .ok_or_else(|| {
        ApiError::conflict(format!(
            "You already hold {cap} API keys, the most allowed (SKYCLUST_MAX_API_KEYS_PER_USER); delete one first"
        ))
    })?;
    ctx.audit(|note| {
        note.resource_id = Some(record.id.to_string());
        note.details =
            Some(json!({"name": record.name, "prefix": record.prefix, "read_only": record.read_only}));
    });
    Ok(CreatedApiKey { key: generated.key, api_key: record.to_api() })
}

async fn delete(ctx: Ctx, caller: Principal, input: Input<DeleteApiKey>) -> ApiResult<Empty> {
    let owner = caller.user.id;
    // Someone else's key answers exactly like a missing one.
    if api_keys::delete(&ctx.state.db, owner, input.path.id).await? {
        ctx.state.events.revoke(crate::events::Revocation::ApiKey(input.path.id));
        Ok(Empty {})
    } else {
        Err(ApiError::not_found("No such API key"))
    }
}
