"""Real-time events: ``client.events.subscribe(...)``, over the server's WebSocket endpoint.

The protocol (``skyclust-server/src/websocket/mod.rs``): connect to ``ws://host/ws``, send
``{"type": "auth", "token" | "api_key": ...}`` and receive ``auth_success``; send ``subscribe``
(event types and/or a workspace) and receive ``subscribed``; then events arrive as
``{"type", "id", "timestamp", "data"}``. The server closes with 4001 when the credentials are
refused, expire or are revoked, 4008 when the client reads too slowly, 4029 when the user holds
too many sessions, 1001 when it shuts down.

As in the Rust SDK, a dropped connection is made again after a full-jitter backoff, with the
same credentials and subscription (events published meanwhile are not replayed), each time
reported to ``on_reconnect``; 4001 ends the stream with :class:`UnauthorizedError`, as does a
subscription the server refuses (:class:`NotFoundError` for a workspace you cannot see), and 4029
with :class:`RateLimitedError` (another connection would only be refused again), whether the
close comes during the handshake or later.

The WebSocket upgrade is never sent on to another address: a connection that the websockets
library opened by following a redirect is closed before the ``auth`` message (the credentials)
is sent on it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Union

import httpx
import websockets.asyncio.client
import websockets.exceptions
import websockets.sync.client
from typing_extensions import Self

from skyclust._core import Id, OneOrMany, Session, enums_of, uuid_of
from skyclust._errors import (
    CODE_BY_STATUS,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    SkyClustError,
    UnauthorizedError,
    ValidationError,
    error_for,
    parse_retry_after,
)
from skyclust._retry import RetryPolicy
from skyclust._version import __version__
from skyclust_client.models import EventType, EventType0, EventType1, EventType2, EventType3

__all__ = [
    "AuditLogCreatedEvent",
    "CostUpdatedEvent",
    "Event",
    "EventStream",
    "NotificationReceivedEvent",
    "Reconnecting",
    "VmStatusChangedEvent",
]

_log = logging.getLogger("skyclust.events")

VmStatusChangedEvent = EventType0
"""``vm_status_changed``: ``data`` is a ``VmStatusChange`` (``vm_id``, ``workspace_id``, ``status``, ``previous_status``)."""
CostUpdatedEvent = EventType1
"""``cost_updated``: ``data`` is a ``CostUpdate``."""
NotificationReceivedEvent = EventType2
"""``notification_received``: ``data`` is a ``Notification``."""
AuditLogCreatedEvent = EventType3
"""``audit_log_created``: ``data`` is an ``AuditLog``."""
Event = Union[VmStatusChangedEvent, CostUpdatedEvent, NotificationReceivedEvent, AuditLogCreatedEvent]
"""Any event; tell them apart with ``isinstance`` or ``event.type_``."""

EVENT_MODELS: Mapping[str, type[Event]] = {
    "vm_status_changed": VmStatusChangedEvent,
    "cost_updated": CostUpdatedEvent,
    "notification_received": NotificationReceivedEvent,
    "audit_log_created": AuditLogCreatedEvent,
}

CLOSE_UNAUTHORIZED = 4001
CLOSE_TOO_MANY_SESSIONS = 4029
# The close code each refusal sent before a close stands for.
_REFUSAL_CLOSES = {"UNAUTHORIZED": CLOSE_UNAUTHORIZED, "RATE_LIMITED": CLOSE_TOO_MANY_SESSIONS}
_OPEN_TIMEOUT = 10.0
_USER_AGENT = f"skyclust-sdk-python/{__version__}"
_DEFAULT_RECONNECT = RetryPolicy(base_delay=0.25, max_delay=30.0)


@dataclass(frozen=True)
class Reconnecting:
    """Given to ``on_reconnect``: the connection ended and attempt ``attempt`` follows in ``delay`` s."""

    attempt: int
    delay: float
    reason: str
    close_code: int | None
    """The server's close code (4008 too slow, 1001 shutting down, …), when it sent one."""


def websocket_url(base_url: str) -> str:
    """``http://host/api/v1`` → ``ws://host/ws`` (``https`` → ``wss``; a prefix before ``/api/v1`` is kept)."""
    url = httpx.URL(base_url)
    path = url.path.rstrip("/")
    prefix = path.removesuffix("/api/v1")
    return str(url.copy_with(scheme="wss" if url.scheme == "https" else "ws", path=f"{prefix}/ws", query=None))


