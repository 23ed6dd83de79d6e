//! Credentials: `GET/POST /credentials`, `GET/PUT/DELETE /credentials/{id}`. A credential
//! belongs to the user who stored it; anyone else (admins included) gets 404.

use serde_json::{Map, Value, json};
use skyclust_types::operations::credentials::{
    CreateCredential, DeleteCredential, GetCredential, ListCredentials, UpdateCredential,
};
use skyclust_types::{Credential, CredentialList, Empty, FieldErrors, NotificationType, Priority, Provider};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::auth::Principal;
use crate::crypto::{Sealed, Vault};
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};
use crate::notifications::{Notice, notify};
use crate::providers::Secrets;
use crate::storage::credentials::{self, CredentialChanges, CredentialRecord, NewCredential};
use crate::storage::locks::Guarded;

/// The credential operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListCredentials, _>(list)
        .endpoint::<CreateCredential, _>(create)
        .endpoint::<GetCredential, _>(get)
        .endpoint::<UpdateCredential, _>(update)
        .endpoint::<DeleteCredential, _>(delete)
}

const TAKEN: &str = "You already have a credential with this name";

/// The provider fields of a stored credential, decrypted (for the provider drivers only).
pub fn secrets(vault: &Vault, record: &CredentialRecord) -> ApiResult<Secrets> {
    let plaintext = vault.open(record.id.as_bytes(), &record.sealed).map_err(ApiError::internal)?;
    serde_json::from_slice(&plaintext)
        .map(Secrets)
        .map_err(|error| ApiError::internal(format_args!("stored credential: {error}")))
}

/// A masked identifier and the default region: what answers may show of `data`.
fn describe(provider: Provider, data: &Map<String, Value>) -> (String, Option<String>) {
    let field = |name: &str| data.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let mask = |value: String| {
        let chars: Vec<char> = value.chars().collect();
        if chars.len() <= 8 {
            "…".to_owned()
        } else {
            format!(
                "{}…{}",
                chars[..4].iter().collect::<String>(),
                chars[chars.len() - 4..].iter().collect::<String>()
            )
        }
    };
    let region = data.get("region").and_then(Value::as_str).map(str::to_owned);
    match provider {
        Provider::Aws => (mask(field("access_key")), region),
        Provider::Gcp => (field("client_email"), None),
        // The application id names the service principal; it is not a secret.
        Provider::Azure => (field("client_id"), None),
        Provider::Sandbox => ("sandbox".to_owned(), region),
    }
}

fn seal(vault: &Vault, id: Uuid, data: &Map<String, Value>) -> Sealed {
    let plaintext = Zeroizing::new(serde_json::to_vec(data).expect("a JSON map serializes"));
    vault.seal(id.as_bytes(), &plaintext)
}

async fn list(ctx: Ctx, caller: Principal, input: Input<ListCredentials>) -> ApiResult<CredentialList> {
    let owner = caller.user.id;
    let query = input.query;
    let (records, total) = credentials::list(&ctx.state.db, owner, &query).await?;
    Ok(CredentialList {
        credentials: records.iter().map(CredentialRecord::to_api).collect(),
        pagination: query.pagination(total),
    })
}

/// Checks what the provider's client will need of `data` beyond its shape: a gcp key must
/// parse and sign (400 on `data.private_key`, never quoting it).
async fn check_usable(provider: Provider, data: &Map<String, Value>) -> ApiResult<()> {
    if provider == Provider::Gcp
        && let Err(problem) = crate::providers::gcp::check_key(data).await
    {
        return Err(ApiError::invalid_field("data.private_key", problem));
    }
    Ok(())
}

async fn create(ctx: Ctx, caller: Principal, input: Input<CreateCredential>) -> ApiResult<Credential> {
    let owner = caller.user.id;
    let request = input.body;
    check_usable(request.provider, &request.data).await?;
    let id = Uuid::new_v4();
    let sealed = seal(&ctx.state.vault, id, &request.data);
    let (hint, region) = describe(request.provider, &request.data);
    let record = credentials::insert(
        &ctx.state.db,
        NewCredential {
            id,
            user_id: owner,
            name: &request.name,
            provider: request.provider,
            hint: &hint,
            region: region.as_deref(),
            sealed: &sealed,
        },
    )
    .await
    .map_err(|error| crate::users::conflict_as(error, TAKEN))?;
    ctx.audit(|note| {
        note.resource_id = Some(record.id.to_string());
        note.details =
            Some(json!({"name": record.name, "provider": record.provider.as_str(), "hint": record.hint}));
    });
    tell_owner(&ctx, owner, &record, "stored").await;
    Ok(record.to_api())
}

