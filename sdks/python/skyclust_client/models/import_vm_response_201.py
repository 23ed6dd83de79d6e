from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.vm import Vm


T = TypeVar("T", bound="ImportVmResponse201")


@_attrs_define
class ImportVmResponse201:
    """
    Attributes:
        success (bool):
        data (Vm): A virtual machine. Example: {'actions': ['stop', 'reboot', 'delete'], 'created_at':
            '2024-01-01T00:00:00Z', 'created_by': '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a', 'credential_id': None, 'id':
            '1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d', 'image_id': 'ami-12345678', 'instance_id': 'i-0a1b2c3d4e5f60718',
            'instance_type': 't3.micro', 'key_pair': 'my-key-pair', 'name': 'web-1', 'private_ip': '10.0.0.12', 'provider':
            'sandbox', 'public_ip': '203.0.113.10', 'region': 'us-east-1', 'status': 'running', 'status_reason': None,
            'updated_at': '2024-01-01T00:00:00Z', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e', 'zone': 'us-
            east-1a'}.
        request_id (str):
        timestamp (datetime.datetime):
        message (str | Unset):
    """

    success: bool
    data: Vm
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
        from ..models.vm import Vm

        d = dict(src_dict)
        success = d.pop("success")

        data = Vm.from_dict(d.pop("data"))

        request_id = d.pop("request_id")

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        message = d.pop("message", UNSET)

        import_vm_response_201 = cls(
            success=success,
            data=data,
            request_id=request_id,
            timestamp=timestamp,
            message=message,
        )

        import_vm_response_201.additional_properties = d
        return import_vm_response_201

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
