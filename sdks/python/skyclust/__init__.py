"""SkyClust Python SDK.

The low-level client in ``skyclust_client`` is generated from ``openapi.json`` by
openapi-python-client; this package is the hand-written facade over it, in two flavours of
the same shape::

    from skyclust import SkyClustClient

    client = SkyClustClient(base_url="http://localhost:8080/api/v1", token="...")
    workspaces = client.workspaces.list()

    from skyclust import AsyncSkyClustClient

    async with AsyncSkyClustClient(base_url="http://localhost:8080/api/v1", token="...") as client:
        workspaces = await client.workspaces.list()

Every operation of the API has a method on both clients (``tests/test_coverage.py`` holds the
table), list resources have ``iterate`` for walking every page, idempotent calls are retried
(:class:`RetryPolicy`), and ``client.events.subscribe(...)`` streams real-time events.
"""

from skyclust._client import AsyncSkyClustClient, SkyClustClient
from skyclust._core import RateLimit
from skyclust._errors import (
    ConflictError,
    DecodeError,
    EventStreamError,
    ForbiddenError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServiceUnavailableError,
    SkyClustError,
    TimedOutError,
    UnauthorizedError,
    ValidationError,
)
from skyclust._events import (
    AuditLogCreatedEvent,
    CostUpdatedEvent,
    Event,
    EventStream,
    NotificationReceivedEvent,
    Reconnecting,
    VmStatusChangedEvent,
)
from skyclust._events_async import AsyncEventStream
from skyclust._retry import RetryPolicy
from skyclust._version import __version__

__all__ = [
    "AsyncEventStream",
    "AsyncSkyClustClient",
    "AuditLogCreatedEvent",
    "ConflictError",
    "CostUpdatedEvent",
    "DecodeError",
    "Event",
    "EventStream",
    "EventStreamError",
    "ForbiddenError",
    "NetworkError",
    "NotFoundError",
    "NotificationReceivedEvent",
    "RateLimit",
    "RateLimitedError",
    "Reconnecting",
    "RetryPolicy",
    "ServiceUnavailableError",
    "SkyClustClient",
    "SkyClustError",
    "TimedOutError",
    "UnauthorizedError",
    "ValidationError",
    "VmStatusChangedEvent",
    "__version__",
]
