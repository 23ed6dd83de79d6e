from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.gcp_credential_data_type import GcpCredentialDataType
from ..types import UNSET, Unset

T = TypeVar("T", bound="GcpCredentialData")


@_attrs_define
class GcpCredentialData:
    """The fields of gcp credentials.

    Attributes:
        type_ (GcpCredentialDataType):
        project_id (str):
        private_key (str):
        client_email (str):
        private_key_id (str | Unset):
        client_id (str | Unset):
    """

    type_: GcpCredentialDataType
    project_id: str
    private_key: str
    client_email: str
    private_key_id: str | Unset = UNSET
    client_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        project_id = self.project_id

        private_key = self.private_key

        client_email = self.client_email

        private_key_id = self.private_key_id

        client_id = self.client_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "project_id": project_id,
                "private_key": private_key,
                "client_email": client_email,
            }
        )
        if private_key_id is not UNSET:
            field_dict["private_key_id"] = private_key_id
        if client_id is not UNSET:
            field_dict["client_id"] = client_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = GcpCredentialDataType(d.pop("type"))

        project_id = d.pop("project_id")

        private_key = d.pop("private_key")

        client_email = d.pop("client_email")

        private_key_id = d.pop("private_key_id", UNSET)

        client_id = d.pop("client_id", UNSET)

        gcp_credential_data = cls(
            type_=type_,
            project_id=project_id,
            private_key=private_key,
            client_email=client_email,
            private_key_id=private_key_id,
            client_id=client_id,
        )

        return gcp_credential_data
