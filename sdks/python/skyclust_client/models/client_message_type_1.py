from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.client_message_type_1_type import ClientMessageType1Type
from ..models.event_type import EventType
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientMessageType1")


@_attrs_define
class ClientMessageType1:
    """Receive only these event types and/or events of this workspace (replaces any earlier filter).

    Attributes:
        type_ (ClientMessageType1Type):
        events (list[EventType] | Unset): Event types to receive; all when absent or empty.
        workspace_id (None | Unset | UUID): Only events about this workspace (events about no workspace still arrive).
    """

    type_: ClientMessageType1Type
    events: list[EventType] | Unset = UNSET
    workspace_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.value
                events.append(events_item)

        workspace_id: None | str | Unset
        if isinstance(self.workspace_id, Unset):
            workspace_id = UNSET
        elif isinstance(self.workspace_id, UUID):
            workspace_id = str(self.workspace_id)
        else:
            workspace_id = self.workspace_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if events is not UNSET:
            field_dict["events"] = events
        if workspace_id is not UNSET:
            field_dict["workspace_id"] = workspace_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = ClientMessageType1Type(d.pop("type"))

        _events = d.pop("events", UNSET)
        events: list[EventType] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = EventType(events_item_data)

                events.append(events_item)

        def _parse_workspace_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                workspace_id_type_0 = UUID(data)

                return workspace_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        workspace_id = _parse_workspace_id(d.pop("workspace_id", UNSET))

        client_message_type_1 = cls(
            type_=type_,
            events=events,
            workspace_id=workspace_id,
        )

        return client_message_type_1
