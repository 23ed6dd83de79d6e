//! Per-resource handles: `client.auth()`, `client.users()`, …

use futures_util::Stream;
use skyclust_types::api_keys::ApiKeyListing;
use skyclust_types::audit::AuditLogListing;
use skyclust_types::credentials::CredentialListing;
use skyclust_types::notifications::NotificationListing;
use skyclust_types::operations::{
    api_keys, audit, auth, credentials, health, notifications, users, workspaces,
};
use skyclust_types::users::UserListing;
use skyclust_types::workspaces::{MemberListing, WorkspaceListing};
use skyclust_types::{
    AddMemberRequest, CreateCredentialRequest, CreateWorkspaceRequest, Credential, CredentialList,
    MemberList, MemberPath, Notification, NotificationList, UpdateCredentialRequest, UpdateWorkspaceRequest,
    Workspace, WorkspaceList, WorkspaceMember,
};

use skyclust_types::{
    ApiKey, ApiKeyList, AuditLog, AuditLogList, AuthResponse, CreateApiKeyRequest, CreateUserRequest,
    CreatedApiKey, CurrentUser, DbHealth, Empty, Health, IdPath, ListQuery, LoginRequest, RedisHealth,
    RegisterRequest, UpdateUserRequest, User, UserList,
};
use uuid::Uuid;

use std::time::Duration;

use skyclust_types::events::{Event, EventType};
use skyclust_types::instances::{DeleteVmQuery, DiscoveredInstance, InstanceList, InstanceListing};
use skyclust_types::operations::{costs, vms};
use skyclust_types::vms::VmListing;
use skyclust_types::{CostAnalysis, CostAnalysisQuery, CostBreakdown, CostBreakdownQuery, ProviderCatalog};
use skyclust_types::{CreateVmRequest, ImportVmRequest, Vm, VmList, VmStatus};

use crate::client::SkyClustClient;
use crate::error::{Error, Result};
use crate::events::Subscription;
use crate::pages::{all_items, all_items_at};

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

