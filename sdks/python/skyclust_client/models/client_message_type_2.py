from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.client_message_type_2_type import ClientMessageType2Type

T = TypeVar("T", bound="ClientMessageType2")


@_attrs_define
class ClientMessageType2:
    """Ask for a `pong`. (A struct variant, so that serde refuses unknown fields here too.)

    Attributes:
        type_ (ClientMessageType2Type):
    """

    type_: ClientMessageType2Type

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = ClientMessageType2Type(d.pop("type"))

        client_message_type_2 = cls(
            type_=type_,
        )

        return client_message_type_2