@dataclass(frozen=True)
class _Subscription:
    """What a stream asks for, and how it reconnects."""

    types: list[str]
    workspace_id: str | None
    reconnect: RetryPolicy
    max_reconnects: int | None
    on_reconnect: Callable[[Reconnecting], None] | None


def _subscription(
    types: OneOrMany[EventType | str] | None,
    workspace_id: Id | None,
    reconnect: RetryPolicy | None,
    max_reconnects: int | None,
    on_reconnect: Callable[[Reconnecting], None] | None,
) -> _Subscription:
    return _Subscription(
        [kind.value for kind in enums_of(EventType, types) or []],
        None if workspace_id is None else str(uuid_of(workspace_id)),
        reconnect or _DEFAULT_RECONNECT,
        max_reconnects,
        on_reconnect,
    )


class _Connection:
    """The protocol of one connection, without I/O: what to send, and what each message received
    means. ``ready`` once authenticated and subscribed."""

    def __init__(self, session: Session, subscription: _Subscription) -> None:
        self._session = session
        self._subscription = subscription
        self._refusal: tuple[str, str] | None = None
        """The code and message of an ``error`` that the server follows with its close."""
        self.ready = False

    def hello(self) -> str:
        """The first message: ``auth`` with the client's current credential."""
        auth = self._session.websocket_auth()
        if auth is None:
            raise UnauthorizedError(0, "UNAUTHORIZED", "the event stream needs a token or an API key")
        return json.dumps(auth)

    def receive(self, text: str | bytes) -> tuple[str | None, Event | None]:
        """A message to send in reply, if any, and the event ``text`` carries, if it is one."""
        try:
            message = json.loads(text)
            kind = message["type"]
        except (ValueError, KeyError, TypeError):
            _log.debug("ignoring a message that is not one of the protocol's: %.200r", text)
            return None, None
        if kind == "auth_success":
            wanted = self._subscription
            if not wanted.types and wanted.workspace_id is None:
                self.ready = True
                return None, None
            subscribe: dict[str, Any] = {"type": "subscribe", "events": wanted.types}
            if wanted.workspace_id is not None:
                subscribe["workspace_id"] = wanted.workspace_id
            return json.dumps(subscribe), None
        if kind == "subscribed":
            self.ready = True
            return None, None
        if kind == "error":
            code, text = str(message.get("code")), str(message.get("message"))
            if code in _REFUSAL_CLOSES and (code == "UNAUTHORIZED" or not self.ready):
                # The close (4001; 4029 for too many sessions) follows; its error carries this message.
                self._refusal = (code, text)
            elif not self.ready:
                raise error_for(_status_of(code), code, f"subscription refused: {text}")
            else:
                _log.warning("the event stream answered %s: %s", code, text)
            return None, None
        model = EVENT_MODELS.get(kind)
        if model is None or not self.ready:
            # Before `subscribed`, events are not yet filtered; unknown kinds come from a newer server.
            return None, None
        try:
            return None, model.from_dict(message)
        except (KeyError, ValueError, TypeError) as error:
            _log.warning("ignoring a %s event that does not match the contract: %s", kind, error)
            return None, None

    def closed(self, closed: websockets.exceptions.ConnectionClosed) -> SkyClustError:
        """The error a closed connection stands for (fatal for 4001 and 4029)."""
        frame = closed.rcvd
        code = None if frame is None else frame.code
        reason = "" if frame is None else frame.reason
        # The close code says what ended the stream; a refusal sent before it says so too when
        # the close itself was not a clean one.
        kind = code
        if code not in _REFUSAL_CLOSES.values() and self._refusal is not None:
            kind = _REFUSAL_CLOSES[self._refusal[0]]
        message = self._refusal[1] if self._refusal is not None else reason
        if kind == CLOSE_UNAUTHORIZED:
            return UnauthorizedError(401, "UNAUTHORIZED", message or "credentials no longer valid", close_code=code)
        if kind == CLOSE_TOO_MANY_SESSIONS:
            return RateLimitedError(429, "RATE_LIMITED", message or "too many sessions", close_code=code)
        shown = f"closed with {code} {reason}".strip() if code is not None else "connection lost"
        return error_for(0, "WEBSOCKET_ERROR", shown, close_code=code)


def _status_of(code: str) -> int:
    return next((status for status, known in CODE_BY_STATUS.items() if known == code), 0)


