from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cost_service import CostService
from ..models.provider import Provider

if TYPE_CHECKING:
    from ..models.region_offer import RegionOffer


T = TypeVar("T", bound="ProviderOffer")


@_attrs_define
class ProviderOffer:
    """An enabled provider and its priced regions.

    Attributes:
        provider (Provider): A cloud provider.
        services (list[CostService]): Its services in cost breakdowns: compute, then block storage.
        regions (list[RegionOffer]): Regions with prices, by name. A VM may use other regions and types the provider
            accepts; their cost is reported as unknown.
    """

    provider: Provider
    services: list[CostService]
    regions: list[RegionOffer]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider.value

        services = []
        for services_item_data in self.services:
            services_item = services_item_data.value
            services.append(services_item)

        regions = []
        for regions_item_data in self.regions:
            regions_item = regions_item_data.to_dict()
            regions.append(regions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "services": services,
                "regions": regions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.region_offer import RegionOffer

        d = dict(src_dict)
        provider = Provider(d.pop("provider"))

        services = []
        _services = d.pop("services")
        for services_item_data in _services:
            services_item = CostService(services_item_data)

            services.append(services_item)

        regions = []
        _regions = d.pop("regions")
        for regions_item_data in _regions:
            regions_item = RegionOffer.from_dict(regions_item_data)

            regions.append(regions_item)

        provider_offer = cls(
            provider=provider,
            services=services,
            regions=regions,
        )

        provider_offer.additional_properties = d
        return provider_offer

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
