from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.instance_price import InstancePrice
    from ..models.storage_price import StoragePrice


T = TypeVar("T", bound="RegionOffer")


@_attrs_define
class RegionOffer:
    """What a region of a provider offers, with prices.

    Attributes:
        region (str): E.g. `us-east-1`.
        zones (list[str]): The region's zones a VM may ask for, first the default; empty when the catalog does
            not list them (aws: any availability zone of the region).
        instance_types (list[InstancePrice]): Priced instance types, by family, cheapest first.
        storage (None | StoragePrice | Unset):
    """

    region: str
    zones: list[str]
    instance_types: list[InstancePrice]
    storage: None | StoragePrice | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.storage_price import StoragePrice

        region = self.region

        zones = self.zones

        instance_types = []
        for instance_types_item_data in self.instance_types:
            instance_types_item = instance_types_item_data.to_dict()
            instance_types.append(instance_types_item)

        storage: dict[str, Any] | None | Unset
        if isinstance(self.storage, Unset):
            storage = UNSET
        elif isinstance(self.storage, StoragePrice):
            storage = self.storage.to_dict()
        else:
            storage = self.storage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "region": region,
                "zones": zones,
                "instance_types": instance_types,
            }
        )
        if storage is not UNSET:
            field_dict["storage"] = storage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.instance_price import InstancePrice
        from ..models.storage_price import StoragePrice

        d = dict(src_dict)
        region = d.pop("region")

        zones = cast(list[str], d.pop("zones"))

        instance_types = []
        _instance_types = d.pop("instance_types")
        for instance_types_item_data in _instance_types:
            instance_types_item = InstancePrice.from_dict(instance_types_item_data)

            instance_types.append(instance_types_item)

        def _parse_storage(data: object) -> None | StoragePrice | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                storage_type_0 = StoragePrice.from_dict(data)

                return storage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StoragePrice | Unset, data)

        storage = _parse_storage(d.pop("storage", UNSET))

        region_offer = cls(
            region=region,
            zones=zones,
            instance_types=instance_types,
            storage=storage,
        )

        region_offer.additional_properties = d
        return region_offer

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
