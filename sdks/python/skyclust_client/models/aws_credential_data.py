from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AwsCredentialData")


@_attrs_define
class AwsCredentialData:
    """The fields of aws credentials.

    Attributes:
        access_key (str):
        secret_key (str):
        region (str):
        session_token (str | Unset):
    """

    access_key: str
    secret_key: str
    region: str
    session_token: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        access_key = self.access_key

        secret_key = self.secret_key

        region = self.region

        session_token = self.session_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "access_key": access_key,
                "secret_key": secret_key,
                "region": region,
            }
        )
        if session_token is not UNSET:
            field_dict["session_token"] = session_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_key = d.pop("access_key")

        secret_key = d.pop("secret_key")

        region = d.pop("region")

        session_token = d.pop("session_token", UNSET)

        aws_credential_data = cls(
            access_key=access_key,
            secret_key=secret_key,
            region=region,
            session_token=session_token,
        )

        return aws_credential_data
