from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.pagination import Pagination
    from ..models.vm import Vm


T = TypeVar("T", bound="VmList")


@_attrs_define
class VmList:
    """`GET /vms` answer.

    Attributes:
        vms (list[Vm]): This page of VMs.
        pagination (Pagination): `pagination` of every list answer. Example: {'has_next': True, 'has_prev': False,
            'limit': 20, 'offset': 0, 'total': 150}.
    """

    vms: list[Vm]
    pagination: Pagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vms = []
        for vms_item_data in self.vms:
            vms_item = vms_item_data.to_dict()
            vms.append(vms_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "vms": vms,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.pagination import Pagination
        from ..models.vm import Vm

        d = dict(src_dict)
        vms = []
        _vms = d.pop("vms")
        for vms_item_data in _vms:
            vms_item = Vm.from_dict(vms_item_data)

            vms.append(vms_item)

        pagination = Pagination.from_dict(d.pop("pagination"))

        vm_list = cls(
            vms=vms,
            pagination=pagination,
        )

        vm_list.additional_properties = d
        return vm_list

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
