from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.sandbox_credential_request_provider import (
    SandboxCredentialRequestProvider,
)

if TYPE_CHECKING:
    from ..models.sandbox_credential_data import SandboxCredentialData


T = TypeVar("T", bound="SandboxCredentialRequest")


@_attrs_define
class SandboxCredentialRequest:
    """A sandbox credential to store.

    Attributes:
        name (str):
        provider (SandboxCredentialRequestProvider):
        data (SandboxCredentialData): The fields of sandbox credentials.
    """

    name: str
    provider: SandboxCredentialRequestProvider
    data: SandboxCredentialData

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
        from ..models.sandbox_credential_data import SandboxCredentialData

        d = dict(src_dict)
        name = d.pop("name")

        provider = SandboxCredentialRequestProvider(d.pop("provider"))

        data = SandboxCredentialData.from_dict(d.pop("data"))

        sandbox_credential_request = cls(
            name=name,
            provider=provider,
            data=data,
        )

        return sandbox_credential_request
