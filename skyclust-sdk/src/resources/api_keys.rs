//! The caller's API keys.

use skyclust_types::operations::api_keys;

use super::*;

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

impl SkyClustClient {
    /// The caller's API keys.
    pub fn api_keys(&self) -> ApiKeysHandle<'_> {
        ApiKeysHandle::new(self)
    }
}
