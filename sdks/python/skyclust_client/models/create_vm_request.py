from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.provider import Provider
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateVmRequest")


@_attrs_define
class CreateVmRequest:
    """`POST /vms` body.

    Example:
        {'image_id': 'ami-12345678', 'instance_type': 't3.micro', 'key_pair': 'my-key-pair', 'name': 'web-1',
            'provider': 'sandbox', 'region': 'us-east-1', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}

    Attributes:
        name (str): 1–255 characters.
        provider (Provider): A cloud provider.
        instance_type (str): Instance type: `t3.micro` (aws, sandbox), `e2-micro` (gcp) — lower-case letters,
            digits, `.` and `-` — or an Azure VM size such as `Standard_B1s`, which may also hold
            upper-case letters and `_`. Each provider accepts the types it prices (`GET /providers`).
        region (str): Region, e.g. `us-east-1` (aws, sandbox), `us-central1` (gcp) or `eastus` (azure).
        zone (None | str | Unset): Zone within the region, e.g. `us-east-1a` (aws, sandbox), `us-central1-a` (gcp) or an
            availability zone number such as `1` (azure). When absent gcp and the sandbox use the
            region's first zone in the catalog, aws lets EC2 choose (the VM records the zone either
            way), and an azure VM is regional (in no particular zone).
        workspace_id (None | Unset | UUID): The workspace to create it in; the caller's personal workspace when absent.
        image_id (None | str | Unset): Machine image: an AMI id such as `ami-12345678` for `aws` (when absent, the
            region's
            newest Amazon Linux 2023 image for the instance type's architecture, recorded on the VM
            once it is created), for `gcp` an image or image family path such as
            `projects/debian-cloud/global/images/family/debian-12` (the default when absent), or
            for `azure` an image reference `publisher:offer:sku:version` (default
            `Canonical:ubuntu-24_04-lts:server:latest`).
        key_pair (None | str | Unset): SSH access: an EC2 key pair name for `aws` (up to 255 characters), for `gcp` an
            `ssh-keys` metadata entry `user:ssh-ed25519 AAAA… [comment]`, or for `azure` (where it
            is required) an OpenSSH public key `ssh-ed25519 AAAA… [comment]` or `ssh-rsa …`,
            installed for the user `azureuser`.
        credential_id (None | Unset | UUID): The credential to use; your newest active one for the provider when absent.
    """

    name: str
    provider: Provider
    instance_type: str
    region: str
    zone: None | str | Unset = UNSET
    workspace_id: None | Unset | UUID = UNSET
    image_id: None | str | Unset = UNSET
    key_pair: None | str | Unset = UNSET
    credential_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        provider = self.provider.value

        instance_type = self.instance_type

        region = self.region

        zone: None | str | Unset
        if isinstance(self.zone, Unset):
            zone = UNSET
        else:
            zone = self.zone

        workspace_id: None | str | Unset
        if isinstance(self.workspace_id, Unset):
            workspace_id = UNSET
        elif isinstance(self.workspace_id, UUID):
            workspace_id = str(self.workspace_id)
        else:
            workspace_id = self.workspace_id

        image_id: None | str | Unset
        if isinstance(self.image_id, Unset):
            image_id = UNSET
        else:
            image_id = self.image_id

        key_pair: None | str | Unset
        if isinstance(self.key_pair, Unset):
            key_pair = UNSET
        else:
            key_pair = self.key_pair

        credential_id: None | str | Unset
        if isinstance(self.credential_id, Unset):
            credential_id = UNSET
        elif isinstance(self.credential_id, UUID):
            credential_id = str(self.credential_id)
        else:
            credential_id = self.credential_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "provider": provider,
                "instance_type": instance_type,
                "region": region,
            }
        )
        if zone is not UNSET:
            field_dict["zone"] = zone
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id
        if image_id is not UNSET:
            field_dict["image_id"] = image_id
        if key_pair is not UNSET:
            field_dict["key_pair"] = key_pair
        if credential_id is not UNSET:
            field_dict["credential_id"] = credential_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        provider = Provider(d.pop("provider"))

        instance_type = d.pop("instance_type")

        region = d.pop("region")

        def _parse_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zone = _parse_zone(d.pop("zone", UNSET))

        def _parse_workspace_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workspace_id_type_0 = UUID(data)

                return workspace_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        workspace_id = _parse_workspace_id(d.pop("workspace_id", UNSET))

        def _parse_image_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_id = _parse_image_id(d.pop("image_id", UNSET))

        def _parse_key_pair(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key_pair = _parse_key_pair(d.pop("key_pair", UNSET))

        def _parse_credential_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                credential_id_type_0 = UUID(data)

                return credential_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        credential_id = _parse_credential_id(d.pop("credential_id", UNSET))

        create_vm_request = cls(
            name=name,
            provider=provider,
            instance_type=instance_type,
            region=region,
            zone=zone,
            workspace_id=workspace_id,
            image_id=image_id,
            key_pair=key_pair,
            credential_id=credential_id,
        )

        return create_vm_request
