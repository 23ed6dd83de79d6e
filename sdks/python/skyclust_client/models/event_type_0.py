from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_type_0_type import EventType0Type

if TYPE_CHECKING:
    from ..models.vm_status_change import VmStatusChange


T = TypeVar("T", bound="EventType0")


@_attrs_define
class EventType0:
    """A VM changed status.

    Attributes:
        id (str): Unique event id.
        timestamp (datetime.datetime): When it was published.
        data (VmStatusChange): `vm_status_changed` data.
        type_ (EventType0Type):
    """

    id: str
    timestamp: datetime.datetime
    data: VmStatusChange
    type_: EventType0Type
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
        from ..models.vm_status_change import VmStatusChange

        d = dict(src_dict)
        id = d.pop("id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        data = VmStatusChange.from_dict(d.pop("data"))

        type_ = EventType0Type(d.pop("type"))

        event_type_0 = cls(
            id=id,
            timestamp=timestamp,
            data=data,
            type_=type_,
        )

        event_type_0.additional_properties = d
        return event_type_0

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
