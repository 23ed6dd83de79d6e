from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.api_key import ApiKey


T = TypeVar("T", bound="CreatedApiKey")


@_attrs_define
class CreatedApiKey:
    """`POST /api-keys` answer: the only time the key is shown.

    Attributes:
        key (str): The secret key (`sk_…`); store it now, it cannot be shown again.
        api_key (ApiKey): An API key as listed: never the key itself. Example: {'created_at': '2024-01-01T00:00:00Z',
            'expires_at': None, 'id': '0f8fad5b-d9cb-469f-a165-70867728950e', 'last_used_at': '2024-01-02T08:00:00Z',
            'name': 'ci-pipeline', 'prefix': 'sk_Ab3dE9xQ', 'read_only': False}.
    """

    key: str
    api_key: ApiKey
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        api_key = self.api_key.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "api_key": api_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.api_key import ApiKey

        d = dict(src_dict)
        key = d.pop("key")

        api_key = ApiKey.from_dict(d.pop("api_key"))

        created_api_key = cls(
            key=key,
            api_key=api_key,
        )

        created_api_key.additional_properties = d
        return created_api_key

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
