//! Notifications.

use skyclust_types::operations::notifications;

use super::*;

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

impl SkyClustClient {
    /// Your notifications.
    pub fn notifications(&self) -> NotificationsHandle<'_> {
        NotificationsHandle::new(self)
    }
}
