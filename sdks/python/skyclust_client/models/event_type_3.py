from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_3_type import EventType3Type

if TYPE_CHECKING:
    from ..models.audit_log import AuditLog


T = TypeVar("T", bound="EventType3")


@_attrs_define
class EventType3:
    """An audit entry was written.

    Attributes:
        id (str): Unique event id.
        timestamp (datetime.datetime): When it was published.
        data (AuditLog): One recorded action. Example: {'action': 'create', 'created_at': '2024-01-01T00:00:00Z',
            'details': {'name': 'ci-pipeline'}, 'id': '6b1c1e2a-1a4f-4c1e-9a55-2b7c9e1d0f11', 'ip_address': '192.168.1.1',
            'resource': 'api_key', 'resource_id': '0f8fad5b-d9cb-469f-a165-70867728950e', 'success': True, 'user_agent':
            'Mozilla/5.0', 'user_id': '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a'}.
        type_ (EventType3Type):
    """

    id: str
    timestamp: datetime.datetime
    data: AuditLog
    type_: EventType3Type
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
        from ..models.audit_log import AuditLog

        d = dict(src_dict)
        id = d.pop("id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = AuditLog.from_dict(d.pop("data"))

        type_ = EventType3Type(d.pop("type"))

        event_type_3 = cls(
            id=id,
            timestamp=timestamp,
            data=data,
            type_=type_,
        )

        event_type_3.additional_properties = d
        return event_type_3

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