/// Workspaces and their members; from [`SkyClustClient::workspaces`].
#[derive(Debug, Clone, Copy)]
pub struct WorkspacesHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> WorkspacesHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        WorkspacesHandle { client }
    }

    /// `GET /workspaces`: one page of the workspaces you own or belong to.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::ListQuery;
    /// let page = client.workspaces().list(&ListQuery::default().limit(10)).await?;
    /// for workspace in page.workspaces {
    ///     println!("{} ({})", workspace.name, workspace.id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self, query: &ListQuery<WorkspaceListing>) -> Result<WorkspaceList> {
        self.client.send::<workspaces::ListWorkspaces>(&Empty {}, query, &Empty {}).await
    }

    /// Every visible workspace, page after page.
    pub fn list_all(&self, query: ListQuery<WorkspaceListing>) -> impl Stream<Item = Result<Workspace>> + 'a {
        all_items::<workspaces::ListWorkspaces, _>(self.client, query)
    }

    /// `POST /workspaces`.
    pub async fn create(&self, request: &CreateWorkspaceRequest) -> Result<Workspace> {
        self.client.send::<workspaces::CreateWorkspace>(&Empty {}, &Empty {}, request).await
    }

    /// `GET /workspaces/{id}`.
    pub async fn get(&self, id: Uuid) -> Result<Workspace> {
        self.client.send::<workspaces::GetWorkspace>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `PUT /workspaces/{id}`.
    pub async fn update(&self, id: Uuid, request: &UpdateWorkspaceRequest) -> Result<Workspace> {
        self.client.send::<workspaces::UpdateWorkspace>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /workspaces/{id}`.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.client.send::<workspaces::DeleteWorkspace>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }

    /// `GET /workspaces/{id}/members`: one page.
    pub async fn members(&self, id: Uuid, query: &ListQuery<MemberListing>) -> Result<MemberList> {
        self.client.send::<workspaces::ListMembers>(&IdPath { id }, query, &Empty {}).await
    }

    /// `POST /workspaces/{id}/members`.
    pub async fn add_member(&self, id: Uuid, request: &AddMemberRequest) -> Result<WorkspaceMember> {
        self.client.send::<workspaces::AddMember>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /workspaces/{id}/members/{user_id}`.
    pub async fn remove_member(&self, id: Uuid, user_id: Uuid) -> Result<()> {
        self.client
            .send::<workspaces::RemoveMember>(&MemberPath { id, user_id }, &Empty {}, &Empty {})
            .await?;
        Ok(())
    }
}

/// Your cloud credentials; from [`SkyClustClient::credentials`].
#[derive(Debug, Clone, Copy)]
pub struct CredentialsHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> CredentialsHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        CredentialsHandle { client }
    }

    /// `GET /credentials`: one page.
    pub async fn list(&self, query: &ListQuery<CredentialListing>) -> Result<CredentialList> {
        self.client.send::<credentials::ListCredentials>(&Empty {}, query, &Empty {}).await
    }

    /// Every credential, page after page.
    pub fn list_all(
        &self,
        query: ListQuery<CredentialListing>,
    ) -> impl Stream<Item = Result<Credential>> + 'a {
        all_items::<credentials::ListCredentials, _>(self.client, query)
    }

    /// `POST /credentials`: the answer shows a masked hint, never the secrets.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{CreateCredentialRequest, Provider};
    /// let data = serde_json::json!({
    ///     "access_key": "AKIAIOSFODNN7EXAMPLE",
    ///     "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ///     "region": "us-east-1"
    /// });
    /// let credential = client
    ///     .credentials()
    ///     .create(&CreateCredentialRequest {
    ///         name: "aws-prod".into(),
    ///         provider: Provider::Aws,
    ///         data: data.as_object().unwrap().clone(),
    ///     })
    ///     .await?;
    /// assert_eq!(credential.hint, "AKIA…MPLE");
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &CreateCredentialRequest) -> Result<Credential> {
        self.client.send::<credentials::CreateCredential>(&Empty {}, &Empty {}, request).await
    }

    /// `GET /credentials/{id}`.
    pub async fn get(&self, id: Uuid) -> Result<Credential> {
        self.client.send::<credentials::GetCredential>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `PUT /credentials/{id}`.
    pub async fn update(&self, id: Uuid, request: &UpdateCredentialRequest) -> Result<Credential> {
        self.client.send::<credentials::UpdateCredential>(&IdPath { id }, &Empty {}, request).await
    }

    /// `DELETE /credentials/{id}`.
    pub async fn delete(&self, id: Uuid) -> Result<()> {
        self.client.send::<credentials::DeleteCredential>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }

    /// `GET /credentials/{id}/instances`: one page of the instances the credential's account
    /// runs, with the regions read and those that failed.
    pub async fn instances_page(&self, id: Uuid, query: &ListQuery<InstanceListing>) -> Result<InstanceList> {
        self.client.send::<credentials::ListCredentialInstances>(&IdPath { id }, query, &Empty {}).await
    }

    /// Every instance the credential's account runs, page after page (regions that fail are
    /// left out; [`CredentialsHandle::instances_page`] names them).
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient, credential: uuid::Uuid) -> skyclust_sdk::Result<()> {
    /// use futures_util::TryStreamExt;
    /// use skyclust_sdk::types::instances::InstanceListing;
    /// use skyclust_sdk::types::list::ListQuery;
    /// let mut query = ListQuery::<InstanceListing>::default();
    /// query.filters.managed = Some(false);
    /// let unmanaged: Vec<_> = client.credentials().instances(credential, query).try_collect().await?;
    /// for instance in unmanaged {
    ///     println!("{} {:?} is not managed yet", instance.instance_id, instance.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn instances(
        &self,
        id: Uuid,
        query: ListQuery<InstanceListing>,
    ) -> impl Stream<Item = Result<DiscoveredInstance>> + 'a {
        all_items_at::<credentials::ListCredentialInstances, _>(self.client, IdPath { id }, query)
    }
}

/// Your notifications; from [`SkyClustClient::notifications`].
#[derive(Debug, Clone, Copy)]
pub struct NotificationsHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> NotificationsHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        NotificationsHandle { client }
    }

    /// `GET /notifications`: one page, with the unread count.
    pub async fn list(&self, query: &ListQuery<NotificationListing>) -> Result<NotificationList> {
        self.client.send::<notifications::ListNotifications>(&Empty {}, query, &Empty {}).await
    }

    /// Every notification matching `query`, page after page.
    pub fn list_all(
        &self,
        query: ListQuery<NotificationListing>,
    ) -> impl Stream<Item = Result<Notification>> + 'a {
        all_items::<notifications::ListNotifications, _>(self.client, query)
    }

    /// `PUT /notifications/{id}/read`.
    pub async fn mark_read(&self, id: Uuid) -> Result<()> {
        self.client.send::<notifications::MarkRead>(&IdPath { id }, &Empty {}, &Empty {}).await?;
        Ok(())
    }

    /// `PUT /notifications/read-all`: returns how many were marked.
    pub async fn mark_all_read(&self) -> Result<u64> {
        Ok(self.client.send::<notifications::MarkAllRead>(&Empty {}, &Empty {}, &Empty {}).await?.updated)
    }
}

