from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StoragePrice")


@_attrs_define
class StoragePrice:
    """Block storage price of a region: what a VM's root volume costs while its instance exists.

    Attributes:
        volume_type (str): Volume type, e.g. `gp3`.
        gb_month_cost (float): Per GB-month.
        root_volume_gb (int): The root volume size every VM is metered with, in GB.
        source (str): Where the price comes from.
        as_of (datetime.date): When the source was read.
    """

    volume_type: str
    gb_month_cost: float
    root_volume_gb: int
    source: str
    as_of: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        volume_type = self.volume_type

        gb_month_cost = self.gb_month_cost

        root_volume_gb = self.root_volume_gb

        source = self.source

        as_of = self.as_of.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "volume_type": volume_type,
                "gb_month_cost": gb_month_cost,
                "root_volume_gb": root_volume_gb,
                "source": source,
                "as_of": as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        volume_type = d.pop("volume_type")

        gb_month_cost = d.pop("gb_month_cost")

        root_volume_gb = d.pop("root_volume_gb")

        source = d.pop("source")

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        storage_price = cls(
            volume_type=volume_type,
            gb_month_cost=gb_month_cost,
            root_volume_gb=root_volume_gb,
            source=source,
            as_of=as_of,
        )

        storage_price.additional_properties = d
        return storage_price

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
