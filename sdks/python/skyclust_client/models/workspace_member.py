from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.member_role import MemberRole

T = TypeVar("T", bound="WorkspaceMember")


@_attrs_define
class WorkspaceMember:
    """A user's membership of a workspace.

    Attributes:
        workspace_id (UUID): The workspace.
        user_id (UUID): The member.
        username (str): The member's username.
        email (str): The member's email.
        role (MemberRole): What a member may do in a workspace.
        created_at (datetime.datetime): When the member was added.
    """

    workspace_id: UUID
    user_id: UUID
    username: str
    email: str
    role: MemberRole
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workspace_id = str(self.workspace_id)

        user_id = str(self.user_id)

        username = self.username

        email = self.email

        role = self.role.value

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workspace_id": workspace_id,
                "user_id": user_id,
                "username": username,
                "email": email,
                "role": role,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        workspace_id = UUID(d.pop("workspace_id"))

        user_id = UUID(d.pop("user_id"))

        username = d.pop("username")

        email = d.pop("email")

        role = MemberRole(d.pop("role"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        workspace_member = cls(
            workspace_id=workspace_id,
            user_id=user_id,
            username=username,
            email=email,
            role=role,
            created_at=created_at,
        )

        workspace_member.additional_properties = d
        return workspace_member

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