/// Virtual machines; from [`SkyClustClient::vms`].
#[derive(Debug, Clone, Copy)]
pub struct VmsHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> VmsHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        VmsHandle { client }
    }

    /// `GET /vms`: one page.
    pub async fn list(&self, query: &ListQuery<VmListing>) -> Result<VmList> {
        self.client.send::<vms::ListVms>(&Empty {}, query, &Empty {}).await
    }

    /// Every visible VM matching `query`, page after page.
    pub fn list_all(&self, query: ListQuery<VmListing>) -> impl Stream<Item = Result<Vm>> + 'a {
        all_items::<vms::ListVms, _>(self.client, query)
    }

    /// `POST /vms`: answers at once with the VM `pending`; see [`VmsHandle::wait_until`].
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient, workspace: uuid::Uuid) -> skyclust_sdk::Result<()> {
    /// use std::time::Duration;
    /// use skyclust_sdk::types::{CreateVmRequest, Provider, VmStatus};
    /// let vm = client
    ///     .vms()
    ///     .create(&CreateVmRequest {
    ///         name: "web-1".into(),
    ///         provider: Provider::Sandbox,
    ///         instance_type: "t3.micro".into(),
    ///         region: "us-east-1".into(),
    ///         zone: None,
    ///         workspace_id: Some(workspace),
    ///         image_id: None,
    ///         key_pair: None,
    ///         credential_id: None,
    ///     })
    ///     .await?;
    /// let vm = client.vms().wait_until(vm.id, VmStatus::Running, Duration::from_secs(120)).await?;
    /// println!("{} runs at {:?}", vm.name, vm.public_ip);
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, request: &CreateVmRequest) -> Result<Vm> {
        self.client.send::<vms::CreateVm>(&Empty {}, &Empty {}, request).await
    }

    /// `POST /vms` with an `Idempotency-Key`: repeating the call with the same key and request
    /// (for a day) answers the first VM instead of creating another, so it is retried after
    /// connection failures like a GET. The same key with another request is a `CONFLICT`.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient, request: skyclust_sdk::types::CreateVmRequest) -> skyclust_sdk::Result<()> {
    /// let key = uuid::Uuid::new_v4().to_string();   // keep it with the request you retry
    /// let first = client.vms().create_with_idempotency_key(&request, &key).await?;
    /// let again = client.vms().create_with_idempotency_key(&request, &key).await?;
    /// assert_eq!(first.id, again.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_with_idempotency_key(&self, request: &CreateVmRequest, key: &str) -> Result<Vm> {
        self.client.send_keyed::<vms::CreateVm>(&Empty {}, &Empty {}, request, Some(key)).await
    }

    /// `GET /vms/{id}`.
    pub async fn get(&self, id: Uuid) -> Result<Vm> {
        self.client.send::<vms::GetVm>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `DELETE /vms/{id}`: answers at once with the VM `terminating`.
    pub async fn delete(&self, id: Uuid) -> Result<Vm> {
        self.client.send::<vms::DeleteVm>(&IdPath { id }, &DeleteVmQuery::default(), &Empty {}).await
    }

    /// `DELETE /vms/{id}?release=true`: stops managing the VM and leaves its instance running
    /// at the provider, untagged; answers the VM `terminated`, released.
    pub async fn release(&self, id: Uuid) -> Result<Vm> {
        self.client.send::<vms::DeleteVm>(&IdPath { id }, &DeleteVmQuery { release: true }, &Empty {}).await
    }

    /// `POST /vms/import`: brings an instance found by
    /// [`CredentialsHandle::instances`] under management.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient, credential: uuid::Uuid, workspace: uuid::Uuid) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::ImportVmRequest;
    /// let vm = client
    ///     .vms()
    ///     .import(&ImportVmRequest {
    ///         credential_id: credential,
    ///         provider_instance_id: "i-0abc123def4567890".into(),
    ///         region: "us-east-1".into(),
    ///         workspace_id: workspace,
    ///         name: Some("legacy-db".into()),
    ///     })
    ///     .await?;
    /// println!("{} is managed as {}", vm.instance_id.unwrap_or_default(), vm.id);
    /// # Ok(()) }
    /// ```
    pub async fn import(&self, request: &ImportVmRequest) -> Result<Vm> {
        self.client.send::<vms::ImportVm>(&Empty {}, &Empty {}, request).await
    }

    /// `POST /vms/{id}/start`.
    pub async fn start(&self, id: Uuid) -> Result<Vm> {
        self.client.send::<vms::StartVm>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `POST /vms/{id}/stop`.
    pub async fn stop(&self, id: Uuid) -> Result<Vm> {
        self.client.send::<vms::StopVm>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// `POST /vms/{id}/reboot`.
    pub async fn reboot(&self, id: Uuid) -> Result<Vm> {
        self.client.send::<vms::RebootVm>(&IdPath { id }, &Empty {}, &Empty {}).await
    }

    /// Waits until the VM reaches `status` (or `error`/`terminated`, which end the wait with
    /// the VM as it is), within `timeout`. Listens to the event stream when the client can
    /// open one, and re-reads the VM every few seconds either way.
    pub async fn wait_until(&self, id: Uuid, status: VmStatus, timeout: Duration) -> Result<Vm> {
        use futures_util::StreamExt;
        let settled =
            |vm: &Vm| vm.status == status || matches!(vm.status, VmStatus::Error | VmStatus::Terminated);
        let deadline = tokio::time::Instant::now() + timeout;
        let subscription =
            Subscription { events: vec![EventType::VmStatusChanged], ..Subscription::default() };
        let mut events = self.client.events().subscribe_with(subscription).await.ok();
        loop {
            let vm = self.get(id).await?;
            if settled(&vm) {
                return Ok(vm);
            }
            let poll = tokio::time::sleep(
                Duration::from_secs(2).min(deadline.saturating_duration_since(tokio::time::Instant::now())),
            );
            tokio::pin!(poll);
            loop {
                tokio::select! {
                    () = &mut poll => break,
                    item = async {
                        match events.as_mut() {
                            Some(stream) => stream.next().await,
                            None => std::future::pending().await,
                        }
                    } => match item {
                        Some(Ok(Event::VmStatusChanged { data, .. })) if data.vm_id == id => break,
                        Some(_) => continue,
                        None => events = None,
                    },
                }
            }
            if tokio::time::Instant::now() >= deadline {
                let vm = self.get(id).await?;
                return if settled(&vm) {
                    Ok(vm)
                } else {
                    Err(Error::Timeout(format!("the VM is {} after {timeout:?}", vm.status.as_str())))
                };
            }
        }
    }
}

/// Cost analysis; from [`SkyClustClient::cost_analysis`]. Figures are estimates priced from
/// the server's catalog (`source: "estimate"`, with its `catalog_date`).
#[derive(Debug, Clone, Copy)]
pub struct CostAnalysisHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> CostAnalysisHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        CostAnalysisHandle { client }
    }

    /// `GET /cost-analysis`: total, per provider and per day (needs `cost:read`).
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{CostAnalysisQuery, CostPeriod};
    /// let query = CostAnalysisQuery { period: Some(CostPeriod::Week), ..Default::default() };
    /// let costs = client.cost_analysis().get(&query).await?;
    /// for day in &costs.trend {
    ///     println!("{}: {:.2} {}", day.date, day.cost, costs.currency);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, query: &CostAnalysisQuery) -> Result<CostAnalysis> {
        self.client.send::<costs::GetCostAnalysis>(&Empty {}, query, &Empty {}).await
    }

    /// `GET /cost-analysis/breakdown`: one provider's cost per service (needs `cost:read`).
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{CostBreakdownQuery, Provider};
    /// let query = CostBreakdownQuery { provider: Provider::Aws, service: None, period: None, workspace_id: None };
    /// let aws = client.cost_analysis().breakdown(&query).await?;
    /// println!("EC2 and EBS: {:?}", aws.services);
    /// # Ok(()) }
    /// ```
    pub async fn breakdown(&self, query: &CostBreakdownQuery) -> Result<CostBreakdown> {
        self.client.send::<costs::GetCostBreakdown>(&Empty {}, query, &Empty {}).await
    }
}

/// The enabled providers and their prices; from [`SkyClustClient::providers`].
#[derive(Debug, Clone, Copy)]
pub struct ProvidersHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> ProvidersHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        ProvidersHandle { client }
    }

    /// `GET /providers`: regions, instance types and their on-demand prices.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// let catalog = client.providers().list().await?;
    /// for provider in &catalog.providers {
    ///     for region in &provider.regions {
    ///         println!("{:?} {}: {} priced types", provider.provider, region.region, region.instance_types.len());
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<ProviderCatalog> {
        self.client.send::<costs::ListProviders>(&Empty {}, &Empty {}, &Empty {}).await
    }
}
