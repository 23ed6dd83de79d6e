from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vm_status import VmStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discovered_instance_tags import DiscoveredInstanceTags


T = TypeVar("T", bound="DiscoveredInstance")


@_attrs_define
class DiscoveredInstance:
    """One instance of a provider account.

    Example:
        {'instance_id': 'i-0abc123def4567890', 'instance_type': 't3.large', 'launched_at': '2024-01-01T00:00:00Z',
            'managed': False, 'name': 'legacy-db', 'private_ip': '10.0.1.17', 'provider_status': 'running', 'public_ip':
            '203.0.113.7', 'region': 'us-east-1', 'status': 'running', 'tags': {'Name': 'legacy-db', 'team': 'data'},
            'vm_id': None, 'zone': 'us-east-1b'}

    Attributes:
        instance_id (str): The provider's id of the instance: what `POST /vms/import` takes as
            `provider_instance_id` (an EC2 instance id, a Compute Engine instance path, an Azure
            VM resource id).
        tags (DiscoveredInstanceTags): Its tags (labels on Compute Engine).
        instance_type (str): Instance type (machine type, VM size).
        region (str): Region.
        status (VmStatus): A VM's lifecycle status.
        provider_status (str): The state as the provider names it (`running`, `RUNNING`, `PowerState/deallocated`…).
        managed (bool): Whether a SkyClust VM manages it.
        name (None | str | Unset): Its name (the `Name` tag on EC2), when it has one.
        zone (None | str | Unset): Zone, when it has one.
        public_ip (None | str | Unset): Public address, while it has one.
        private_ip (None | str | Unset): Private address.
        launched_at (datetime.datetime | None | Unset): When the provider launched it, when the provider says.
        vm_id (None | Unset | UUID): The VM managing it, when you can see that VM.
    """

    instance_id: str
    tags: DiscoveredInstanceTags
    instance_type: str
    region: str
    status: VmStatus
    provider_status: str
    managed: bool
    name: None | str | Unset = UNSET
    zone: None | str | Unset = UNSET
    public_ip: None | str | Unset = UNSET
    private_ip: None | str | Unset = UNSET
    launched_at: datetime.datetime | None | Unset = UNSET
    vm_id: None | Unset | UUID = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_id = self.instance_id

        tags = self.tags.to_dict()

        instance_type = self.instance_type

        region = self.region

        status = self.status.value

        provider_status = self.provider_status

        managed = self.managed

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        zone: None | str | Unset
        if isinstance(self.zone, Unset):
            zone = UNSET
        else:
            zone = self.zone

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

        launched_at: None | str | Unset
        if isinstance(self.launched_at, Unset):
            launched_at = UNSET
        elif isinstance(self.launched_at, datetime.datetime):
            launched_at = self.launched_at.isoformat()
        else:
            launched_at = self.launched_at

        vm_id: None | str | Unset
        if isinstance(self.vm_id, Unset):
            vm_id = UNSET
        elif isinstance(self.vm_id, UUID):
            vm_id = str(self.vm_id)
        else:
            vm_id = self.vm_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_id": instance_id,
                "tags": tags,
                "instance_type": instance_type,
                "region": region,
                "status": status,
                "provider_status": provider_status,
                "managed": managed,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if zone is not UNSET:
            field_dict["zone"] = zone
        if public_ip is not UNSET:
            field_dict["public_ip"] = public_ip
        if private_ip is not UNSET:
            field_dict["private_ip"] = private_ip
        if launched_at is not UNSET:
            field_dict["launched_at"] = launched_at
        if vm_id is not UNSET:
            field_dict["vm_id"] = vm_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discovered_instance_tags import DiscoveredInstanceTags

        d = dict(src_dict)
        instance_id = d.pop("instance_id")

        tags = DiscoveredInstanceTags.from_dict(d.pop("tags"))

        instance_type = d.pop("instance_type")

        region = d.pop("region")

        status = VmStatus(d.pop("status"))

        provider_status = d.pop("provider_status")

        managed = d.pop("managed")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_zone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zone = _parse_zone(d.pop("zone", UNSET))

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

        def _parse_launched_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                launched_at_type_0 = datetime.datetime.fromisoformat(data)

                return launched_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        launched_at = _parse_launched_at(d.pop("launched_at", UNSET))

        def _parse_vm_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                vm_id_type_0 = UUID(data)

                return vm_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        vm_id = _parse_vm_id(d.pop("vm_id", UNSET))

        discovered_instance = cls(
            instance_id=instance_id,
            tags=tags,
            instance_type=instance_type,
            region=region,
            status=status,
            provider_status=provider_status,
            managed=managed,
            name=name,
            zone=zone,
            public_ip=public_ip,
            private_ip=private_ip,
            launched_at=launched_at,
            vm_id=vm_id,
        )

        discovered_instance.additional_properties = d
        return discovered_instance

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
