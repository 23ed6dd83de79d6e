from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_2_type import EventType2Type

if TYPE_CHECKING:
    from ..models.notification import Notification


T = TypeVar("T", bound="EventType2")


@_attrs_define
class EventType2:
    """A notification for you.

    Attributes:
        id (str): Unique event id.
        timestamp (datetime.datetime): When it was published.
        data (Notification): A notification. Example: {'created_at': '2024-01-01T00:00:00Z', 'id':
            '5e7c9a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d', 'is_read': False, 'message': 'ada added you to "production" as member',
            'priority': 'medium', 'title': 'Added to a workspace', 'type': 'info'}.
        type_ (EventType2Type):
    """

    id: str
    timestamp: datetime.datetime
    data: Notification
    type_: EventType2Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        timestamp = self.timestamp.isoformat()

        data = self.data.to_dict()

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "timestamp": timestamp,
                "data": data,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.notification import Notification

        d = dict(src_dict)
        id = d.pop("id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = Notification.from_dict(d.pop("data"))

        type_ = EventType2Type(d.pop("type"))

        event_type_2 = cls(
            id=id,
            timestamp=timestamp,
            data=data,
            type_=type_,
        )

        event_type_2.additional_properties = d
        return event_type_2

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
