//! `GET/POST /api-keys`, `DELETE /api-keys/{id}`: a caller's own keys.

use serde_json::json;
use skyclust_types::operations::api_keys::{CreateApiKey, DeleteApiKey, ListApiKeys};
use skyclust_types::{ApiKeyList, CreatedApiKey, Empty};

use crate::auth::api_key;
use crate::error::ApiError;
use crate::http::{Api, Ctx, Input};
use crate::storage::api_keys::{self, NewApiKey};

/// The API key operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListApiKeys, _>(list)
        .endpoint::<CreateApiKey, _>(create)
        .endpoint::<DeleteApiKey, _>(delete)
}

async fn list(ctx: Ctx, input: Input<ListApiKeys>) -> Result<ApiKeyList, ApiError> {
    let owner = ctx.principal()?.user.id;
    let query = input.query;
    let (keys, total) = api_keys::list(&ctx.state.db, owner, &query).await?;
    Ok(ApiKeyList {
        api_keys: keys.iter().map(|key| key.to_api()).collect(),
        pagination: query.pagination(total),
    })
}

async fn create(ctx: Ctx, input: Input<CreateApiKey>) -> Result<CreatedApiKey, ApiError> {
    let owner = ctx.principal()?.user.id;
    let request = input.body;
    let generated = api_key::generate();
    let record = api_keys::insert(
        &ctx.state.db,
        NewApiKey {
            user_id: owner,
            name: request.name.trim(),
            prefix: &generated.prefix,
            key_hash: &generated.hash,
            read_only: request.read_only.unwrap_or(false),
            expires_at: request.expires_at,
        },
    )
    .await?;
    ctx.audit(|note| {
        note.resource_id = Some(record.id.to_string());
        note.details =
            Some(json!({"name": record.name, "prefix": record.prefix, "read_only": record.read_only}));
    });
    Ok(CreatedApiKey { key: generated.key, api_key: record.to_api() })
}

async fn delete(ctx: Ctx, input: Input<DeleteApiKey>) -> Result<Empty, ApiError> {
    let owner = ctx.principal()?.user.id;
    // Someone else's key answers exactly like a missing one.
    if api_keys::delete(&ctx.state.db, owner, input.path.id).await? {
        ctx.state.events.revoke(crate::events::Revocation::ApiKey(input.path.id));
        Ok(Empty {})
    } else {
        Err(ApiError::not_found("No such API key"))
    }
}
