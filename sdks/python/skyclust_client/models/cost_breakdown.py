from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cost_period import CostPeriod
from ..models.cost_source import CostSource
from ..models.provider import Provider

if TYPE_CHECKING:
    from ..models.service_cost import ServiceCost
    from ..models.unpriced_vm import UnpricedVm


T = TypeVar("T", bound="CostBreakdown")


@_attrs_define
class CostBreakdown:
    """`GET /cost-analysis/breakdown` answer.

    Example:
        {'catalog_date': '2026-01-19', 'currency': 'USD', 'period': '30d', 'provider': 'aws', 'services': [{'cost': 6.0,
            'percentage': 75.0, 'service': 'EC2'}, {'cost': 2.0, 'percentage': 25.0, 'service': 'EBS'}], 'source':
            'estimate', 'total_cost': 8.0, 'unpriced_vms': []}

    Attributes:
        provider (Provider): A cloud provider.
        total_cost (float): Its cost over the period (of `service` alone, when asked).
        services (list[ServiceCost]): Per service; costs add up to `total_cost`.
        currency (str): Currency of every figure, `USD`.
        period (CostPeriod): How far back a cost analysis looks: the last 1, 7, 30 or 90 UTC days, today included.
        source (CostSource): How the figures were obtained.
        catalog_date (datetime.date): The date of the price catalog the figures come from.
        unpriced_vms (list[UnpricedVm]): VMs of the provider whose cost is unknown (not in the catalog).
    """

    provider: Provider
    total_cost: float
    services: list[ServiceCost]
    currency: str
    period: CostPeriod
    source: CostSource
    catalog_date: datetime.date
    unpriced_vms: list[UnpricedVm]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider.value

        total_cost = self.total_cost

        services = []
        for services_item_data in self.services:
            services_item = services_item_data.to_dict()
            services.append(services_item)

        currency = self.currency

        period = self.period.value

        source = self.source.value

        catalog_date = self.catalog_date.isoformat()

        unpriced_vms = []
        for unpriced_vms_item_data in self.unpriced_vms:
            unpriced_vms_item = unpriced_vms_item_data.to_dict()
            unpriced_vms.append(unpriced_vms_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "total_cost": total_cost,
                "services": services,
                "currency": currency,
                "period": period,
                "source": source,
                "catalog_date": catalog_date,
                "unpriced_vms": unpriced_vms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.service_cost import ServiceCost
        from ..models.unpriced_vm import UnpricedVm

        d = dict(src_dict)
        provider = Provider(d.pop("provider"))

        total_cost = d.pop("total_cost")

        services = []
        _services = d.pop("services")
        for services_item_data in _services:
            services_item = ServiceCost.from_dict(services_item_data)

            services.append(services_item)

        currency = d.pop("currency")

        period = CostPeriod(d.pop("period"))

        source = CostSource(d.pop("source"))

        catalog_date = datetime.date.fromisoformat(d.pop("catalog_date"))

        unpriced_vms = []
        _unpriced_vms = d.pop("unpriced_vms")
        for unpriced_vms_item_data in _unpriced_vms:
            unpriced_vms_item = UnpricedVm.from_dict(unpriced_vms_item_data)

            unpriced_vms.append(unpriced_vms_item)

        cost_breakdown = cls(
            provider=provider,
            total_cost=total_cost,
            services=services,
            currency=currency,
            period=period,
            source=source,
            catalog_date=catalog_date,
            unpriced_vms=unpriced_vms,
        )

        cost_breakdown.additional_properties = d
        return cost_breakdown

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
