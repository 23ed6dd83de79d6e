"""The errors every call raises: :class:`SkyClustError` and one subclass per error code."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Mapping
from typing import Any

__all__ = [
    "ConflictError",
    "DecodeError",
    "EventStreamError",
    "ForbiddenError",
    "NetworkError",
    "NotFoundError",
    "RateLimitedError",
    "ServiceUnavailableError",
    "SkyClustError",
    "TimedOutError",
    "UnauthorizedError",
    "ValidationError",
]

# The code of an answer that carries no SkyClust envelope, from its status.
CODE_BY_STATUS = {
    400: "VALIDATION_ERROR",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
    502: "PROVIDER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


class SkyClustError(Exception):
    """An error answered by the API, or one of the client's own (status 0): ``NETWORK_ERROR``,
    ``TIMEOUT``, ``WEBSOCKET_ERROR``.

    :attr:`close_code` is the WebSocket close code when the event stream ended with this error.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
        details: Any = None,
        *,
        retry_after: float | None = None,
        close_code: int | None = None,
    ) -> None:
        text = f"{code} ({status}): {message}"
        fields = _fields_of(details)
        if fields and not all(f"{name} " in message for name in fields):
            text += " — " + "; ".join(f"{name}: {problem}" for name, problem in fields.items())
        super().__init__(text)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.details = details
        self.close_code = close_code
        self._retry_after = retry_after

    @property
    def fields(self) -> dict[str, str]:
        """Per-field messages of a ``VALIDATION_ERROR`` (``data.fields``)."""
        return _fields_of(self.details)

    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked to wait before trying again (``Retry-After``), when it did."""
        return self._retry_after


class ValidationError(SkyClustError):
    """``VALIDATION_ERROR`` (400): :attr:`fields` says what is wrong with each field."""


class UnauthorizedError(SkyClustError):
    """``UNAUTHORIZED`` (401): no credentials, or ones the server refused. The event stream ends
    with it (``close_code`` 4001) when its credentials stop being valid."""


class ForbiddenError(SkyClustError):
    """``FORBIDDEN`` (403): signed in, but not allowed to do this."""


class NotFoundError(SkyClustError):
    """``NOT_FOUND`` (404): no such resource, or not one you may see."""


class ConflictError(SkyClustError):
    """``CONFLICT`` (409): the request clashes with the resource's state."""


class RateLimitedError(SkyClustError):
    """``RATE_LIMITED`` (429): :attr:`retry_after` is how many seconds to wait."""

    @property
    def retry_after(self) -> float | None:
        """Seconds until the budget refills: the answer's ``data.retry_after``, else ``Retry-After``."""
        if isinstance(self.details, Mapping) and isinstance(self.details.get("retry_after"), int):
            return float(self.details["retry_after"])
        return self._retry_after


class ServiceUnavailableError(SkyClustError):
    """``SERVICE_UNAVAILABLE`` (503): busy or timed out; worth retrying."""


class NetworkError(SkyClustError):
    """``NETWORK_ERROR`` (status 0): the API could not be reached."""


class TimedOutError(SkyClustError):
    """``TIMEOUT`` (status 0): no answer within the client's timeout, or a wait
    (``vms.wait_until``, ``events.receive(timeout=…)``) ran out of time."""


class DecodeError(SkyClustError):
    """``DECODE_ERROR``: an answer that is not what the API describes (status is the HTTP status)."""


class EventStreamError(SkyClustError):
    """``WEBSOCKET_ERROR`` (status 0): the event stream failed and gave up reconnecting;
    :attr:`close_code` is the last close code, when the server sent one."""


_ERROR_CLASSES: dict[str, type[SkyClustError]] = {
    "VALIDATION_ERROR": ValidationError,
    "UNAUTHORIZED": UnauthorizedError,
    "FORBIDDEN": ForbiddenError,
    "NOT_FOUND": NotFoundError,
    "CONFLICT": ConflictError,
    "RATE_LIMITED": RateLimitedError,
    "SERVICE_UNAVAILABLE": ServiceUnavailableError,
    "NETWORK_ERROR": NetworkError,
    "TIMEOUT": TimedOutError,
    "DECODE_ERROR": DecodeError,
    "WEBSOCKET_ERROR": EventStreamError,
}


def error_for(
    status: int,
    code: str,
    message: str,
    request_id: str | None = None,
    details: Any = None,
    *,
    retry_after: float | None = None,
    close_code: int | None = None,
) -> SkyClustError:
    """The :class:`SkyClustError` subclass of ``code`` (the base class for other codes)."""
    kind = _ERROR_CLASSES.get(code, SkyClustError)
    return kind(status, code, message, request_id, details, retry_after=retry_after, close_code=close_code)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds: delay-seconds or an HTTP date (None when absent or unreadable)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _fields_of(details: Any) -> dict[str, str]:
    if isinstance(details, Mapping):
        fields = details.get("fields")
        if isinstance(fields, Mapping):
            return {str(name): str(problem) for name, problem in fields.items()}
    return {}
