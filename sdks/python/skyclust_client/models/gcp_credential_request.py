from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        provider = self.provider.value

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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

        gcp_credential_request.additional_properties = d
        return gcp_credential_request

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
