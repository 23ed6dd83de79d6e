from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.client_message_type_0_type import ClientMessageType0Type
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientMessageType0")


@_attrs_define
class ClientMessageType0:
    """Authenticate with a JWT or an API key (exactly one).

    Attributes:
        type_ (ClientMessageType0Type):
        token (None | str | Unset): A JWT.
        api_key (None | str | Unset): An API key.
    """

    type_: ClientMessageType0Type
    token: None | str | Unset = UNSET
    api_key: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        token: None | str | Unset
        if isinstance(self.token, Unset):
            token = UNSET
        else:
            token = self.token

        api_key: None | str | Unset
        if isinstance(self.api_key, Unset):
            api_key = UNSET
        else:
            api_key = self.api_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if token is not UNSET:
            field_dict["token"] = token
        if api_key is not UNSET:
            field_dict["api_key"] = api_key

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = ClientMessageType0Type(d.pop("type"))

        def _parse_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        token = _parse_token(d.pop("token", UNSET))

        def _parse_api_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key = _parse_api_key(d.pop("api_key", UNSET))

        client_message_type_0 = cls(
            type_=type_,
            token=token,
            api_key=api_key,
        )

        return client_message_type_0