def _fatal(error: SkyClustError) -> bool:
    """Whether a stream must end rather than reconnect: credentials refused, a subscription the
    server refused, or too many sessions (trying again would not change its answer). A 4001 or
    4029 close is fatal whenever it comes, during the handshake or later."""
    if error.close_code in (CLOSE_UNAUTHORIZED, CLOSE_TOO_MANY_SESSIONS):
        return True
    # Refused by the event stream itself (a close followed it), not an HTTP 429 of the upgrade.
    if isinstance(error, RateLimitedError) and error.close_code is not None:
        return True
    return isinstance(error, (UnauthorizedError, ValidationError, NotFoundError, ForbiddenError))


def _redirected(url: str, request: Any) -> str | None:
    """Where the connection opened for ``url`` really goes, when the websockets library followed a
    redirect to get there (it does, even to another host); None when it goes to ``url``.
    ``request`` is the connection's opening handshake request."""
    if request is None:
        return None
    wanted = urllib.parse.urlsplit(url)
    default_port = 443 if wanted.scheme == "wss" else 80
    host = urllib.parse.urlsplit("//" + str(request.headers.get("Host", "")))
    try:
        same = (host.hostname, host.port or default_port, request.path) == (
            wanted.hostname,
            wanted.port or default_port,
            wanted.path,
        )
    except ValueError:  # a port that is not a number
        same = False
    return None if same else f"{host.netloc}{request.path}"


def _redirect_error(url: str, target: str) -> SkyClustError:
    return error_for(
        0,
        "WEBSOCKET_ERROR",
        f"the event stream at {url} redirected to {target}; the client does not send its credentials "
        "there (the API never redirects): is the base URL right?",
    )


def _connect_error(error: Exception) -> SkyClustError:
    """A failure to open the WebSocket as a :class:`SkyClustError`."""
    if isinstance(error, websockets.exceptions.InvalidStatus):
        response = error.response
        status = response.status_code
        try:
            envelope = json.loads(response.body or b"")
        except ValueError:
            envelope = {}
        message = str(envelope.get("error") or f"the WebSocket upgrade was refused with HTTP {status}")
        code = str(envelope.get("code") or CODE_BY_STATUS.get(status, "WEBSOCKET_ERROR"))
        failure = error_for(status, code, message, retry_after=parse_retry_after(response.headers.get("Retry-After")))
    elif isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        failure = error_for(0, "TIMEOUT", "the event stream did not answer in time")
    elif isinstance(error, OSError):
        failure = error_for(0, "NETWORK_ERROR", f"cannot reach the event stream: {error}")
    else:
        failure = error_for(0, "WEBSOCKET_ERROR", f"cannot open the event stream: {error}")
    failure.__cause__ = error
    return failure


# (asyncio.TimeoutError is TimeoutError, itself an OSError, from Python 3.11 on only.)
_CONNECT_FAILURES = (
    OSError,
    asyncio.TimeoutError,
    websockets.exceptions.InvalidHandshake,
    websockets.exceptions.InvalidURI,
)


class _StreamBase:
    """State and decisions shared by the sync and the async stream."""

    def __init__(self, session: Session, subscription: _Subscription) -> None:
        self._session = session
        self._subscription = subscription
        self._url = websocket_url(session.base_url)
        self._connection = _Connection(session, subscription)
        self._finished = False
        self._closing = False
        self.reconnects = 0
        """How many times the stream reconnected."""

    def _dropped(self, error: SkyClustError) -> None:
        """After the connection ended with ``error``: raise it if the stream must end."""
        if _fatal(error) or self._closing:
            self._finished = True
            raise error

    def _notice(self, attempt: int, error: SkyClustError) -> Reconnecting:
        """The notice before reconnect attempt ``attempt``; raises ``error`` when out of attempts."""
        wanted = self._subscription
        if wanted.max_reconnects is not None and attempt > wanted.max_reconnects:
            self._finished = True
            raise error
        notice = Reconnecting(attempt, wanted.reconnect.delay(attempt), error.message, error.close_code)
        _log.info("event stream: %s; reconnect attempt %d in %.2fs", error.message, attempt, notice.delay)
        if wanted.on_reconnect is not None:
            wanted.on_reconnect(notice)
        return notice

    def _closed_error(self) -> SkyClustError:
        return error_for(0, "WEBSOCKET_ERROR", "the event stream is closed")

    def _ended(self, closed: websockets.exceptions.ConnectionClosed) -> SkyClustError:
        """The error of a connection that closed: the stream's own close, or the server's."""
        return self._closed_error() if self._closing else self._connection.closed(closed)


