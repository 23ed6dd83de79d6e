from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.audit_log_details_type_0 import AuditLogDetailsType0


T = TypeVar("T", bound="AuditLog")


@_attrs_define
class AuditLog:
    """One recorded action.

    Example:
        {'action': 'create', 'created_at': '2024-01-01T00:00:00Z', 'details': {'name': 'ci-pipeline'}, 'id':
            '6b1c1e2a-1a4f-4c1e-9a55-2b7c9e1d0f11', 'ip_address': '192.168.1.1', 'resource': 'api_key', 'resource_id':
            '0f8fad5b-d9cb-469f-a165-70867728950e', 'success': True, 'user_agent': 'Mozilla/5.0', 'user_id':
            '7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a'}

    Attributes:
        id (UUID): The entry's id.
        action (str): What was done, e.g. `create`, `update`, `delete`, `login`.
        resource (str): What kind of thing it was done to, e.g. `user`, `api_key`, `session`.
        success (bool): Whether it succeeded.
        created_at (datetime.datetime): When it happened.
        user_id (None | Unset | UUID): Who acted (absent for anonymous attempts).
        resource_id (None | str | Unset): Which one, when known.
        ip_address (None | str | Unset): The client's address.
        user_agent (None | str | Unset): The client's `User-Agent`.
        details (AuditLogDetailsType0 | None | Unset): More about the action (never secrets).
    """

    id: UUID
    action: str
    resource: str
    success: bool
    created_at: datetime.datetime
    user_id: None | Unset | UUID = UNSET
    resource_id: None | str | Unset = UNSET
    ip_address: None | str | Unset = UNSET
    user_agent: None | str | Unset = UNSET
    details: AuditLogDetailsType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_log_details_type_0 import AuditLogDetailsType0

        id = str(self.id)

        action = self.action

        resource = self.resource

        success = self.success

        created_at = self.created_at.isoformat()

        user_id: None | str | Unset
        if isinstance(self.user_id, Unset):
            user_id = UNSET
        elif isinstance(self.user_id, UUID):
            user_id = str(self.user_id)
        else:
            user_id = self.user_id

        resource_id: None | str | Unset
        if isinstance(self.resource_id, Unset):
            resource_id = UNSET
        else:
            resource_id = self.resource_id

        ip_address: None | str | Unset
        if isinstance(self.ip_address, Unset):
            ip_address = UNSET
        else:
            ip_address = self.ip_address

        user_agent: None | str | Unset
        if isinstance(self.user_agent, Unset):
            user_agent = UNSET
        else:
            user_agent = self.user_agent

        details: dict[str, Any] | None | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        elif isinstance(self.details, AuditLogDetailsType0):
            details = self.details.to_dict()
        else:
            details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "action": action,
                "resource": resource,
                "success": success,
                "created_at": created_at,
            }
        )
        if user_id is not UNSET:
            field_dict["user_id"] = user_id
        if resource_id is not UNSET:
            field_dict["resource_id"] = resource_id
        if ip_address is not UNSET:
            field_dict["ip_address"] = ip_address
        if user_agent is not UNSET:
            field_dict["user_agent"] = user_agent
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_log_details_type_0 import AuditLogDetailsType0

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        action = d.pop("action")

        resource = d.pop("resource")

        success = d.pop("success")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_user_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                user_id_type_0 = UUID(data)

                return user_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        user_id = _parse_user_id(d.pop("user_id", UNSET))

        def _parse_resource_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resource_id = _parse_resource_id(d.pop("resource_id", UNSET))

        def _parse_ip_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip_address = _parse_ip_address(d.pop("ip_address", UNSET))

        def _parse_user_agent(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        user_agent = _parse_user_agent(d.pop("user_agent", UNSET))

        def _parse_details(data: object) -> AuditLogDetailsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = AuditLogDetailsType0.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AuditLogDetailsType0 | None | Unset, data)

        details = _parse_details(d.pop("details", UNSET))

        audit_log = cls(
            id=id,
            action=action,
            resource=resource,
            success=success,
            created_at=created_at,
            user_id=user_id,
            resource_id=resource_id,
            ip_address=ip_address,
            user_agent=user_agent,
            details=details,
        )

        audit_log.additional_properties = d
        return audit_log

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
