from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SandboxCredentialData")


@_attrs_define
class SandboxCredentialData:
    """The fields of sandbox credentials.

    Attributes:
        region (str | Unset):
    """

    region: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        region = self.region

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        region = d.pop("region", UNSET)

        sandbox_credential_data = cls(
            region=region,
        )

        return sandbox_credential_data
