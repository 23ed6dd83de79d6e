from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provider import Provider

T = TypeVar("T", bound="ProviderCost")


@_attrs_define
class ProviderCost:
    """One provider's share of a total.

    Attributes:
        provider (Provider): A cloud provider.
        cost (float): Its cost.
        percentage (float): Its share of the total, in percent (one decimal).
    """

    provider: Provider
    cost: float
    percentage: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider.value

        cost = self.cost

        percentage = self.percentage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "cost": cost,
                "percentage": percentage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        provider = Provider(d.pop("provider"))

        cost = d.pop("cost")

        percentage = d.pop("percentage")

        provider_cost = cls(
            provider=provider,
            cost=cost,
            percentage=percentage,
        )

        provider_cost.additional_properties = d
        return provider_cost

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
