from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.aws_credential_request_provider import AwsCredentialRequestProvider

if TYPE_CHECKING:
    from ..models.aws_credential_data import AwsCredentialData


T = TypeVar("T", bound="AwsCredentialRequest")


@_attrs_define
class AwsCredentialRequest:
    """A aws credential to store.

    Attributes:
        name (str):
        provider (AwsCredentialRequestProvider):
        data (AwsCredentialData): The fields of aws credentials.
    """

    name: str
    provider: AwsCredentialRequestProvider
    data: AwsCredentialData

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
        from ..models.aws_credential_data import AwsCredentialData

        d = dict(src_dict)
        name = d.pop("name")

        provider = AwsCredentialRequestProvider(d.pop("provider"))

        data = AwsCredentialData.from_dict(d.pop("data"))

        aws_credential_request = cls(
            name=name,
            provider=provider,
            data=data,
        )

        return aws_credential_request
