from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="RedisHealth")


@_attrs_define
class RedisHealth:
    """`GET /health/redis`.

    Example:
        {'event_bus': 'in-process', 'rate_limiter': 'in-process', 'status': 'disabled'}

    Attributes:
        status (HealthStatus): Overall state of the server or of one dependency.
        rate_limiter (str): Where rate limits are counted: `in-process`, `redis`, or Redis that is unreachable with
            each replica counting on its own meanwhile.
        event_bus (str): How events reach sockets: `in-process` (this server's sockets), `redis` (every
            replica's), or Redis that is unreachable with each replica reaching only its own.
        connected_clients (int | None | Unset): Clients connected to Redis.
        used_memory (None | str | Unset): Redis memory use, e.g. `2.5MB`.
        response_time (None | str | Unset): Measured round-trip, e.g. `1ms`.
        response_time_ms (float | None | Unset): Measured round-trip in milliseconds.
    """

    status: HealthStatus
    rate_limiter: str
    event_bus: str
    connected_clients: int | None | Unset = UNSET
    used_memory: None | str | Unset = UNSET
    response_time: None | str | Unset = UNSET
    response_time_ms: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        rate_limiter = self.rate_limiter

        event_bus = self.event_bus

        connected_clients: int | None | Unset
        if isinstance(self.connected_clients, Unset):
            connected_clients = UNSET
        else:
            connected_clients = self.connected_clients

        used_memory: None | str | Unset
        if isinstance(self.used_memory, Unset):
            used_memory = UNSET
        else:
            used_memory = self.used_memory

        response_time: None | str | Unset
        if isinstance(self.response_time, Unset):
            response_time = UNSET
        else:
            response_time = self.response_time

        response_time_ms: float | None | Unset
        if isinstance(self.response_time_ms, Unset):
            response_time_ms = UNSET
        else:
            response_time_ms = self.response_time_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "rate_limiter": rate_limiter,
                "event_bus": event_bus,
            }
        )
        if connected_clients is not UNSET:
            field_dict["connected_clients"] = connected_clients
        if used_memory is not UNSET:
            field_dict["used_memory"] = used_memory
        if response_time is not UNSET:
            field_dict["response_time"] = response_time
        if response_time_ms is not UNSET:
            field_dict["response_time_ms"] = response_time_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = HealthStatus(d.pop("status"))

        rate_limiter = d.pop("rate_limiter")

        event_bus = d.pop("event_bus")

        def _parse_connected_clients(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        connected_clients = _parse_connected_clients(d.pop("connected_clients", UNSET))

        def _parse_used_memory(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        used_memory = _parse_used_memory(d.pop("used_memory", UNSET))

        def _parse_response_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        response_time = _parse_response_time(d.pop("response_time", UNSET))

        def _parse_response_time_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        response_time_ms = _parse_response_time_ms(d.pop("response_time_ms", UNSET))

        redis_health = cls(
            status=status,
            rate_limiter=rate_limiter,
            event_bus=event_bus,
            connected_clients=connected_clients,
            used_memory=used_memory,
            response_time=response_time,
            response_time_ms=response_time_ms,
        )

        redis_health.additional_properties = d
        return redis_health

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
