from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.discovered_instance import DiscoveredInstance
    from ..models.pagination import Pagination
    from ..models.region_failure import RegionFailure


T = TypeVar("T", bound="InstanceList")


@_attrs_define
class InstanceList:
    """`GET /credentials/{id}/instances` answer.

    Attributes:
        instances (list[DiscoveredInstance]): This page of instances.
        regions (list[str]): The regions that were read.
        failed_regions (list[RegionFailure]): The regions that could not be read, with why.
        pagination (Pagination): `pagination` of every list answer. Example: {'has_next': True, 'has_prev': False,
            'limit': 20, 'offset': 0, 'total': 150}.
    """

    instances: list[DiscoveredInstance]
    regions: list[str]
    failed_regions: list[RegionFailure]
    pagination: Pagination
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instances = []
        for instances_item_data in self.instances:
            instances_item = instances_item_data.to_dict()
            instances.append(instances_item)

        regions = self.regions

        failed_regions = []
        for failed_regions_item_data in self.failed_regions:
            failed_regions_item = failed_regions_item_data.to_dict()
            failed_regions.append(failed_regions_item)

        pagination = self.pagination.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instances": instances,
                "regions": regions,
                "failed_regions": failed_regions,
                "pagination": pagination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discovered_instance import DiscoveredInstance
        from ..models.pagination import Pagination
        from ..models.region_failure import RegionFailure

        d = dict(src_dict)
        instances = []
        _instances = d.pop("instances")
        for instances_item_data in _instances:
            instances_item = DiscoveredInstance.from_dict(instances_item_data)

            instances.append(instances_item)

        regions = cast(list[str], d.pop("regions"))

        failed_regions = []
        _failed_regions = d.pop("failed_regions")
        for failed_regions_item_data in _failed_regions:
            failed_regions_item = RegionFailure.from_dict(failed_regions_item_data)

            failed_regions.append(failed_regions_item)

        pagination = Pagination.from_dict(d.pop("pagination"))

        instance_list = cls(
            instances=instances,
            regions=regions,
            failed_regions=failed_regions,
            pagination=pagination,
        )

        instance_list.additional_properties = d
        return instance_list

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
