from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="AzureCredentialData")


@_attrs_define
class AzureCredentialData:
    """The fields of azure credentials.

    Attributes:
        tenant_id (UUID):
        client_id (UUID):
        client_secret (str):
        subscription_id (UUID):
        resource_group (str):
    """

    tenant_id: UUID
    client_id: UUID
    client_secret: str
    subscription_id: UUID
    resource_group: str

    def to_dict(self) -> dict[str, Any]:
        tenant_id = str(self.tenant_id)

        client_id = str(self.client_id)

        client_secret = self.client_secret

        subscription_id = str(self.subscription_id)

        resource_group = self.resource_group

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tenant_id": tenant_id,
                "client_id": client_id,
                "client_secret": client_secret,
                "subscription_id": subscription_id,
                "resource_group": resource_group,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        tenant_id = UUID(d.pop("tenant_id"))

        client_id = UUID(d.pop("client_id"))

        client_secret = d.pop("client_secret")

        subscription_id = UUID(d.pop("subscription_id"))

        resource_group = d.pop("resource_group")

        azure_credential_data = cls(
            tenant_id=tenant_id,
            client_id=client_id,
            client_secret=client_secret,
            subscription_id=subscription_id,
            resource_group=resource_group,
        )

        return azure_credential_data
