//! Authentication (who is calling) and authorization (may they): JWTs, passwords, the
//! request's [`Principal`], and the auth routes.

pub mod jwt;
pub mod password;
pub mod routes;

use axum::http::{HeaderMap, header};
use base64::Engine;
use skyclust_types::{Access, AuthMethod, Permission, Role};

use crate::config::{Config, Environment};
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::{Database, settings, users, users::UserRecord};
use jwt::Claims;

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Principal {
    /// The caller's account, as stored right now (so role changes apply at once).
    pub user: UserRecord,
    /// How the caller authenticated.
    pub method: AuthMethod,
    /// The token's claims, for JWT callers.
    pub token: Option<Claims>,
}

impl Principal {
    /// The caller's current role.
    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Whether the caller's role grants `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.user.role.has(permission)
    }

    /// 403 unless the caller's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.can(permission) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "This requires the {} permission",
                permission.as_str()
            )))
        }
    }
}

/// Finds the caller of a request to an operation with `access`, enforcing it: 401 for missing
/// or bad credentials where they are needed, 403 for a role without the required permission.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
    access: Access,
) -> Result<Option<Principal>, ApiError> {
    if access == Access::Public {
        return Ok(None);
    }
    let principal = match credentials(headers)? {
        Some(Credentials::Bearer(token)) => Some(from_jwt(state, token).await?),
        Some(Credentials::ApiKey) => return Err(ApiError::unauthorized("Invalid API key")),
        None => None,
    };
    match (access, principal) {
        (Access::Authenticated(_), None) => Err(ApiError::unauthorized("Authentication required")),
        (Access::Authenticated(Some(permission)), Some(principal)) => {
            principal.require(permission)?;
            Ok(Some(principal))
        }
        (_, principal) => Ok(principal),
    }
}

enum Credentials<'a> {
    Bearer(&'a str),
    ApiKey,
}

fn credentials(headers: &HeaderMap) -> Result<Option<Credentials<'_>>, ApiError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|value| {
                value
                    .strip_prefix("Bearer ")
                    .or_else(|| value.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("The Authorization header must be `Bearer <token>`")
            })?;
        return Ok(Some(Credentials::Bearer(token)));
    }
    if headers.contains_key("x-api-key") {
        return Ok(Some(Credentials::ApiKey));
    }
    Ok(None)
}

async fn from_jwt(state: &AppState, token: &str) -> Result<Principal, ApiError> {
    let invalid = || ApiError::unauthorized("Invalid or expired token");
    let claims = state.jwt.verify(token).ok_or_else(invalid)?;
    let user_id = claims.user_id().ok_or_else(invalid)?;
    let (user, revoked) = users::find_for_token(&state.db, user_id, &claims.jti)
        .await?
        .ok_or_else(invalid)?;
    if revoked || !user.is_active {
        return Err(invalid());
    }
    Ok(Principal {
        user,
        method: AuthMethod::Jwt,
        token: Some(claims),
    })
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
    Storage(#[from] sqlx::Error),
}

/// The JWT signing secret: configured, or (development only) generated once and kept in the
/// database so tokens survive a restart and are shared by replicas.
pub async fn jwt_secret(config: &Config, db: &Database) -> Result<Vec<u8>, SecretError> {
    match (&config.jwt_secret, config.environment) {
        (Some(secret), _) if secret.len() >= 32 => Ok(secret.as_bytes().to_vec()),
        (Some(_), _) => Err(SecretError::TooShort),
        (None, Environment::Production) => Err(SecretError::MissingInProduction),
        (None, Environment::Development) => {
            let candidate =
                base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>());
            let secret = settings::get_or_insert(db, "jwt_secret", &candidate).await?;
            tracing::warn!(
                "SKYCLUST_JWT_SECRET is not set: using a generated development secret stored in the database \
                 (set SKYCLUST_JWT_SECRET, and SKYCLUST_ENV=production, for real deployments)"
            );
            Ok(secret.into_bytes())
        }
    }
}
