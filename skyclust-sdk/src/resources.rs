//! Per-resource handles: `client.auth()`, `client.health()`.

use skyclust_types::operations::{auth, health};
use skyclust_types::{
    AuthResponse, CurrentUser, DbHealth, Empty, Health, LoginRequest, RedisHealth, RegisterRequest,
};

use crate::client::SkyClustClient;
use crate::error::Result;

/// Registration, sign-in, sign-out and the current caller; from [`SkyClustClient::auth`].
#[derive(Debug, Clone, Copy)]
pub struct AuthHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> AuthHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        AuthHandle { client }
    }

    /// `POST /auth/register`. On success the client uses the new token from then on.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::RegisterRequest;
    /// let session = client.auth().register(&RegisterRequest {
    ///     username: "ada".into(),
    ///     email: "ada@example.com".into(),
    ///     password: "correct horse battery".into(),
    /// }).await?;
    /// assert_eq!(client.token().as_deref(), Some(session.token.as_str()));
    /// # Ok(()) }
    /// ```
    pub async fn register(&self, request: &RegisterRequest) -> Result<AuthResponse> {
        let session = self
            .client
            .send::<auth::Register>(&Empty {}, &Empty {}, request)
            .await?;
        self.client.set_token(Some(session.token.clone()));
        Ok(session)
    }

    /// `POST /auth/login`. On success the client uses the new token from then on.
    pub async fn login(&self, request: &LoginRequest) -> Result<AuthResponse> {
        let session = self
            .client
            .send::<auth::Login>(&Empty {}, &Empty {}, request)
            .await?;
        self.client.set_token(Some(session.token.clone()));
        Ok(session)
    }

    /// `POST /auth/logout`: revokes the current token on the server and forgets it here.
    pub async fn logout(&self) -> Result<()> {
        self.client
            .send::<auth::Logout>(&Empty {}, &Empty {}, &Empty {})
            .await?;
        self.client.set_token(None);
        Ok(())
    }

    /// `GET /auth/me`: the caller, its role and permissions.
    pub async fn me(&self) -> Result<CurrentUser> {
        self.client
            .send::<auth::Me>(&Empty {}, &Empty {}, &Empty {})
            .await
    }
}

/// Health checks; from [`SkyClustClient::health`].
#[derive(Debug, Clone, Copy)]
pub struct HealthHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> HealthHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        HealthHandle { client }
    }

    /// `GET /health`: liveness; `metrics` are included for callers with `system:read`.
    pub async fn get(&self) -> Result<Health> {
        self.client
            .send::<health::GetHealth>(&Empty {}, &Empty {}, &Empty {})
            .await
    }

    /// `GET /health/db` (needs `system:read`).
    pub async fn db(&self) -> Result<DbHealth> {
        self.client
            .send::<health::GetDbHealth>(&Empty {}, &Empty {}, &Empty {})
            .await
    }

    /// `GET /health/redis` (needs `system:read`); `status` is `disabled` without Redis.
    pub async fn redis(&self) -> Result<RedisHealth> {
        self.client
            .send::<health::GetRedisHealth>(&Empty {}, &Empty {}, &Empty {})
            .await
    }
}
