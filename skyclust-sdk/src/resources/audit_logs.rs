//! The audit log.

use skyclust_types::operations::audit;

use super::*;

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

impl SkyClustClient {
    /// The audit log.
    pub fn audit_logs(&self) -> AuditLogsHandle<'_> {
        AuditLogsHandle::new(self)
    }
}
