from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.gcp_credential_request_provider import GcpCredentialRequestProvider

if TYPE_CHECKING:
    from ..models.gcp_credential_data import GcpCredentialData


T = TypeVar("T", bound="GcpCredentialRequest")


@_attrs_define
class GcpCredentialRequest:
    """A gcp credential to store.

    Attributes:
        name (str):
        provider (GcpCredentialRequestProvider):
        data (GcpCredentialData): The fields of gcp credentials.
    """

    name: str
    provider: GcpCredentialRequestProvider
    data: GcpCredentialData

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        provider = self.provider.value

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "provider": provider,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.gcp_credential_data import GcpCredentialData

        d = dict(src_dict)
        name = d.pop("name")

        provider = GcpCredentialRequestProvider(d.pop("provider"))

        data = GcpCredentialData.from_dict(d.pop("data"))

        gcp_credential_request = cls(
            name=name,
            provider=provider,
            data=data,
        )

        return gcp_credential_request
