//! Registration, sign-in, sign-out and the current caller.

use skyclust_types::operations::auth;

use super::*;

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
        let session = self.client.send::<auth::Register>(&Empty {}, &Empty {}, request).await?;
        self.client.set_token(Some(session.token.clone()));
        Ok(session)
    }

    /// `POST /auth/login`. On success the client uses the new token from then on.
    pub async fn login(&self, request: &LoginRequest) -> Result<AuthResponse> {
        let session = self.client.send::<auth::Login>(&Empty {}, &Empty {}, request).await?;
        self.client.set_token(Some(session.token.clone()));
        Ok(session)
    }

    /// `POST /auth/logout`: revokes the current token on the server and forgets it here.
    pub async fn logout(&self) -> Result<()> {
        self.client.send::<auth::Logout>(&Empty {}, &Empty {}, &Empty {}).await?;
        self.client.set_token(None);
        Ok(())
    }

    /// `GET /auth/me`: the caller, its role and permissions.
    pub async fn me(&self) -> Result<CurrentUser> {
        self.client.send::<auth::Me>(&Empty {}, &Empty {}, &Empty {}).await
    }
}

impl SkyClustClient {
    /// Registration, sign-in, sign-out and the current caller.
    pub fn auth(&self) -> AuthHandle<'_> {
        AuthHandle::new(self)
    }
}
