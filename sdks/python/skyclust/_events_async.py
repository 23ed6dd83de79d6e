"""The async side of the event stream: ``AsyncEventStream`` and ``client.events`` on the async
client (the sync side and the connection they share are in ``_events``)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType

import websockets.asyncio.client
import websockets.exceptions
import websockets.sync.client
from typing_extensions import Self

from skyclust._core import Id, OneOrMany, Session
from skyclust._errors import (
    SkyClustError,
    error_for,
)
from skyclust._events import (
    _CONNECT_FAILURES,
    _OPEN_TIMEOUT,
    _SUBSCRIBE_DOC,
    _USER_AGENT,
    Event,
    Reconnecting,
    _connect_error,
    _Connection,
    _no_event,
    _redirect_error,
    _redirected,
    _remaining,
    _StreamBase,
    _Subscription,
    _subscription,
)
from skyclust._retry import RetryPolicy
from skyclust_client.models import EventType


class AsyncEventStream(_StreamBase):
    """An async iterator of events; from ``client.events.subscribe(...)`` on the async client.

    It connects on ``async with`` (use that to be subscribed before you act) or at the first
    ``__anext__``, and stops at :meth:`aclose`. :meth:`receive` waits for one event, with a
    timeout if given.
    """

    def __init__(self, session: Session, subscription: _Subscription) -> None:
        super().__init__(session, subscription)
        self._socket: websockets.asyncio.client.ClientConnection | None = None

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Event:
        if self._finished:
            raise StopAsyncIteration
        try:
            return await self.receive()
        except SkyClustError:
            # aclose() from another task ends the iteration, not with an error.
            if self._closing:
                raise StopAsyncIteration from None
            raise

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()

    async def connect(self) -> None:
        """Connects, authenticates and subscribes, unless connected already. A failure here is
        raised as is (no retry): bad credentials or an unreachable server fail at once."""
        if self._finished:
            raise self._closed_error()
        if self._socket is None:
            self._socket = await self._open()

    async def aclose(self) -> None:
        """Closes the connection; iteration stops (also in a task waiting for an event)."""
        self._finished = self._closing = True
        if self._socket is not None:
            await self._socket.close()
            self._socket = None

    async def receive(self, timeout: float | None = None) -> Event:
        """The next event; :class:`TimedOutError` when none comes within ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        await self.connect()
        while True:
            assert self._socket is not None
            try:
                # recv() is cancel-safe: a timeout loses no message.
                text = await asyncio.wait_for(self._socket.recv(), _remaining(deadline))
            except asyncio.TimeoutError:
                raise _no_event(timeout) from None
            except websockets.exceptions.ConnectionClosed as closed:
                self._socket = None
                await self._reconnect(self._ended(closed))
                continue
            _, event = self._connection.receive(text)
            if event is not None:
                return event

    async def _open(self) -> websockets.asyncio.client.ClientConnection:
        connection = _Connection(self._session, self._subscription)
        try:
            socket = await websockets.asyncio.client.connect(
                self._url, open_timeout=_OPEN_TIMEOUT, user_agent_header=_USER_AGENT
            )
        except _CONNECT_FAILURES as error:
            raise _connect_error(error) from None
        target = _redirected(self._url, socket.request)
        if target is not None:
            await socket.close()
            raise _redirect_error(self._url, target)
        try:
            await socket.send(connection.hello())
            while not connection.ready:
                reply, _ = connection.receive(await asyncio.wait_for(socket.recv(), _OPEN_TIMEOUT))
                if reply is not None:
                    await socket.send(reply)
        except websockets.exceptions.ConnectionClosed as closed:
            raise connection.closed(closed) from None
        except asyncio.TimeoutError:
            await socket.close()
            raise error_for(0, "TIMEOUT", "the event stream did not answer auth or subscribe in time") from None
        except BaseException:
            await socket.close()
            raise
        self._connection = connection
        return socket

    async def _reconnect(self, error: SkyClustError) -> None:
        self._dropped(error)
        attempt = 1
        while True:
            await asyncio.sleep(self._notice(attempt, error).delay)
            try:
                self._socket = await self._open()
            except SkyClustError as failure:
                self._dropped(failure)
                error, attempt = failure, attempt + 1
                continue
            self.reconnects += 1
            return


class AsyncEvents:
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
    ) -> AsyncEventStream:
        subscription = _subscription(types, workspace_id, reconnect, max_reconnects, on_reconnect)
        return AsyncEventStream(self._session, subscription)

    subscribe.__doc__ = (
        _SUBSCRIBE_DOC
        + """
    ::

        async with client.events.subscribe(types="vm_status_changed") as events:
            async for event in events:
                print(event.data.vm_id, event.data.status)
    """
    )
