from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImportVmRequest")


@_attrs_define
class ImportVmRequest:
    """`POST /vms/import` body.

    Example:
        {'credential_id': '9b2e4c1a-6d3f-4e8a-b7c5-1f2a3b4c5d6e', 'name': 'legacy-db', 'provider_instance_id':
            'i-0abc123def4567890', 'region': 'us-east-1', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}

    Attributes:
        credential_id (UUID): Your credential of the account the instance runs in.
        provider_instance_id (str): The provider's id of the instance, as discovery lists it.
        region (str): Its region.
        workspace_id (UUID): The workspace to manage it in (one you may work in).
        name (None | str | Unset): 1–255 characters; the instance's own name (else its id) when absent.
    """

    credential_id: UUID
    provider_instance_id: str
    region: str
    workspace_id: UUID
    name: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        credential_id = str(self.credential_id)

        provider_instance_id = self.provider_instance_id

        region = self.region

        workspace_id = str(self.workspace_id)

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "credential_id": credential_id,
                "provider_instance_id": provider_instance_id,
                "region": region,
                "workspace_id": workspace_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        credential_id = UUID(d.pop("credential_id"))

        provider_instance_id = d.pop("provider_instance_id")

        region = d.pop("region")

        workspace_id = UUID(d.pop("workspace_id"))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        import_vm_request = cls(
            credential_id=credential_id,
            provider_instance_id=provider_instance_id,
            region=region,
            workspace_id=workspace_id,
            name=name,
        )

        return import_vm_request
