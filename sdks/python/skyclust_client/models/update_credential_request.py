from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_credential_request_data_type_0 import (
        UpdateCredentialRequestDataType0,
    )


T = TypeVar("T", bound="UpdateCredentialRequest")


@_attrs_define
class UpdateCredentialRequest:
    """`PUT /credentials/{id}` body: absent fields keep their value; `data` replaces all fields.
    `Debug` names the fields of `data`, never their values.

        Example:
            {'data': {'access_key': 'AKIAIOSFODNN7EXAMPLE', 'region': 'us-east-1', 'secret_key':
                'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}, 'name': 'aws-prod-rotated'}

        Attributes:
            name (None | str | Unset): New name.
            data (None | Unset | UpdateCredentialRequestDataType0): New provider fields, checked against the credential's
                provider.
            is_active (bool | None | Unset): Activate or deactivate.
    """

    name: None | str | Unset = UNSET
    data: None | Unset | UpdateCredentialRequestDataType0 = UNSET
    is_active: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.update_credential_request_data_type_0 import (
            UpdateCredentialRequestDataType0,
        )

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        data: dict[str, Any] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, UpdateCredentialRequestDataType0):
            data = self.data.to_dict()
        else:
            data = self.data

        is_active: bool | None | Unset
        if isinstance(self.is_active, Unset):
            is_active = UNSET
        else:
            is_active = self.is_active

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if data is not UNSET:
            field_dict["data"] = data
        if is_active is not UNSET:
            field_dict["is_active"] = is_active

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.update_credential_request_data_type_0 import (
            UpdateCredentialRequestDataType0,
        )

        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_data(
            data: object,
        ) -> None | Unset | UpdateCredentialRequestDataType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = UpdateCredentialRequestDataType0.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UpdateCredentialRequestDataType0, data)

        data = _parse_data(d.pop("data", UNSET))

        def _parse_is_active(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_active = _parse_is_active(d.pop("is_active", UNSET))

        update_credential_request = cls(
            name=name,
            data=data,
            is_active=is_active,
        )

        return update_credential_request
