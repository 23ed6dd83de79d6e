from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.notification import Notification
    from ..models.pagination import Pagination


T = TypeVar("T", bound="NotificationList")


@_attrs_define
class NotificationList:
    """`GET /notifications` answer.

    Attributes:
        notifications (list[Notification]): This page of notifications.
        unread_count (int): Unread notifications in all (regardless of filters).
        pagination (Pagination): `pagination` of every list answer. Example: {'has_next': True, 'has_prev': False,
            'limit': 20, 'offset': 0, 'total': 150}.
    """

    notifications: list[Notification]
    unread_count: int
    pagination: Pagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notifications = []
        for notifications_item_data in self.notifications:
            notifications_item = notifications_item_data.to_dict()
            notifications.append(notifications_item)

        unread_count = self.unread_count

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notifications": notifications,
                "unread_count": unread_count,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.notification import Notification
        from ..models.pagination import Pagination

        d = dict(src_dict)
        notifications = []
        _notifications = d.pop("notifications")
        for notifications_item_data in _notifications:
            notifications_item = Notification.from_dict(notifications_item_data)

            notifications.append(notifications_item)

        unread_count = d.pop("unread_count")

        pagination = Pagination.from_dict(d.pop("pagination"))

        notification_list = cls(
            notifications=notifications,
            unread_count=unread_count,
            pagination=pagination,
        )

        notification_list.additional_properties = d
        return notification_list

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
