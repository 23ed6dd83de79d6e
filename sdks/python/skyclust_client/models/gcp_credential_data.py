from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.gcp_credential_data_type import GcpCredentialDataType
from ..models.gcp_credential_data_universe_domain import GcpCredentialDataUniverseDomain
from ..types import UNSET, Unset

T = TypeVar("T", bound="GcpCredentialData")


@_attrs_define
class GcpCredentialData:
    """The fields of gcp credentials.

    Attributes:
        type_ (GcpCredentialDataType):
        project_id (str):
        private_key_id (str):
        private_key (str):
        client_email (str):
        client_id (str | Unset):
        auth_uri (str | Unset):
        token_uri (str | Unset):
        auth_provider_x509_cert_url (str | Unset):
        client_x509_cert_url (str | Unset):
        universe_domain (GcpCredentialDataUniverseDomain | Unset):
    """

    type_: GcpCredentialDataType
    project_id: str
    private_key_id: str
    private_key: str
    client_email: str
    client_id: str | Unset = UNSET
    auth_uri: str | Unset = UNSET
    token_uri: str | Unset = UNSET
    auth_provider_x509_cert_url: str | Unset = UNSET
    client_x509_cert_url: str | Unset = UNSET
    universe_domain: GcpCredentialDataUniverseDomain | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        project_id = self.project_id

        private_key_id = self.private_key_id

        private_key = self.private_key

        client_email = self.client_email

        client_id = self.client_id

        auth_uri = self.auth_uri

        token_uri = self.token_uri

        auth_provider_x509_cert_url = self.auth_provider_x509_cert_url

        client_x509_cert_url = self.client_x509_cert_url

        universe_domain: str | Unset = UNSET
        if not isinstance(self.universe_domain, Unset):
            universe_domain = self.universe_domain.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "project_id": project_id,
                "private_key_id": private_key_id,
                "private_key": private_key,
                "client_email": client_email,
            }
        )
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if auth_uri is not UNSET:
            field_dict["auth_uri"] = auth_uri
        if token_uri is not UNSET:
            field_dict["token_uri"] = token_uri
        if auth_provider_x509_cert_url is not UNSET:
            field_dict["auth_provider_x509_cert_url"] = auth_provider_x509_cert_url
        if client_x509_cert_url is not UNSET:
            field_dict["client_x509_cert_url"] = client_x509_cert_url
        if universe_domain is not UNSET:
            field_dict["universe_domain"] = universe_domain

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = GcpCredentialDataType(d.pop("type"))

        project_id = d.pop("project_id")

        private_key_id = d.pop("private_key_id")

        private_key = d.pop("private_key")

        client_email = d.pop("client_email")

        client_id = d.pop("client_id", UNSET)

        auth_uri = d.pop("auth_uri", UNSET)

        token_uri = d.pop("token_uri", UNSET)

        auth_provider_x509_cert_url = d.pop("auth_provider_x509_cert_url", UNSET)

        client_x509_cert_url = d.pop("client_x509_cert_url", UNSET)

        _universe_domain = d.pop("universe_domain", UNSET)
        universe_domain: GcpCredentialDataUniverseDomain | Unset
        if isinstance(_universe_domain, Unset):
            universe_domain = UNSET
        else:
            universe_domain = GcpCredentialDataUniverseDomain(_universe_domain)

        gcp_credential_data = cls(
            type_=type_,
            project_id=project_id,
            private_key_id=private_key_id,
            private_key=private_key,
            client_email=client_email,
            client_id=client_id,
            auth_uri=auth_uri,
            token_uri=token_uri,
            auth_provider_x509_cert_url=auth_provider_x509_cert_url,
            client_x509_cert_url=client_x509_cert_url,
            universe_domain=universe_domain,
        )

        return gcp_credential_data
