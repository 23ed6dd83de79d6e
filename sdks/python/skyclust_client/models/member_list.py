from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pagination import Pagination
    from ..models.workspace_member import WorkspaceMember


T = TypeVar("T", bound="MemberList")


@_attrs_define
class MemberList:
    """`GET /workspaces/{id}/members` answer.

    Attributes:
        members (list[WorkspaceMember]): This page of members.
        pagination (Pagination): `pagination` of every list answer. Example: {'has_next': True, 'has_prev': False,
            'limit': 20, 'offset': 0, 'total': 150}.
    """

    members: list[WorkspaceMember]
    pagination: Pagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        members = []
        for members_item_data in self.members:
            members_item = members_item_data.to_dict()
            members.append(members_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "members": members,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.pagination import Pagination
        from ..models.workspace_member import WorkspaceMember

        d = dict(src_dict)
        members = []
        _members = d.pop("members")
        for members_item_data in _members:
            members_item = WorkspaceMember.from_dict(members_item_data)

            members.append(members_item)

        pagination = Pagination.from_dict(d.pop("pagination"))

        member_list = cls(
            members=members,
            pagination=pagination,
        )

        member_list.additional_properties = d
        return member_list

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
