from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Workspace")


@_attrs_define
class Workspace:
    """A workspace: VMs and members under one name.

    Example:
        {'created_at': '2024-01-01T00:00:00Z', 'description': 'Customer-facing services', 'id':
            '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e', 'is_active': True, 'is_personal': False, 'name': 'production',
            'owner_id': '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a', 'updated_at': '2024-01-01T00:00:00Z'}

    Attributes:
        id (UUID): Id.
        name (str): Name, unique per owner (case-insensitive).
        description (str): Free text.
        owner_id (UUID): The user who created it.
        is_active (bool): Whether it is in use.
        is_personal (bool): Whether it is its owner's personal workspace: every user gets one at registration, VMs
            created without a `workspace_id` go there, and it cannot be deleted.
        created_at (datetime.datetime): Creation time.
        updated_at (datetime.datetime): Last change.
    """

    id: UUID
    name: str
    description: str
    owner_id: UUID
    is_active: bool
    is_personal: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        description = self.description

        owner_id = str(self.owner_id)

        is_active = self.is_active

        is_personal = self.is_personal

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "description": description,
                "owner_id": owner_id,
                "is_active": is_active,
                "is_personal": is_personal,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        description = d.pop("description")

        owner_id = UUID(d.pop("owner_id"))

        is_active = d.pop("is_active")

        is_personal = d.pop("is_personal")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        workspace = cls(
            id=id,
            name=name,
            description=description,
            owner_id=owner_id,
            is_active=is_active,
            is_personal=is_personal,
            created_at=created_at,
            updated_at=updated_at,
        )

        workspace.additional_properties = d
        return workspace

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
