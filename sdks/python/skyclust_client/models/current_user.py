from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.auth_method import AuthMethod
from ..models.permission import Permission

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="CurrentUser")


@_attrs_define
class CurrentUser:
    """`GET /auth/me`: the caller, its role and what it may do.

    Attributes:
        user (User): A user account as the API shows it (never with its password hash). Example: {'created_at':
            '2024-01-01T00:00:00Z', 'email': 'ada@example.com', 'id': '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a', 'is_active':
            True, 'role': 'admin', 'updated_at': '2024-01-01T00:00:00Z', 'username': 'ada'}.
        permissions (list[Permission]): Everything the caller's role grants.
        auth_method (AuthMethod): How a request was authenticated.
    """

    user: User
    permissions: list[Permission]
    auth_method: AuthMethod
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        user = self.user.to_dict()

        permissions = []
        for permissions_item_data in self.permissions:
            permissions_item = permissions_item_data.value
            permissions.append(permissions_item)

        auth_method = self.auth_method.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user": user,
                "permissions": permissions,
                "auth_method": auth_method,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user import User

        d = dict(src_dict)
        user = User.from_dict(d.pop("user"))

        permissions = []
        _permissions = d.pop("permissions")
        for permissions_item_data in _permissions:
            permissions_item = Permission(permissions_item_data)

            permissions.append(permissions_item)

        auth_method = AuthMethod(d.pop("auth_method"))

        current_user = cls(
            user=user,
            permissions=permissions,
            auth_method=auth_method,
        )

        current_user.additional_properties = d
        return current_user

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
