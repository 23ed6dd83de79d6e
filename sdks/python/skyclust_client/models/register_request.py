from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RegisterRequest")


@_attrs_define
class RegisterRequest:
    """`POST /auth/register` body.

    Example:
        {'email': 'ada@example.com', 'password': 'correct horse battery', 'username': 'ada'}

    Attributes:
        username (str): 3–50 characters of `[A-Za-z0-9_.-]`.
        email (str): A valid email address.
        password (str): 8 to 128 characters, not one of the commonest passwords (in any case)
    """

    username: str
    email: str
    password: str

    def to_dict(self) -> dict[str, Any]:
        username = self.username

        email = self.email

        password = self.password

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "username": username,
                "email": email,
                "password": password,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        username = d.pop("username")

        email = d.pop("email")

        password = d.pop("password")

        register_request = cls(
            username=username,
            email=email,
            password=password,
        )

        return register_request
