from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vm_status import VmStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="VmStatusChange")


@_attrs_define
class VmStatusChange:
    """`vm_status_changed` data.

    Attributes:
        vm_id (UUID): The VM.
        workspace_id (UUID): Its workspace.
        status (VmStatus): A VM's lifecycle status.
        timestamp (datetime.datetime): When the change happened.
        previous_status (None | Unset | VmStatus):
    """

    vm_id: UUID
    workspace_id: UUID
    status: VmStatus
    timestamp: datetime.datetime
    previous_status: None | Unset | VmStatus = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        vm_id = str(self.vm_id)

        workspace_id = str(self.workspace_id)

        status = self.status.value

        timestamp = self.timestamp.isoformat()

        previous_status: None | str | Unset
        if isinstance(self.previous_status, Unset):
            previous_status = UNSET
        elif isinstance(self.previous_status, VmStatus):
            previous_status = self.previous_status.value
        else:
            previous_status = self.previous_status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "vm_id": vm_id,
                "workspace_id": workspace_id,
                "status": status,
                "timestamp": timestamp,
            }
        )
        if previous_status is not UNSET:
            field_dict["previous_status"] = previous_status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        vm_id = UUID(d.pop("vm_id"))

        workspace_id = UUID(d.pop("workspace_id"))

        status = VmStatus(d.pop("status"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        def _parse_previous_status(data: object) -> None | Unset | VmStatus:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_status_type_0 = VmStatus(data)

                return previous_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VmStatus, data)

        previous_status = _parse_previous_status(d.pop("previous_status", UNSET))

        vm_status_change = cls(
            vm_id=vm_id,
            workspace_id=workspace_id,
            status=status,
            timestamp=timestamp,
            previous_status=previous_status,
        )

        vm_status_change.additional_properties = d
        return vm_status_change

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
