//! Cloud credentials and the instances their accounts run.

use skyclust_types::operations::credentials;

use super::*;

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
    /// use skyclust_sdk::types::CreateCredentialRequest;
    /// use skyclust_sdk::types::credentials::AwsCredentialData;
    /// let keys = AwsCredentialData::new(
    ///     "AKIAIOSFODNN7EXAMPLE",
    ///     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ///     "us-east-1",
    /// );
    /// let credential = client.credentials().create(&CreateCredentialRequest::new("aws-prod", keys)).await?;
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

impl SkyClustClient {
    /// Your cloud credentials.
    pub fn credentials(&self) -> CredentialsHandle<'_> {
        CredentialsHandle::new(self)
    }
}
