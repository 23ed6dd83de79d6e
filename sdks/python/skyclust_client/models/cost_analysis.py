from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cost_period import CostPeriod
from ..models.cost_source import CostSource

if TYPE_CHECKING:
    from ..models.provider_cost import ProviderCost
    from ..models.trend_point import TrendPoint
    from ..models.unpriced_vm import UnpricedVm


T = TypeVar("T", bound="CostAnalysis")


@_attrs_define
class CostAnalysis:
    """`GET /cost-analysis` answer.

    Example:
        {'breakdown': [{'cost': 8.0, 'percentage': 64.0, 'provider': 'aws'}, {'cost': 4.5, 'percentage': 36.0,
            'provider': 'sandbox'}], 'catalog_date': '2026-01-19', 'currency': 'USD', 'period': '7d', 'source': 'estimate',
            'total_cost': 12.5, 'trend': [{'cost': 1.5, 'date': '2024-01-01'}, {'cost': 2.0, 'date': '2024-01-02'}],
            'unpriced_vms': []}

    Attributes:
        total_cost (float): Everything in scope over the period.
        currency (str): Currency of every figure, `USD`.
        period (CostPeriod): How far back a cost analysis looks: the last 1, 7, 30 or 90 UTC days, today included.
        breakdown (list[ProviderCost]): Per provider with a cost, largest first; costs add up to `total_cost`.
        trend (list[TrendPoint]): One point per UTC day of the period, oldest first, zero-cost days included; costs add
            up to `total_cost`.
        source (CostSource): How the figures were obtained.
        catalog_date (datetime.date): The date of the price catalog the figures come from.
        unpriced_vms (list[UnpricedVm]): VMs whose cost is unknown (not in the catalog).
    """

    total_cost: float
    currency: str
    period: CostPeriod
    breakdown: list[ProviderCost]
    trend: list[TrendPoint]
    source: CostSource
    catalog_date: datetime.date
    unpriced_vms: list[UnpricedVm]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        total_cost = self.total_cost

        currency = self.currency

        period = self.period.value

        breakdown = []
        for breakdown_item_data in self.breakdown:
            breakdown_item = breakdown_item_data.to_dict()
            breakdown.append(breakdown_item)

        trend = []
        for trend_item_data in self.trend:
            trend_item = trend_item_data.to_dict()
            trend.append(trend_item)

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
                "total_cost": total_cost,
                "currency": currency,
                "period": period,
                "breakdown": breakdown,
                "trend": trend,
                "source": source,
                "catalog_date": catalog_date,
                "unpriced_vms": unpriced_vms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.provider_cost import ProviderCost
        from ..models.trend_point import TrendPoint
        from ..models.unpriced_vm import UnpricedVm

        d = dict(src_dict)
        total_cost = d.pop("total_cost")

        currency = d.pop("currency")

        period = CostPeriod(d.pop("period"))

        breakdown = []
        _breakdown = d.pop("breakdown")
        for breakdown_item_data in _breakdown:
            breakdown_item = ProviderCost.from_dict(breakdown_item_data)

            breakdown.append(breakdown_item)

        trend = []
        _trend = d.pop("trend")
        for trend_item_data in _trend:
            trend_item = TrendPoint.from_dict(trend_item_data)

            trend.append(trend_item)

        source = CostSource(d.pop("source"))

        catalog_date = datetime.date.fromisoformat(d.pop("catalog_date"))

        unpriced_vms = []
        _unpriced_vms = d.pop("unpriced_vms")
        for unpriced_vms_item_data in _unpriced_vms:
            unpriced_vms_item = UnpricedVm.from_dict(unpriced_vms_item_data)

            unpriced_vms.append(unpriced_vms_item)

        cost_analysis = cls(
            total_cost=total_cost,
            currency=currency,
            period=period,
            breakdown=breakdown,
            trend=trend,
            source=source,
            catalog_date=catalog_date,
            unpriced_vms=unpriced_vms,
        )

        cost_analysis.additional_properties = d
        return cost_analysis

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
