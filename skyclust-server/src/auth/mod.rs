//! Authentication (who is calling) and authorization (may they): JWTs, API keys, passwords,
//! the request's [`Principal`], and the auth routes.
//!
//! Credentials are checked once per request, by the middleware in [`crate::http::guard`]
//! (which also needs the caller for rate limiting); each operation then applies its declared
//! [`Access`] with [`authorize`], the single place permissions are enforced.

pub mod api_key;
pub mod jwt;
pub mod password;
pub mod principals;
pub mod routes;

use axum::http::{HeaderMap, header};
use base64::Engine;
use secrecy::ExposeSecret;
use skyclust_types::{Access, AuthMethod, Method, Permission, Role};

use crate::config::{Config, Environment};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::DbError;
use crate::storage::api_keys::{self, ApiKeyRecord};
use crate::storage::{Database, settings, users, users::UserRecord};
use jwt::Claims;

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The caller's account: as stored, or as found good a moment ago (see [`principals`]).
    pub user: UserRecord,
    /// How the caller authenticated.
    pub method: AuthMethod,
    /// The token's claims, for JWT callers.
    pub token: Option<Claims>,
    /// The key, for API-key callers.
    pub api_key: Option<ApiKeyRecord>,
}

impl Principal {
    /// The caller's current role.
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Whether the caller is restricted to read operations.
    pub fn is_read_only(&self) -> bool {
        self.api_key.as_ref().is_some_and(|key| key.read_only)
    }

    /// Whether the caller's role grants `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.user.role.has(permission)
    }

    /// What the caller may do: the role's permissions, only the `*:read` ones for a read-only key.
    pub fn permissions(&self) -> Vec<Permission> {
        self.role().permissions().iter().copied().filter(|permission| self.holds(*permission)).collect()
    }

    /// Whether `permission` is among [`Principal::permissions`] (without building the list).
    pub fn holds(&self, permission: Permission) -> bool {
        self.can(permission) && (!self.is_read_only() || permission.as_str().ends_with(":read"))
    }

    /// 403 unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> ApiResult<()> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!("This requires the {} permission", permission.as_str())))
        }
    }
}

