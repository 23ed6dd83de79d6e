from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.instance_list import InstanceList


T = TypeVar("T", bound="ListCredentialInstancesResponse200")


@_attrs_define
class ListCredentialInstancesResponse200:
    """
    Attributes:
        success (bool):
        data (InstanceList): `GET /credentials/{id}/instances` answer.
        request_id (str):
        timestamp (datetime.datetime):
        message (str | Unset):
    """

    success: bool
    data: InstanceList
    request_id: str
    timestamp: datetime.datetime
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        request_id = self.request_id

        timestamp = self.timestamp.isoformat()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
                "request_id": request_id,
                "timestamp": timestamp,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.instance_list import InstanceList

        d = dict(src_dict)
        success = d.pop("success")

        data = InstanceList.from_dict(d.pop("data"))

        request_id = d.pop("request_id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        message = d.pop("message", UNSET)

        list_credential_instances_response_200 = cls(
            success=success,
            data=data,
            request_id=request_id,
            timestamp=timestamp,
            message=message,
        )

        list_credential_instances_response_200.additional_properties = d
        return list_credential_instances_response_200

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
