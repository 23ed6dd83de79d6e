from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cost_service import CostService

T = TypeVar("T", bound="ServiceCost")


@_attrs_define
class ServiceCost:
    """One service's share of a provider's cost.

    Attributes:
        service (CostService): A service VMs are billed under: each provider has a compute and a block storage one.
        cost (float): Its cost.
        percentage (float): Its share of the provider's total, in percent (one decimal).
    """

    service: CostService
    cost: float
    percentage: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        service = self.service.value

        cost = self.cost

        percentage = self.percentage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "service": service,
                "cost": cost,
                "percentage": percentage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        service = CostService(d.pop("service"))

        cost = d.pop("cost")

        percentage = d.pop("percentage")

        service_cost = cls(
            service=service,
            cost=cost,
            percentage=percentage,
        )

        service_cost.additional_properties = d
        return service_cost

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
