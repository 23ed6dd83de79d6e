//! Notifications: the `notify` service other features call, and the recipient's routes
//! `GET /notifications`, `PUT /notifications/{id}/read`, `PUT /notifications/read-all`.

use skyclust_types::operations::notifications::{ListNotifications, MarkAllRead, MarkRead};
use skyclust_types::{Empty, Notification, NotificationList, NotificationType, Priority, ReadAllResult};
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};
use crate::events::Events;
use crate::http::{Api, Ctx, Input};
use crate::storage::{Database, notifications};

/// What a feature tells a user.
#[derive(Debug, Clone)]
pub struct Notice {
    /// A short title.
    pub title: String,
    /// The message (never secrets).
    pub message: String,
    /// What kind of news.
    pub kind: NotificationType,
    /// How urgent.
    pub priority: Priority,
}

/// Notifies `user`. A notification that cannot be stored is logged, not fatal to the action
/// that caused it: the action has already happened.
pub async fn notify(db: &Database, events: &Events, user: Uuid, notice: Notice) -> Option<Notification> {
    match notifications::insert(db, user, &notice.title, &notice.message, notice.kind, notice.priority).await
    {
        Ok(notification) => {
            events.notification_received(user, notification.clone());
            Some(notification)
        }
        Err(error) => {
            tracing::error!(error = %error, %user, title = %notice.title, "storing a notification failed");
            None
        }
    }
}

/// The notification operations.
pub fn api() -> Api {
    Api::default()
        .endpoint::<ListNotifications, _>(list)
        .endpoint::<MarkRead, _>(mark_read)
        .endpoint::<MarkAllRead, _>(mark_all_read)
}

async fn list(ctx: Ctx, caller: Principal, input: Input<ListNotifications>) -> ApiResult<NotificationList> {
    let user = caller.user.id;
    let query = input.query;
    let (notifications, total) = notifications::list(&ctx.state.db, user, &query).await?;
    Ok(NotificationList {
        notifications,
        unread_count: notifications::unread_count(&ctx.state.db, user).await?,
        pagination: query.pagination(total),
    })
}

async fn mark_read(ctx: Ctx, caller: Principal, input: Input<MarkRead>) -> ApiResult<Empty> {
    let user = caller.user.id;
    if notifications::mark_read(&ctx.state.db, user, input.path.id).await? {
        Ok(Empty {})
    } else {
        Err(ApiError::not_found("No such notification"))
    }
}

async fn mark_all_read(ctx: Ctx, caller: Principal, _: Input<MarkAllRead>) -> ApiResult<ReadAllResult> {
    let user = caller.user.id;
    Ok(ReadAllResult { updated: notifications::mark_all_read(&ctx.state.db, user).await? })
}
