//! HS256 JWTs with `sub`, `role`, `jti`, `iat`, `exp` and `iss` (SPEC §3).

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use skyclust_types::Role;
use uuid::Uuid;

/// The claims SkyClust puts in a token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The role when issued (informational: the stored role is what counts).
    pub role: String,
    /// Unique token id, used for revocation.
    pub jti: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expires at (unix seconds).
    pub exp: i64,
    /// Issuer.
    pub iss: String,
}

impl Claims {
    /// The user id, when `sub` is a UUID.
    pub fn user_id(&self) -> Option<Uuid> {
        Uuid::parse_str(&self.sub).ok()
    }

    /// When the token expires.
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.exp, 0).unwrap_or_else(crate::clock::real_now)
    }
}

/// Signs and checks tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("issuer", &self.issuer)
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// Keys for `secret`, issuing tokens that live `ttl`.
    pub fn new(secret: &[u8], issuer: &str, ttl: Duration) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 0;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            issuer: issuer.to_owned(),
            ttl,
        }
    }

    /// A new token for `user_id`, issued now.
    pub fn issue(&self, user_id: Uuid, role: Role) -> Result<(String, Claims), jsonwebtoken::errors::Error> {
        self.issue_at(user_id, role, crate::clock::real_now())
    }

    /// A new token for `user_id` as if issued at `issued_at` (tests use this to make expired tokens).
    pub fn issue_at(
        &self,
        user_id: Uuid,
        role: Role,
        issued_at: DateTime<Utc>,
    ) -> Result<(String, Claims), jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.as_str().to_owned(),
            jti: Uuid::new_v4().to_string(),
            iat: issued_at.timestamp(),
            exp: (issued_at + self.ttl).timestamp(),
            iss: self.issuer.clone(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, claims))
    }

    /// The claims of a well-signed, unexpired token from this issuer.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok().map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_tampering_fails() {
        let keys = JwtKeys::new(b"0123456789abcdef0123456789abcdef", "skyclust", Duration::hours(1));
        let user = Uuid::new_v4();
        let (token, claims) = keys.issue(user, Role::User).unwrap();
        let verified = keys.verify(&token).unwrap();
        assert_eq!(verified.user_id(), Some(user));
        assert_eq!(verified.jti, claims.jti);

        let other = JwtKeys::new(b"another-secret-another-secret-xx", "skyclust", Duration::hours(1));
        assert!(other.verify(&token).is_none(), "wrong key");
        let foreign = JwtKeys::new(b"0123456789abcdef0123456789abcdef", "someone-else", Duration::hours(1));
        assert!(foreign.verify(&token).is_none(), "wrong issuer");

        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert!(keys.verify(&tampered).is_none());

        let (expired, _) = keys.issue_at(user, Role::User, Utc::now() - Duration::hours(2)).unwrap();
        assert!(keys.verify(&expired).is_none());
    }
}
