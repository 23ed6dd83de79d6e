from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InstancePrice")


@_attrs_define
class InstancePrice:
    """An instance type's on-demand price.

    Attributes:
        instance_type (str): E.g. `t3.micro`.
        hourly_cost (float): Per hour of running, in the catalog's currency.
        source (str): Where the price comes from.
        as_of (datetime.date): When the source was read.
    """

    instance_type: str
    hourly_cost: float
    source: str
    as_of: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instance_type = self.instance_type

        hourly_cost = self.hourly_cost

        source = self.source

        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instance_type": instance_type,
                "hourly_cost": hourly_cost,
                "source": source,
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        instance_type = d.pop("instance_type")

        hourly_cost = d.pop("hourly_cost")

        source = d.pop("source")

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        instance_price = cls(
            instance_type=instance_type,
            hourly_cost=hourly_cost,
            source=source,
            as_of=as_of,
        )

        instance_price.additional_properties = d
        return instance_price

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
