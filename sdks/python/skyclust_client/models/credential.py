from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provider import Provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="Credential")


@_attrs_define
class Credential:
    """A stored credential as the API shows it: never its secrets.

    Example:
        {'created_at': '2024-01-01T00:00:00Z', 'hint': 'AKIA…WXYZ', 'id': '9b2e4f1a-6c3d-4e5f-8a7b-1c2d3e4f5a6b',
            'is_active': True, 'name': 'aws-prod', 'provider': 'aws', 'region': 'us-east-1', 'updated_at':
            '2024-01-01T00:00:00Z'}

    Attributes:
        id (UUID): Id.
        name (str): Name, unique among your credentials.
        provider (Provider): A cloud provider.
        is_active (bool): Whether VMs may use it.
        hint (str): A masked identifier to recognise it by (e.g. `AKIA…WXYZ`), never a secret.
        created_at (datetime.datetime): Creation time.
        updated_at (datetime.datetime): Last change.
        region (None | str | Unset): The default region, where the provider has one.
    """

    id: UUID
    name: str
    provider: Provider
    is_active: bool
    hint: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    region: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        provider = self.provider.value

        is_active = self.is_active

        hint = self.hint

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "provider": provider,
                "is_active": is_active,
                "hint": hint,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        provider = Provider(d.pop("provider"))

        is_active = d.pop("is_active")

        hint = d.pop("hint")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        credential = cls(
            id=id,
            name=name,
            provider=provider,
            is_active=is_active,
            hint=hint,
            created_at=created_at,
            updated_at=updated_at,
            region=region,
        )

        credential.additional_properties = d
        return credential

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
