from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.user import User


T = TypeVar("T", bound="AuthResponse")


@_attrs_define
class AuthResponse:
    """What register and login answer: a bearer token and the user it belongs to.

    Attributes:
        token (str): A JWT for the `Authorization: Bearer` header.
        expires_at (datetime.datetime): When the token stops being accepted.
        user (User): A user account as the API shows it (never with its password hash). Example: {'created_at':
            '2024-01-01T00:00:00Z', 'email': 'ada@example.com', 'id': '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a', 'is_active':
            True, 'role': 'admin', 'updated_at': '2024-01-01T00:00:00Z', 'username': 'ada'}.
    """

    token: str
    expires_at: datetime.datetime
    user: User
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        token = self.token

        expires_at = self.expires_at.isoformat()

        user = self.user.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "expires_at": expires_at,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user import User

        d = dict(src_dict)
        token = d.pop("token")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        user = User.from_dict(d.pop("user"))

        auth_response = cls(
            token=token,
            expires_at=expires_at,
            user=user,
        )

        auth_response.additional_properties = d
        return auth_response

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
