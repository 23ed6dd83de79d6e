from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CostUpdate")


@_attrs_define
class CostUpdate:
    """`cost_updated` data.

    Attributes:
        workspace_id (UUID): The workspace whose figures changed.
        period (str): The period the figure covers, e.g. `30d`.
        total_cost (float): The workspace's total cost over the period.
        currency (str): Currency of `total_cost`.
    """

    workspace_id: UUID
    period: str
    total_cost: float
    currency: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workspace_id = str(self.workspace_id)

        period = self.period

        total_cost = self.total_cost

        currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workspace_id": workspace_id,
                "period": period,
                "total_cost": total_cost,
                "currency": currency,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        workspace_id = UUID(d.pop("workspace_id"))

        period = d.pop("period")

        total_cost = d.pop("total_cost")

        currency = d.pop("currency")

        cost_update = cls(
            workspace_id=workspace_id,
            period=period,
            total_cost=total_cost,
            currency=currency,
        )

        cost_update.additional_properties = d
        return cost_update

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
