from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provider import Provider
from ..models.vm_action import VmAction
from ..models.vm_status import VmStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Vm")


@_attrs_define
class Vm:
    """A virtual machine.

    Example:
        {'actions': ['stop', 'reboot', 'delete'], 'created_at': '2024-01-01T00:00:00Z', 'created_by':
            '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a', 'credential_id': None, 'id': '1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d',
            'image_id': 'ami-12345678', 'instance_id': 'i-0a1b2c3d4e5f60718', 'instance_type': 't3.micro', 'key_pair': 'my-
            key-pair', 'name': 'web-1', 'private_ip': '10.0.0.12', 'provider': 'sandbox', 'public_ip': '203.0.113.10',
            'region': 'us-east-1', 'status': 'running', 'status_reason': None, 'updated_at': '2024-01-01T00:00:00Z',
            'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e', 'zone': 'us-east-1a'}

    Attributes:
        id (UUID): Id.
        name (str): Name.
        provider (Provider): A cloud provider.
        instance_type (str): Instance type.
        status (VmStatus): A VM's lifecycle status.
        region (str): Region.
        workspace_id (UUID): Its workspace.
        actions (list[VmAction]): What may be done to it now.
        created_by (UUID): Who created it.
        created_at (datetime.datetime): Creation time.
        updated_at (datetime.datetime): Last change.
        zone (None | str | Unset): Zone within the region (a GCP zone such as `us-central1-a`, an AWS availability zone
            such as `us-east-1a`): the one asked for, else the provider's choice once it is known.
        credential_id (None | Unset | UUID): The credential used with the provider.
        instance_id (None | str | Unset): The provider's id of the instance, once created.
        image_id (None | str | Unset): Machine image.
        key_pair (None | str | Unset): SSH key pair.
        public_ip (None | str | Unset): Public address, while it has one.
        private_ip (None | str | Unset): Private address.
        status_reason (None | str | Unset): The provider's message when `status` is `error`.
    """

    id: UUID
    name: str
    provider: Provider
    instance_type: str
    status: VmStatus
    region: str
    workspace_id: UUID
    actions: list[VmAction]
    created_by: UUID
    created_at: datetime.datetime
    updated_at: datetime.datetime
    zone: None | str | Unset = UNSET
    credential_id: None | Unset | UUID = UNSET
    instance_id: None | str | Unset = UNSET
    image_id: None | str | Unset = UNSET
    key_pair: None | str | Unset = UNSET
    public_ip: None | str | Unset = UNSET
    private_ip: None | str | Unset = UNSET
    status_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        name = self.name

        provider = self.provider.value

        instance_type = self.instance_type

        status = self.status.value

        region = self.region

        workspace_id = str(self.workspace_id)

        actions = []
        for actions_item_data in self.actions:
            actions_item = actions_item_data.value
            actions.append(actions_item)

        created_by = str(self.created_by)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        zone: None | str | Unset
        if isinstance(self.zone, Unset):
            zone = UNSET
        else:
            zone = self.zone

        credential_id: None | str | Unset
        if isinstance(self.credential_id, Unset):
            credential_id = UNSET
        elif isinstance(self.credential_id, UUID):
            credential_id = str(self.credential_id)
        else:
            credential_id = self.credential_id

        instance_id: None | str | Unset
        if isinstance(self.instance_id, Unset):
            instance_id = UNSET
        else:
            instance_id = self.instance_id

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

        public_ip: None | str | Unset
        if isinstance(self.public_ip, Unset):
            public_ip = UNSET
        else:
            public_ip = self.public_ip

        private_ip: None | str | Unset
        if isinstance(self.private_ip, Unset):
            private_ip = UNSET
        else:
            private_ip = self.private_ip

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "provider": provider,
                "instance_type": instance_type,
                "status": status,
                "region": region,
                "workspace_id": workspace_id,
                "actions": actions,
                "created_by": created_by,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )
        if zone is not UNSET:
            field_dict["zone"] = zone
        if credential_id is not UNSET:
            field_dict["credential_id"] = credential_id
        if instance_id is not UNSET:
            field_dict["instance_id"] = instance_id
        if image_id is not UNSET:
            field_dict["image_id"] = image_id
        if key_pair is not UNSET:
            field_dict["key_pair"] = key_pair
        if public_ip is not UNSET:
            field_dict["public_ip"] = public_ip
        if private_ip is not UNSET:
            field_dict["private_ip"] = private_ip
        if status_reason is not UNSET:
            field_dict["status_reason"] = status_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        name = d.pop("name")

        provider = Provider(d.pop("provider"))

        instance_type = d.pop("instance_type")

        status = VmStatus(d.pop("status"))

        region = d.pop("region")

        workspace_id = UUID(d.pop("workspace_id"))

        actions = []
        _actions = d.pop("actions")
        for actions_item_data in _actions:
            actions_item = VmAction(actions_item_data)

            actions.append(actions_item)

        created_by = UUID(d.pop("created_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zone = _parse_zone(d.pop("zone", UNSET))

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

        def _parse_instance_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        instance_id = _parse_instance_id(d.pop("instance_id", UNSET))

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

        def _parse_public_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        public_ip = _parse_public_ip(d.pop("public_ip", UNSET))

        def _parse_private_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        private_ip = _parse_private_ip(d.pop("private_ip", UNSET))

        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("status_reason", UNSET))

        vm = cls(
            id=id,
            name=name,
            provider=provider,
            instance_type=instance_type,
            status=status,
            region=region,
            workspace_id=workspace_id,
            actions=actions,
            created_by=created_by,
            created_at=created_at,
            updated_at=updated_at,
            zone=zone,
            credential_id=credential_id,
            instance_id=instance_id,
            image_id=image_id,
            key_pair=key_pair,
            public_ip=public_ip,
            private_ip=private_ip,
            status_reason=status_reason,
        )

        vm.additional_properties = d
        return vm

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
