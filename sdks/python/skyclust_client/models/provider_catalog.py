from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.provider_offer import ProviderOffer


T = TypeVar("T", bound="ProviderCatalog")


@_attrs_define
class ProviderCatalog:
    """`GET /providers` answer.

    Attributes:
        providers (list[ProviderOffer]): The enabled providers.
        currency (str): Currency of every price, `USD`.
        catalog_date (datetime.date): The catalog's date (its newest source).
    """

    providers: list[ProviderOffer]
    currency: str
    catalog_date: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        providers = []
        for providers_item_data in self.providers:
            providers_item = providers_item_data.to_dict()
            providers.append(providers_item)

        currency = self.currency

        catalog_date = self.catalog_date.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "providers": providers,
                "currency": currency,
                "catalog_date": catalog_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.provider_offer import ProviderOffer

        d = dict(src_dict)
        providers = []
        _providers = d.pop("providers")
        for providers_item_data in _providers:
            providers_item = ProviderOffer.from_dict(providers_item_data)

            providers.append(providers_item)

        currency = d.pop("currency")

        catalog_date = datetime.date.fromisoformat(d.pop("catalog_date"))

        provider_catalog = cls(
            providers=providers,
            currency=currency,
            catalog_date=catalog_date,
        )

        provider_catalog.additional_properties = d
        return provider_catalog

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
