from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_status import HealthStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.health_metrics import HealthMetrics


T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """`GET /health`.

    Example:
        {'environment': 'development', 'status': 'healthy', 'timestamp': '2024-01-01T00:00:00Z', 'uptime': '72h30m15s',
            'uptime_seconds': 261015, 'version': '0.1.0'}

    Attributes:
        status (HealthStatus): Overall state of the server or of one dependency.
        timestamp (datetime.datetime): When the check ran.
        uptime (str): Time since start, e.g. `72h30m15s`.
        uptime_seconds (int): Time since start in seconds.
        version (None | str | Unset): Server version; only for callers with `system:read` (it tells an attacker which
            vulnerabilities to try).
        environment (None | str | Unset): `development` or `production`; only for callers with `system:read`.
        metrics (HealthMetrics | None | Unset):
    """

    status: HealthStatus
    timestamp: datetime.datetime
    uptime: str
    uptime_seconds: int
    version: None | str | Unset = UNSET
    environment: None | str | Unset = UNSET
    metrics: HealthMetrics | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.health_metrics import HealthMetrics

        status = self.status.value

        timestamp = self.timestamp.isoformat()

        uptime = self.uptime

        uptime_seconds = self.uptime_seconds

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        environment: None | str | Unset
        if isinstance(self.environment, Unset):
            environment = UNSET
        else:
            environment = self.environment

        metrics: dict[str, Any] | None | Unset
        if isinstance(self.metrics, Unset):
            metrics = UNSET
        elif isinstance(self.metrics, HealthMetrics):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "timestamp": timestamp,
                "uptime": uptime,
                "uptime_seconds": uptime_seconds,
            }
        )
        if version is not UNSET:
            field_dict["version"] = version
        if environment is not UNSET:
            field_dict["environment"] = environment
        if metrics is not UNSET:
            field_dict["metrics"] = metrics

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.health_metrics import HealthMetrics

        d = dict(src_dict)
        status = HealthStatus(d.pop("status"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        uptime = d.pop("uptime")

        uptime_seconds = d.pop("uptime_seconds")

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_environment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        environment = _parse_environment(d.pop("environment", UNSET))

        def _parse_metrics(data: object) -> HealthMetrics | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_type_0 = HealthMetrics.from_dict(data)

                return metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HealthMetrics | None | Unset, data)

        metrics = _parse_metrics(d.pop("metrics", UNSET))

        health = cls(
            status=status,
            timestamp=timestamp,
            uptime=uptime,
            uptime_seconds=uptime_seconds,
            version=version,
            environment=environment,
            metrics=metrics,
        )

        health.additional_properties = d
        return health

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