/// What a request's credentials established.
#[derive(Debug, Clone)]
pub enum Authentication {
    /// No credentials were sent.
    Anonymous,
    /// Valid credentials.
    Authenticated(Box<Principal>),
    /// Credentials were sent and are not valid.
    Rejected(&'static str),
    /// The credentials could not be checked (the cause is logged): the database failed so.
    Failed(crate::metrics::DatabaseFailure),
}

impl Authentication {
    /// The caller, when authenticated.
    pub fn principal(&self) -> Option<&Principal> {
        match self {
            Authentication::Authenticated(principal) => Some(principal),
            _ => None,
        }
    }
}

/// Checks the request's credentials: `Authorization: Bearer <jwt>` or `X-API-Key` (the bearer token
/// when both are sent, as generic OpenAPI tools send every scheme the document offers).
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Authentication {
    let repeated = |name| headers.get_all(name).iter().nth(1).is_some();
    // Two of one header would leave it to the server which caller the request acts for.
    let outcome = if repeated(header::AUTHORIZATION.as_str()) {
        Ok(Verdict::Rejected("Send one Authorization header"))
    } else if repeated(skyclust_types::headers::API_KEY) {
        Ok(Verdict::Rejected("Send one X-API-Key header"))
    } else if let Some(value) = headers.get(header::AUTHORIZATION) {
        match bearer_token(value) {
            Some(token) => from_jwt(state, token, Cache::Use).await,
            None => Ok(Verdict::Rejected("The Authorization header must be `Bearer <token>`")),
        }
    } else if let Some(value) = headers.get(skyclust_types::headers::API_KEY) {
        match value.to_str() {
            Ok(key) if !key.trim().is_empty() => from_api_key(state, key.trim()).await,
            _ => Ok(Verdict::Rejected("Invalid API key")),
        }
    } else {
        return Authentication::Anonymous;
    };
    settle(outcome)
}

/// Checks a JWT presented outside headers (the WebSocket `auth` message), in the database: a
/// session lasts until its next check, far beyond the cache's few seconds.
pub async fn authenticate_token(state: &AppState, token: &str) -> Authentication {
    settle(from_jwt(state, token, Cache::Skip).await)
}

/// Checks an API key presented outside headers (the WebSocket `auth` message).
pub async fn authenticate_api_key(state: &AppState, key: &str) -> Authentication {
    settle(from_api_key(state, key).await)
}

/// Checks again that a long-lived session's credentials are still good, with the user's
/// current role; `None` when they are revoked, expired or the user is deactivated.
pub async fn revalidate(state: &AppState, principal: &Principal) -> Result<Option<Principal>, DbError> {
    if let Some(claims) = &principal.token {
        let still = claims.exp > state.clock.now().timestamp();
        return Ok(match users::find_for_token(&state.db, principal.user.id, &claims.jti).await? {
            Some((user, false)) if still && user.is_active && user.honours_token_issued_at(claims.iat) => {
                Some(Principal { user, ..principal.clone() })
            }
            _ => None,
        });
    }
    if let Some(key) = &principal.api_key {
        let now = state.clock.now();
        return Ok(match api_keys::find_by_id(&state.db, key.id).await? {
            Some((key, user))
                if user.is_active
                    && user.honours_key_created_at(key.created_at)
                    && key.expires_at.is_none_or(|at| at > now) =>
            {
                Some(Principal { user, api_key: Some(key), ..principal.clone() })
            }
            _ => None,
        });
    }
    Ok(None)
}

fn settle(outcome: Checked) -> Authentication {
    match outcome {
        Ok(Verdict::Accepted(principal)) => Authentication::Authenticated(principal),

        Ok(Verdict::Rejected(reason)) => Authentication::Rejected(reason),
        Err(error) => {
            tracing::error!(error = %error, "credentials could not be checked");
            let failure = crate::metrics::DatabaseFailure::of(&error);
            Authentication::Failed(failure.unwrap_or(crate::metrics::DatabaseFailure::Other))
        }
    }
}

/// Applies an operation's declared access to the request's authentication: 401 for missing or
/// bad credentials where they matter, 403 for a read-only key on a non-GET operation or a role
/// without the required permission.
pub fn authorize(
    authentication: &Authentication,
    access: Access,
    method: Method,
) -> ApiResult<Option<Principal>> {
    if access == Access::Public {
        return Ok(None);
    }
    let principal = match authentication {
        Authentication::Anonymous => None,
        Authentication::Authenticated(principal) => Some(Principal::clone(principal)),
        Authentication::Rejected(reason) => return Err(ApiError::unauthorized(*reason)),
        Authentication::Failed(failure) => {
            return Err(ApiError::unavailable("Credentials cannot be checked right now; retry shortly")
                .caused_by(*failure));
        }
    };
    let Access::Authenticated(permission) = access else {
        return Ok(principal);
    };
    let principal = principal.ok_or_else(|| ApiError::unauthorized("Authentication required"))?;
    if principal.is_read_only() && method != Method::Get {
        return Err(ApiError::forbidden("This API key is read-only"));
    }
    if let Some(permission) = permission {
        principal.require(permission)?;
    }
    Ok(Some(principal))
}

fn bearer_token(value: &axum::http::HeaderValue) -> Option<&str> {
    value
        .to_str()
        .ok()
        .and_then(|value| value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

/// What the credentials of a request turned out to be, once the database answered.
enum Verdict {
    /// Valid: the caller.
    Accepted(Box<Principal>),
    /// Refused, with the reason the 401 gives.
    Rejected(&'static str),
}

type Checked = Result<Verdict, DbError>;

fn jwt_caller(user: UserRecord, claims: Claims) -> Verdict {
    Verdict::Accepted(Box::new(Principal {
        user,
        method: AuthMethod::Jwt,
        token: Some(claims),
        api_key: None,
    }))
}

/// Whether a token check may use [`principals::PrincipalCache`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cache {
    Use,
    Skip,
}

async fn from_jwt(state: &AppState, token: &str, cache: Cache) -> Checked {
    const INVALID: &str = "Invalid or expired token";
    let Some(claims) = state.jwt.verify(token) else {
        return Ok(Verdict::Rejected(INVALID));
    };
    let Some(user_id) = claims.user_id() else {
        return Ok(Verdict::Rejected(INVALID));
    };
    let principals = state.events.principals();
    // While the bus cannot bring other replicas' revocations, nothing kept is trusted.
    let carried = state.events.bus().carries_revocations();
    if !carried && !principals.is_empty() {
        principals.clear();
    }
    let cached = cache == Cache::Use && carried;
    if cached && let Some(user) = principals.get(&claims.jti, user_id) {
        return Ok(jwt_caller(user, claims));
    }
    let ticket = principals.ticket();
    match users::find_for_token(&state.db, user_id, &claims.jti).await? {
        Some((user, false)) if user.is_active && user.honours_token_issued_at(claims.iat) => {
            if cached {
                principals.put(&claims.jti, user.clone(), ticket);
            }
            Ok(jwt_caller(user, claims))
        }
        _ => Ok(Verdict::Rejected(INVALID)),
    }
}

async fn from_api_key(state: &AppState, key: &str) -> Checked {
    const INVALID: &str = "Invalid API key";
    let Some((record, user)) = api_keys::find_by_hash(&state.db, &api_key::hash(key)).await? else {
        return Ok(Verdict::Rejected(INVALID));
    };
    let now = state.clock.now();
    if !user.is_active
        || !user.honours_key_created_at(record.created_at)
        || record.expires_at.is_some_and(|expires_at| expires_at <= now)
    {
        return Ok(Verdict::Rejected(INVALID));
    }
    if state.key_usage.should_write(record.id, record.last_used_at, now) {
        let db = state.db.clone();
        let id = record.id;
        tokio::spawn(async move {
            if let Err(error) = api_keys::touch(&db, id, now).await {
                tracing::warn!(error = %error, "recording API key use failed");
            }
        });
    }
    Ok(Verdict::Accepted(Box::new(Principal {
        user,
        method: AuthMethod::ApiKey,
        token: None,
        api_key: Some(record),
    })))
}

/// Why the server cannot start with its secrets.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// Production mode needs an explicit secret.
    #[error("SKYCLUST_JWT_SECRET must be set when SKYCLUST_ENV=production")]
    MissingInProduction,
    /// The configured secret is too short to be safe.
    #[error("SKYCLUST_JWT_SECRET must be at least 32 bytes long")]
    TooShort,
    /// Storing a generated secret failed.
    #[error("cannot persist the generated JWT secret: {0}")]
    Storage(#[from] DbError),
}

/// The JWT signing secret: configured, or (development only) generated once and kept in the
/// database so tokens survive a restart and are shared by replicas.
pub async fn jwt_secret(config: &Config, db: &Database) -> Result<Vec<u8>, SecretError> {
    match (&config.jwt_secret, config.environment) {
        (Some(secret), _) if secret.expose_secret().len() >= 32 => {
            Ok(secret.expose_secret().as_bytes().to_vec())
        }
        (Some(_), _) => Err(SecretError::TooShort),
        (None, Environment::Production) => Err(SecretError::MissingInProduction),
        (None, Environment::Development) => {
            let candidate = base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>());
            let secret = settings::get_or_insert(db, "jwt_secret", &candidate).await?;
            tracing::warn!(
                "SKYCLUST_JWT_SECRET is not set: using a generated development secret stored in the database \
                 (set SKYCLUST_JWT_SECRET, and SKYCLUST_ENV=production, for real deployments)"
            );
            Ok(secret.into_bytes())
        }
    }
}
