from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.control_message_type_3_type import ControlMessageType3Type
from ..models.error_code import ErrorCode

T = TypeVar("T", bound="ControlMessageType3")


@_attrs_define
class ControlMessageType3:
    """Something you sent was not understood or not allowed.

    Attributes:
        code (ErrorCode): Machine-readable error code
        message (str): What went wrong.
        type_ (ControlMessageType3Type):
    """

    code: ErrorCode
    message: str
    type_: ControlMessageType3Type
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        message = self.message

        type_ = self.type_.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = ErrorCode(d.pop("code"))

        message = d.pop("message")

        type_ = ControlMessageType3Type(d.pop("type"))

        control_message_type_3 = cls(
            code=code,
            message=message,
            type_=type_,
        )

        control_message_type_3.additional_properties = d
        return control_message_type_3

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