def _remaining(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def _no_event(timeout: float | None) -> SkyClustError:
    return error_for(0, "TIMEOUT", f"no event within {timeout}s")


class EventStream(_StreamBase):
    """An iterator of events; from ``client.events.subscribe(...)``.

    It connects on ``with`` (use that to be subscribed before you act) or at the first ``next()``,
    and stops at :meth:`close`. :meth:`receive` waits for one event, with a timeout if given.
    """

    def __init__(self, session: Session, subscription: _Subscription) -> None:
        super().__init__(session, subscription)
        self._socket: websockets.sync.client.ClientConnection | None = None

    def __iter__(self) -> Iterator[Event]:
        return self

    def __next__(self) -> Event:
        if self._finished:
            raise StopIteration
        try:
            return self.receive()
        except SkyClustError:
            # close() from another thread ends the iteration, not with an error.
            if self._closing:
                raise StopIteration from None
            raise

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def connect(self) -> None:
        """Connects, authenticates and subscribes, unless connected already. A failure here is
        raised as is (no retry): bad credentials or an unreachable server fail at once."""
        if self._finished:
            raise self._closed_error()
        if self._socket is None:
            self._socket = self._open()

    def close(self) -> None:
        """Closes the connection; iteration stops (also in a thread waiting for an event)."""
        self._finished = self._closing = True
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def receive(self, timeout: float | None = None) -> Event:
        """The next event; :class:`TimedOutError` when none comes within ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        self.connect()
        while True:
            assert self._socket is not None
            try:
                text = self._socket.recv(timeout=_remaining(deadline))
            except TimeoutError:
                raise _no_event(timeout) from None
            except websockets.exceptions.ConnectionClosed as closed:
                self._socket = None
                self._reconnect(self._ended(closed))
                continue
            _, event = self._connection.receive(text)
            if event is not None:
                return event

    def _open(self) -> websockets.sync.client.ClientConnection:
        connection = _Connection(self._session, self._subscription)
        try:
            # Entered as a context manager, which websockets 17.1+ asks for (close() ends it).
            socket = websockets.sync.client.connect(
                self._url, open_timeout=_OPEN_TIMEOUT, user_agent_header=_USER_AGENT
            ).__enter__()
        except _CONNECT_FAILURES as error:
            raise _connect_error(error) from None
        target = _redirected(self._url, socket.request)
        if target is not None:
            socket.close()
            raise _redirect_error(self._url, target)
        try:
            socket.send(connection.hello())
            while not connection.ready:
                reply, _ = connection.receive(socket.recv(timeout=_OPEN_TIMEOUT))
                if reply is not None:
                    socket.send(reply)
        except websockets.exceptions.ConnectionClosed as closed:
            raise connection.closed(closed) from None
        except TimeoutError:
            socket.close()
            raise error_for(0, "TIMEOUT", "the event stream did not answer auth or subscribe in time") from None
        except BaseException:
            socket.close()
            raise
        self._connection = connection
        return socket

    def _reconnect(self, error: SkyClustError) -> None:
        self._dropped(error)
        attempt = 1
        while True:
            time.sleep(self._notice(attempt, error).delay)
            try:
                self._socket = self._open()
            except SkyClustError as failure:
                self._dropped(failure)
                error, attempt = failure, attempt + 1
                continue
            self.reconnects += 1
            return


_SUBSCRIBE_DOC = """Events the caller may see, narrowed to ``types`` (one or several of
``vm_status_changed``, ``cost_updated``, ``notification_received``, ``audit_log_created``;
all when None) and to ``workspace_id`` (events about no workspace still arrive).

A dropped connection is made again after a full-jitter backoff (``reconnect``; ``max_reconnects``
failed attempts in a row end the stream with the last error, None: keep trying), each time
reported to ``on_reconnect``. Close code 4001 (credentials refused or revoked) ends the stream
with :class:`UnauthorizedError`, and 4029 (too many sessions) with :class:`RateLimitedError`,
during the handshake or later.
"""


class Events:
    """Real-time events over the WebSocket endpoint."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def subscribe(
        self,
        types: OneOrMany[EventType | str] | None = None,
        workspace_id: Id | None = None,
        *,
        reconnect: RetryPolicy | None = None,
        max_reconnects: int | None = None,
        on_reconnect: Callable[[Reconnecting], None] | None = None,
    ) -> EventStream:
        subscription = _subscription(types, workspace_id, reconnect, max_reconnects, on_reconnect)
        return EventStream(self._session, subscription)

    subscribe.__doc__ = (
        _SUBSCRIBE_DOC
        + """
    ::

        with client.events.subscribe(types=["vm_status_changed"], workspace_id=workspace.id) as events:
            for event in events:
                print(event.data.vm_id, event.data.status)
    """
    )
