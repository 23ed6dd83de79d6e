from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provider import Provider

T = TypeVar("T", bound="UnpricedVm")


@_attrs_define
class UnpricedVm:
    """A VM that ran in the period but whose price the catalog does not know: its cost is
    unknown, and not counted in any figure.

        Attributes:
            vm_id (UUID): The VM.
            provider (Provider): A cloud provider.
            region (str): Its region.
            instance_type (str): Its instance type.
    """

    vm_id: UUID
    provider: Provider
    region: str
    instance_type: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vm_id = str(self.vm_id)

        provider = self.provider.value

        region = self.region

        instance_type = self.instance_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "vm_id": vm_id,
                "provider": provider,
                "region": region,
                "instance_type": instance_type,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        vm_id = UUID(d.pop("vm_id"))

        provider = Provider(d.pop("provider"))

        region = d.pop("region")

        instance_type = d.pop("instance_type")

        unpriced_vm = cls(
            vm_id=vm_id,
            provider=provider,
            region=region,
            instance_type=instance_type,
        )

        unpriced_vm.additional_properties = d
        return unpriced_vm

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
