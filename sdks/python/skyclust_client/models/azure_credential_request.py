from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.azure_credential_request_provider import AzureCredentialRequestProvider

if TYPE_CHECKING:
    from ..models.azure_credential_data import AzureCredentialData


T = TypeVar("T", bound="AzureCredentialRequest")


@_attrs_define
class AzureCredentialRequest:
    """A azure credential to store.

    Attributes:
        name (str):
        provider (AzureCredentialRequestProvider):
        data (AzureCredentialData): The fields of azure credentials.
    """

    name: str
    provider: AzureCredentialRequestProvider
    data: AzureCredentialData

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
        from ..models.azure_credential_data import AzureCredentialData

        d = dict(src_dict)
        name = d.pop("name")

        provider = AzureCredentialRequestProvider(d.pop("provider"))

        data = AzureCredentialData.from_dict(d.pop("data"))

        azure_credential_request = cls(
            name=name,
            provider=provider,
            data=data,
        )

        return azure_credential_request
