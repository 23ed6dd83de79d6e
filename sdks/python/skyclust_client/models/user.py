from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

T = TypeVar("T", bound="User")


@_attrs_define
class User:
    """A user account as the API shows it (never with its password hash).

    Example:
        {'created_at': '2024-01-01T00:00:00Z', 'email': 'ada@example.com', 'id': '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a',
            'is_active': True, 'role': 'admin', 'updated_at': '2024-01-01T00:00:00Z', 'username': 'ada'}

    Attributes:
        id (UUID): The user's id.
        username (str): Unique login name, 3–50 characters of `[A-Za-z0-9_.-]`.
        email (str): Unique email address.
        role (Role): A user's role. The first user to register becomes `admin`; later ones `user`.
        is_active (bool): Deactivated users cannot sign in and their tokens stop working.
        created_at (datetime.datetime): When the account was created.
        updated_at (datetime.datetime): When the account last changed.
    """

    id: UUID
    username: str
    email: str
    role: Role
    is_active: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        username = self.username

        email = self.email

        role = self.role.value

        is_active = self.is_active

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "username": username,
                "email": email,
                "role": role,
                "is_active": is_active,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        username = d.pop("username")

        email = d.pop("email")

        role = Role(d.pop("role"))

        is_active = d.pop("is_active")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        user = cls(
            id=id,
            username=username,
            email=email,
            role=role,
            is_active=is_active,
            created_at=created_at,
            updated_at=updated_at,
        )

        user.additional_properties = d
        return user

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
