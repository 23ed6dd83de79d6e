from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.control_message_type_0_type import ControlMessageType0Type

T = TypeVar("T", bound="ControlMessageType0")


@_attrs_define
class ControlMessageType0:
    """Authentication succeeded.

    Attributes:
        user_id (UUID): Who you are.
        type_ (ControlMessageType0Type):
    """

    user_id: UUID
    type_: ControlMessageType0Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user_id = str(self.user_id)

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        user_id = UUID(d.pop("user_id"))

        type_ = ControlMessageType0Type(d.pop("type"))

        control_message_type_0 = cls(
            user_id=user_id,
            type_=type_,
        )

        control_message_type_0.additional_properties = d
        return control_message_type_0

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
