from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.memory_metrics import MemoryMetrics


T = TypeVar("T", bound="HealthMetrics")


@_attrs_define
class HealthMetrics:
    """Process metrics measured by the server (nothing here is estimated).

    Attributes:
        memory (MemoryMetrics): Memory figures from the operating system, in MiB.
        tokio_tasks (int): Tasks alive on the async runtime.
        tokio_workers (int): Worker threads of the async runtime.
    """

    memory: MemoryMetrics
    tokio_tasks: int
    tokio_workers: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        memory = self.memory.to_dict()

        tokio_tasks = self.tokio_tasks

        tokio_workers = self.tokio_workers

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "memory": memory,
                "tokio_tasks": tokio_tasks,
                "tokio_workers": tokio_workers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.memory_metrics import MemoryMetrics

        d = dict(src_dict)
        memory = MemoryMetrics.from_dict(d.pop("memory"))

        tokio_tasks = d.pop("tokio_tasks")

        tokio_workers = d.pop("tokio_workers")

        health_metrics = cls(
            memory=memory,
            tokio_tasks=tokio_tasks,
            tokio_workers=tokio_workers,
        )

        health_metrics.additional_properties = d
        return health_metrics

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
