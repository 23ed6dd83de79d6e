"""Notifications."""

from __future__ import annotations

from typing import Any

from skyclust._core import (
    Call,
    DateLike,
    Id,
    ListCall,
    OneOrMany,
    call,
    enum_of,
    enums_of,
    list_call,
    returns,
    returns_nothing,
    uuid_of,
)
from skyclust_client.api.notifications import list_notifications as _list_notifications
from skyclust_client.api.notifications import mark_all_notifications_read as _mark_all_notifications_read
from skyclust_client.api.notifications import mark_notification_read as _mark_notification_read
from skyclust_client.models import (
    ListNotificationsSort,
    Notification,
    NotificationList,
    NotificationType,
    Priority,
    ReadAllResult,
)


def _updated(data: Any) -> int:
    return returns(ReadAllResult)(data).updated


# ---- notifications ----


def list_notifications(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListNotificationsSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    unread_only: bool | None = None,
    type: OneOrMany[NotificationType | str] | None = None,
    priority: OneOrMany[Priority | str] | None = None,
) -> ListCall[NotificationList, Notification]:
    """``GET /notifications``: yours, with ``unread_count``."""
    return list_call(
        _list_notifications,
        NotificationList,
        lambda page: page.notifications,
        limit=limit,
        offset=offset,
        sort=enum_of(ListNotificationsSort, sort),
        start_date=start_date,
        end_date=end_date,
        unread_only=unread_only,
        type_=enums_of(NotificationType, type),
        priority=enums_of(Priority, priority),
    )


def mark_notification_read(notification_id: Id) -> Call[None]:
    """``PUT /notifications/{id}/read``."""
    return call(_mark_notification_read, returns_nothing, id=uuid_of(notification_id))


def mark_all_notifications_read() -> Call[int]:
    """``PUT /notifications/read-all``: returns how many were marked."""
    return call(_mark_all_notifications_read, _updated)
