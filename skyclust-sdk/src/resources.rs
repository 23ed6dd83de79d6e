//! Per-resource handles: `client.auth()`, `client.users()`, …

use futures_util::Stream;
use skyclust_types::api_keys::ApiKeyListing;
use skyclust_types::audit::AuditLogListing;
use skyclust_types::operations::{api_keys, audit, auth, health, users};
use skyclust_types::users::UserListing;
use skyclust_types::{
    ApiKey, ApiKeyList, AuditLog, AuditLogList, AuthResponse, CreateApiKeyRequest, CreateUserRequest,
    CreatedApiKey, CurrentUser, DbHealth, Empty, Health, IdPath, ListQuery, LoginRequest, RedisHealth,
    RegisterRequest, UpdateUserRequest, User, UserList,
};
use uuid::Uuid;

use crate::client::SkyClustClient;
use crate::error::Result;
use crate::pages::all_items;

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
        self.client.send::<health::GetHealth>(&Empty {}, &Empty {}, &Empty {}).await
    }

    /// `GET /health/db` (needs `system:read`).
    pub async fn db(&self) -> Result<DbHealth> {
        self.client.send::<health::GetDbHealth>(&Empty {}, &Empty {}, &Empty {}).await
    }

    /// `GET /health/redis` (needs `system:read`); `status` is `disabled` without Redis.
    pub async fn redis(&self) -> Result<RedisHealth> {
        self.client.send::<health::GetRedisHealth>(&Empty {}, &Empty {}, &Empty {}).await
    }
}

/// The caller's API keys; from [`SkyClustClient::api_keys`].
#[derive(Debug, Clone, Copy)]
pub struct ApiKeysHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> ApiKeysHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        ApiKeysHandle { client }
    }

    /// `GET /api-keys`: one page.
    pub async fn list(&self, query: &ListQuery<ApiKeyListing>) -> Result<ApiKeyList> {
        self.client.send::<api_keys::ListApiKeys>(&Empty {}, query, &Empty {}).await
    }

    /// Every key, page after page.
    pub fn list_all(&self, query: ListQuery<ApiKeyListing>) -> impl Stream<Item = Result<ApiKey>> + 'a {
        all_items::<api_keys::ListApiKeys, _>(self.client, query)
    }

    /// `POST /api-keys`: the answer holds the key, which is never shown again.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::CreateApiKeyRequest;
    /// let created = client
    ///     .api_keys()
    ///     .create(&CreateApiKeyRequest { name: "ci".into(), expires_at: None, read_only: Some(true) })
    ///     .await?;
    /// let service = skyclust_sdk::SkyClustClient::builder(client.base_url()).api_key(created.key).build()?;
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &CreateApiKeyRequest) -> Result<CreatedApiKey> {
        self.client.send::<api_keys::CreateApiKey>(&Empty {}, &Empty {}, request).await
    }

    /// `DELETE /api-keys/{id}`: the key stops working at once.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.client.send::<api_keys::DeleteApiKey>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }
}

/// User administration (`user:*` permissions); from [`SkyClustClient::users`].
#[derive(Debug, Clone, Copy)]
pub struct UsersHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> UsersHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        UsersHandle { client }
    }

    /// `GET /users`: one page.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{ListQuery, Role, SortDirection, UserFilters};
    /// let admins = client
    ///     .users()
    ///     .list(&ListQuery::default().sort_by("username", SortDirection::Asc).filters(UserFilters {
    ///         role: vec![Role::Admin],
    ///         is_active: Some(true),
    ///     }))
    ///     .await?;
    /// println!("{} active admins", admins.pagination.total);
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, query: &ListQuery<UserListing>) -> Result<UserList> {
        self.client.send::<users::ListUsers>(&Empty {}, query, &Empty {}).await
    }

    /// Every user matching `query`, page after page.
    pub fn list_all(&self, query: ListQuery<UserListing>) -> impl Stream<Item = Result<User>> + 'a {
        all_items::<users::ListUsers, _>(self.client, query)
    }

    /// `POST /users`.
    pub async fn create(&self, request: &CreateUserRequest) -> Result<User> {
        self.client.send::<users::CreateUser>(&Empty {}, &Empty {}, request).await
    }

    /// `GET /users/{id}`.
    pub async fn get(&self, id: Uuid) -> Result<User> {
        self.client.send::<users::GetUser>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `PUT /users/{id}`.
    pub async fn update(&self, id: Uuid, request: &UpdateUserRequest) -> Result<User> {
        self.client.send::<users::UpdateUser>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /users/{id}`.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.client.send::<users::DeleteUser>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }
}

/// The audit log (`audit:read`); from [`SkyClustClient::audit_logs`].
#[derive(Debug, Clone, Copy)]
pub struct AuditLogsHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> AuditLogsHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        AuditLogsHandle { client }
    }

    /// `GET /audit-logs`: one page (newest first by default).
    pub async fn list(&self, query: &ListQuery<AuditLogListing>) -> Result<AuditLogList> {
        self.client.send::<audit::ListAuditLogs>(&Empty {}, query, &Empty {}).await
    }

    /// Every entry matching `query`, page after page.
    pub fn list_all(&self, query: ListQuery<AuditLogListing>) -> impl Stream<Item = Result<AuditLog>> + 'a {
        all_items::<audit::ListAuditLogs, _>(self.client, query)
    }
}
