from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notification_type import NotificationType
from ..models.priority import Priority
from ..types import UNSET, Unset

T = TypeVar("T", bound="Notification")


@_attrs_define
class Notification:
    """A notification.

    Example:
        {'created_at': '2024-01-01T00:00:00Z', 'id': '5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d', 'is_read': False,
            'message': 'ada added you to "production" as member', 'priority': 'medium', 'title': 'Added to a workspace',
            'type': 'info'}

    Attributes:
        id (UUID): Id.
        title (str): A short title.
        message (str): The message.
        type_ (NotificationType): What kind of news it is.
        priority (Priority): How urgent it is.
        is_read (bool): Whether it was marked read.
        created_at (datetime.datetime): When it was created.
        read_at (datetime.datetime | None | Unset): When it was marked read.
    """

    id: UUID
    title: str
    message: str
    type_: NotificationType
    priority: Priority
    is_read: bool
    created_at: datetime.datetime
    read_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        title = self.title

        message = self.message

        type_ = self.type_.value

        priority = self.priority.value

        is_read = self.is_read

        created_at = self.created_at.isoformat()

        read_at: None | str | Unset
        if isinstance(self.read_at, Unset):
            read_at = UNSET
        elif isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "title": title,
                "message": message,
                "type": type_,
                "priority": priority,
                "is_read": is_read,
                "created_at": created_at,
            }
        )
        if read_at is not UNSET:
            field_dict["read_at"] = read_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        title = d.pop("title")

        message = d.pop("message")

        type_ = NotificationType(d.pop("type"))

        priority = Priority(d.pop("priority"))

        is_read = d.pop("is_read")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_read_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)

                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        read_at = _parse_read_at(d.pop("read_at", UNSET))

        notification = cls(
            id=id,
            title=title,
            message=message,
            type_=type_,
            priority=priority,
            is_read=is_read,
            created_at=created_at,
            read_at=read_at,
        )

        notification.additional_properties = d
        return notification

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