async fn get(ctx: Ctx, caller: Principal, input: Input<GetCredential>) -> ApiResult<Credential> {
    let owner = caller.user.id;
    credentials::find_owned(&ctx.state.db, owner, input.path.id)
        .await?
        .map(|record| record.to_api())
        .ok_or_else(|| ApiError::not_found("No such credential"))
}

async fn update(ctx: Ctx, caller: Principal, input: Input<UpdateCredential>) -> ApiResult<Credential> {
    let owner = caller.user.id;
    let request = input.body;
    let existing = credentials::find_owned(&ctx.state.db, owner, input.path.id)
        .await?
        .ok_or_else(|| ApiError::not_found("No such credential"))?;
    let replacement = match &request.data {
        Some(data) => {
            let mut errors = FieldErrors::default();
            skyclust_types::credentials::check_data(&mut errors, existing.provider, data);
            errors.into_result()?;
            check_usable(existing.provider, data).await?;
            let (hint, region) = describe(existing.provider, data);
            Some((seal(&ctx.state.vault, existing.id, data), hint, region))
        }
        None => None,
    };
    let changes = CredentialChanges {
        name: request.name.as_deref(),
        secrets: replacement
            .as_ref()
            .map(|(sealed, hint, region)| (sealed, hint.as_str(), region.as_deref())),
        is_active: request.is_active,
    };
    let record = credentials::update(&ctx.state.db, owner, existing.id, changes)
        .await
        .map_err(|error| crate::users::conflict_as(error, TAKEN))?
        .ok_or_else(|| ApiError::not_found("No such credential"))?;
    ctx.audit(|note| {
        note.details = Some(json!({
            "name": request.name,
            "is_active": request.is_active,
            "secrets_replaced": request.data.is_some(),
        }));
    });
    tell_owner(&ctx, owner, &record, "changed").await;
    Ok(record.to_api())
}

async fn delete(ctx: Ctx, caller: Principal, input: Input<DeleteCredential>) -> ApiResult<Empty> {
    let owner = caller.user.id;
    let record = credentials::find_owned(&ctx.state.db, owner, input.path.id)
        .await?
        .ok_or_else(|| ApiError::not_found("No such credential"))?;
    match credentials::delete_unless_live(&ctx.state.db, owner, record.id).await? {
        Guarded::Done => {}
        Guarded::Live(live) => {
            return Err(ApiError::conflict(format!(
                "{live} VM(s) that are not terminated still use this credential"
            )));
        }
        Guarded::Missing => return Err(ApiError::not_found("No such credential")),
    }
    tell_owner(&ctx, owner, &record, "deleted").await;
    Ok(Empty {})
}

/// Tells `owner` that their credential `record` was `done` (stored, changed, deleted).
async fn tell_owner(ctx: &Ctx, owner: Uuid, record: &CredentialRecord, done: &str) {
    let notice = Notice {
        title: format!("Credential {done}"),
        message: format!("\"{}\" ({}) was {done}", record.name, record.hint),
        kind: NotificationType::Info,
        priority: Priority::Low,
    };
    notify(&ctx.state.db, &ctx.state.events, owner, notice).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_never_carry_secrets() {
        let data = json!({"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "region": "eu-west-1"});
        let (hint, region) = describe(Provider::Aws, data.as_object().unwrap());
        assert_eq!(hint, "AKIA…MPLE");
        assert_eq!(region.as_deref(), Some("eu-west-1"));
        let (hint, _) = describe(Provider::Aws, json!({"access_key": "AKIASHORT"}).as_object().unwrap());
        assert_eq!(hint, "AKIA…HORT");
        let (hint, _) = describe(Provider::Aws, json!({"access_key": "SHORT"}).as_object().unwrap());
        assert_eq!(hint, "…");
        let azure = json!({"client_id": "2b1c5f4e-9d8a-4c3b-a1f2-0e9d8c7b6a5f", "client_secret": "Xy8Q~secret-value"});
        let (hint, _) = describe(Provider::Azure, azure.as_object().unwrap());
        assert_eq!(hint, "2b1c5f4e-9d8a-4c3b-a1f2-0e9d8c7b6a5f", "the application id, which is no secret");
    }
}
