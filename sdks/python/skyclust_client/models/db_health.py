from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus

T = TypeVar("T", bound="DbHealth")


@_attrs_define
class DbHealth:
    """`GET /health/db`.

    Example:
        {'backend': 'sqlite', 'connection_count': 2, 'idle_connections': 1, 'max_connections': 8, 'response_time':
            '0.4ms', 'response_time_ms': 0.4, 'status': 'healthy'}

    Attributes:
        status (HealthStatus): Overall state of the server or of one dependency.
        backend (str): `sqlite` or `postgres`.
        connection_count (int): Open connections in the pool.
        idle_connections (int): Open connections not in use.
        max_connections (int): Largest pool size.
        response_time (str): Measured round-trip, e.g. `2ms`.
        response_time_ms (float): Measured round-trip in milliseconds.
    """

    status: HealthStatus
    backend: str
    connection_count: int
    idle_connections: int
    max_connections: int
    response_time: str
    response_time_ms: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        backend = self.backend

        connection_count = self.connection_count

        idle_connections = self.idle_connections

        max_connections = self.max_connections

        response_time = self.response_time

        response_time_ms = self.response_time_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "backend": backend,
                "connection_count": connection_count,
                "idle_connections": idle_connections,
                "max_connections": max_connections,
                "response_time": response_time,
                "response_time_ms": response_time_ms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        status = HealthStatus(d.pop("status"))

        backend = d.pop("backend")

        connection_count = d.pop("connection_count")

        idle_connections = d.pop("idle_connections")

        max_connections = d.pop("max_connections")

        response_time = d.pop("response_time")

        response_time_ms = d.pop("response_time_ms")

        db_health = cls(
            status=status,
            backend=backend,
            connection_count=connection_count,
            idle_connections=idle_connections,
            max_connections=max_connections,
            response_time=response_time,
            response_time_ms=response_time_ms,
        )

        db_health.additional_properties = d
        return db_health

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
