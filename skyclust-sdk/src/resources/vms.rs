//! Virtual machines: lifecycle, adoption and release.

use skyclust_types::operations::vms;

use super::*;

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

impl SkyClustClient {
    /// Virtual machines.
    pub fn vms(&self) -> VmsHandle<'_> {
        VmsHandle::new(self)
    }
}
