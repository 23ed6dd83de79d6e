"""``client.events.subscribe``: against the live server, and against a stub WebSocket server for
what the live one does not do on demand (drop a connection)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import websockets.sync.server
from conftest import BASE_URL, fresh, registered, sandbox_vm
from websockets.http11 import Request, Response

from skyclust import (
    AsyncSkyClustClient,
    Event,
    EventStreamError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    Reconnecting,
    RetryPolicy,
    SkyClustClient,
    UnauthorizedError,
    VmStatusChangedEvent,
)
from skyclust._events import websocket_url

QUICK = RetryPolicy(base_delay=0.01, max_delay=0.05)


def statuses_until_running(next_event: Callable[[], Event], vm_id: uuid.UUID) -> list[str]:
    seen: list[str] = []
    while "running" not in seen:
        event = next_event()
        assert isinstance(event, VmStatusChangedEvent)
        assert event.data.vm_id == vm_id
        seen.append(event.data.status.value)
    return seen


def test_a_subscription_receives_the_status_changes_of_a_new_vm() -> None:
    client = registered()
    workspace = client.workspaces.create(name="events")
    other = client.workspaces.create(name="elsewhere")
    with client.events.subscribe(types=["vm_status_changed"], workspace_id=workspace.id) as events:
        # A VM in another workspace is filtered out by the server.
        client.vms.create(sandbox_vm(str(other.id), name="ignored"))
        vm = client.vms.create(sandbox_vm(str(workspace.id)))
        seen = statuses_until_running(lambda: events.receive(timeout=20), vm.id)
    assert seen[-1] == "running"
    assert events.reconnects == 0


def test_the_async_client_streams_events_with_async_for() -> None:
    async def run() -> list[str]:
        async with AsyncSkyClustClient(base_url=BASE_URL) as client:
            await client.auth.register(fresh())
            workspace = await client.workspaces.create(name="async-events")
            seen: list[str] = []
            async with client.events.subscribe(types="vm_status_changed", workspace_id=workspace.id) as events:
                vm = await client.vms.create(sandbox_vm(str(workspace.id)))
                async for event in events:
                    assert isinstance(event, VmStatusChangedEvent) and event.data.vm_id == vm.id
                    seen.append(event.data.status.value)
                    if event.data.status.value == "running":
                        break
            return seen

    assert asyncio.run(asyncio.wait_for(run(), 30))[-1] == "running"


def test_a_revoked_token_is_refused_with_close_code_4001() -> None:
    client = registered()
    token = client.token
    client.auth.logout()
    revoked = SkyClustClient(base_url=BASE_URL, token=token)
    with pytest.raises(UnauthorizedError) as caught:
        next(iter(revoked.events.subscribe()))
    assert caught.value.close_code == 4001


def test_logging_out_ends_an_open_stream_with_unauthorized() -> None:
    client = registered()
    reconnects: list[Reconnecting] = []
    with client.events.subscribe(on_reconnect=reconnects.append) as events:
        client.auth.logout()
        with pytest.raises(UnauthorizedError) as caught:
            events.receive(timeout=20)
    assert caught.value.close_code == 4001
    assert reconnects == [], "4001 is not retried"


def test_revoking_an_api_key_ends_its_async_stream() -> None:
    owner = registered()
    key = owner.api_keys.create(name="events")

    async def run() -> UnauthorizedError:
        async with (
            AsyncSkyClustClient(base_url=BASE_URL, api_key=key.key) as service,
            service.events.subscribe(types=["notification_received"]) as events,
        ):
            owner.api_keys.delete(key.api_key.id)
            with pytest.raises(UnauthorizedError) as caught:
                await events.receive(timeout=20)
            # The stream has ended: iteration stops.
            assert [event async for event in events] == []
            return caught.value

    assert asyncio.run(run()).close_code == 4001


def test_a_subscription_to_a_workspace_you_cannot_see_is_refused() -> None:
    client = registered()
    with pytest.raises(NotFoundError):
        client.events.subscribe(workspace_id=uuid.uuid4()).connect()
    with pytest.raises(ValueError, match="vm_status_changed"):
        client.events.subscribe(types=["vm_status_changd"])
    with pytest.raises(UnauthorizedError):
        SkyClustClient(base_url=BASE_URL).events.subscribe().connect()
    with pytest.raises(NetworkError):
        SkyClustClient(base_url="http://127.0.0.1:9/api/v1", token="t").events.subscribe().connect()


def test_the_websocket_url_follows_the_api_url() -> None:
    assert websocket_url("http://127.0.0.1:8080/api/v1") == "ws://127.0.0.1:8080/ws"
    assert websocket_url("https://example.com/skyclust/api/v1/") == "wss://example.com/skyclust/ws"


# ---- reconnecting, against a stub server ----

EVENT = {
    "type": "vm_status_changed",
    "id": "evt_1",
    "timestamp": "2024-01-01T00:00:00Z",
    "data": {
        "vm_id": "1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d",
        "workspace_id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e",
        "status": "running",
        "previous_status": "starting",
        "timestamp": "2024-01-01T00:00:00Z",
    },
}


class StubSocketServer:
    """A WebSocket server that answers auth and subscribe as the real one does, then runs the
    next of ``plans`` on each connection; it records every message received."""

    def __init__(self, plans: list[Callable[[Any], None]]) -> None:
        self.plans = plans
        self.received: list[list[dict[str, Any]]] = []

        def serve(socket: Any) -> None:
            messages: list[dict[str, Any]] = []
            self.received.append(messages)
            auth = json.loads(socket.recv())
            messages.append(auth)
            socket.send(json.dumps({"type": "auth_success", "user_id": str(uuid.uuid4())}))
            subscribe = json.loads(socket.recv())
            messages.append(subscribe)
            socket.send(json.dumps({"type": "subscribed", "events": subscribe["events"], "workspace_id": None}))
            self.plans.pop(0)(socket)

        self._server = websockets.sync.server.serve(serve, "127.0.0.1", 0)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.base_url = f"http://127.0.0.1:{self._server.socket.getsockname()[1]}/api/v1"

    def stop(self) -> None:
        self._server.shutdown()


def too_slow(socket: Any) -> None:
    socket.close(4008, "client too slow")


def one_event_then_wait(socket: Any) -> None:
    socket.send(json.dumps(EVENT))
    for _ in socket:  # until the client closes
        pass


@pytest.fixture
def dropping() -> Iterator[StubSocketServer]:
    server = StubSocketServer([too_slow, one_event_then_wait])
    yield server
    server.stop()


def assert_resubscribed(server: StubSocketServer) -> None:
    # Both connections authenticated with the same token and asked for the same events.
    assert len(server.received) == 2
    for messages in server.received:
        assert messages == [
            {"type": "auth", "token": "the-token"},
            {"type": "subscribe", "events": ["vm_status_changed"]},
        ]


def test_a_dropped_connection_is_made_again_and_resubscribed(dropping: StubSocketServer) -> None:
    client = SkyClustClient(base_url=dropping.base_url, token="the-token")
    notices: list[Reconnecting] = []
    events = client.events.subscribe(types="vm_status_changed", reconnect=QUICK, on_reconnect=notices.append)
    event = events.receive(timeout=10)
    events.close()
    assert isinstance(event, VmStatusChangedEvent) and event.id == "evt_1"
    assert [(notice.attempt, notice.close_code) for notice in notices] == [(1, 4008)]
    assert 0 <= notices[0].delay <= QUICK.base_delay * 2
    assert events.reconnects == 1
    assert_resubscribed(dropping)


def test_the_async_stream_reconnects_too(dropping: StubSocketServer) -> None:
    async def run() -> tuple[Event, list[Reconnecting]]:
        notices: list[Reconnecting] = []
        client = AsyncSkyClustClient(base_url=dropping.base_url, token="the-token")
        async with client.events.subscribe(
            types=["vm_status_changed"], reconnect=QUICK, on_reconnect=notices.append
        ) as events:
            return await events.receive(timeout=10), notices

    event, notices = asyncio.run(run())
    assert event.id == "evt_1"
    assert [notice.close_code for notice in notices] == [4008]
    assert_resubscribed(dropping)


def test_the_stream_gives_up_after_max_reconnects_failed_attempts() -> None:
    server = StubSocketServer([lambda socket: socket.close(1001, "server shutting down")])
    notices: list[Reconnecting] = []
    events = SkyClustClient(base_url=server.base_url, token="t").events.subscribe(
        types="cost_updated", reconnect=QUICK, max_reconnects=2, on_reconnect=notices.append
    )
    events.connect()
    server.stop()
    with pytest.raises(NetworkError):
        events.receive(timeout=10)
    assert [(notice.attempt, notice.close_code) for notice in notices] == [(1, 1001), (2, None)]
    assert list(events) == [], "the stream has ended"


def wait_quietly(socket: Any) -> None:
    for _ in socket:
        pass


def test_closing_a_stream_ends_the_iteration_waiting_on_it() -> None:
    server = StubSocketServer([wait_quietly, wait_quietly])
    try:
        events = SkyClustClient(base_url=server.base_url, token="t").events.subscribe(types="cost_updated")
        events.connect()
        outcome: list[object] = []
        consumer = threading.Thread(target=lambda: outcome.append(list(events)))
        consumer.start()
        time.sleep(0.1)  # the consumer is now waiting for an event
        events.close()
        consumer.join(timeout=5)
        assert outcome == [[]], "the loop ended without an error"

        async def run() -> list[Event]:
            stream = AsyncSkyClustClient(base_url=server.base_url, token="t").events.subscribe(types="cost_updated")
            await stream.connect()

            async def consume() -> list[Event]:
                return [event async for event in stream]

            task = asyncio.create_task(consume())
            await asyncio.sleep(0.1)
            await stream.aclose()
            return await asyncio.wait_for(task, 5)

        assert asyncio.run(run()) == []
        assert len(server.received) == 2, "no reconnect after the stream's own close"
    finally:
        server.stop()


# ---- streams that must end, and redirects, against a stub server ----

Handler = Callable[["SocketServer", Any], None]


class SocketServer:
    """A WebSocket server running ``handlers[i]`` on connection ``i`` (the last handler on every
    connection after), counting connections and recording the messages its handlers read. With
    ``redirect_to``, it answers every upgrade with a 307 to there instead."""

    def __init__(self, handlers: list[Handler], redirect_to: str | None = None) -> None:
        self.connections = 0
        self.received: list[dict[str, Any]] = []

        def serve(socket: Any) -> None:
            self.connections += 1
            handlers[min(self.connections, len(handlers)) - 1](self, socket)

        def process_request(connection: Any, request: Request) -> Response | None:
            if redirect_to is None:
                return None
            response: Response = connection.respond(307, "moved")
            response.headers["Location"] = redirect_to
            return response

        self._server = websockets.sync.server.serve(serve, "127.0.0.1", 0, process_request=process_request)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        port = self._server.socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}/api/v1"
        self.ws_url = f"ws://127.0.0.1:{port}/ws"

    def recv(self, socket: Any) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(socket.recv())
        self.received.append(message)
        return message

    def stop(self) -> None:
        self._server.shutdown()


def handshake_then(plan: Callable[[Any], None]) -> Handler:
    """Answers auth and subscribe as the real server does, then runs ``plan``."""

    def handler(server: SocketServer, socket: Any) -> None:
        server.recv(socket)
        socket.send(json.dumps({"type": "auth_success", "user_id": str(uuid.uuid4())}))
        subscribe = server.recv(socket)
        socket.send(json.dumps({"type": "subscribed", "events": subscribe["events"], "workspace_id": None}))
        plan(socket)

    return handler


def too_many_sessions(with_error: bool) -> Handler:
    """Right after auth: the refusal of a user who holds too many sessions (the server's error,
    then the 4029 close), or the close alone."""

    def handler(server: SocketServer, socket: Any) -> None:
        server.recv(socket)
        if with_error:
            refusal = {"type": "error", "code": "RATE_LIMITED", "message": "too many WebSocket sessions"}
            socket.send(json.dumps(refusal))
        socket.close(4029, "too many sessions")

    return handler


def record_all(server: SocketServer, socket: Any) -> None:
    for message in socket:
        server.received.append(json.loads(message))


@pytest.mark.parametrize("with_error", [False, True])
def test_4029_after_auth_ends_the_stream_after_one_connection(with_error: bool) -> None:
    server = SocketServer([too_many_sessions(with_error)])
    try:
        notices: list[Reconnecting] = []
        client = SkyClustClient(base_url=server.base_url, api_key="sk_stub")
        # (max_reconnects in these tests: a stream that kept reconnecting fails them instead of hanging them.)
        events = client.events.subscribe(
            types="cost_updated", reconnect=QUICK, max_reconnects=3, on_reconnect=notices.append
        )
        with pytest.raises(RateLimitedError) as caught:
            next(iter(events))
        assert caught.value.code == "RATE_LIMITED"
        assert caught.value.close_code == 4029
        assert "too many" in caught.value.message
        time.sleep(0.05)
        assert server.connections == 1
        assert notices == []
        assert server.received == [{"type": "auth", "api_key": "sk_stub"}]
    finally:
        server.stop()


@pytest.mark.parametrize("with_error", [False, True])
def test_4029_on_a_reconnect_ends_the_stream_there(with_error: bool) -> None:
    server = SocketServer(
        [handshake_then(lambda socket: socket.close(1001, "server shutting down")), too_many_sessions(with_error)]
    )
    try:
        notices: list[Reconnecting] = []
        client = SkyClustClient(base_url=server.base_url, token="t")
        events = client.events.subscribe(
            types="cost_updated", reconnect=QUICK, max_reconnects=3, on_reconnect=notices.append
        )
        events.connect()
        with pytest.raises(RateLimitedError) as caught:
            events.receive(timeout=10)
        assert caught.value.close_code == 4029
        assert server.connections == 2, "the refused reconnect is not tried again"
        assert [notice.close_code for notice in notices] == [1001]
        assert list(events) == [], "the stream has ended"
    finally:
        server.stop()


@pytest.mark.parametrize(("code", "error"), [(4029, RateLimitedError), (4001, UnauthorizedError)])
def test_4029_and_4001_end_an_open_async_stream(code: int, error: type[Exception]) -> None:
    server = SocketServer([handshake_then(lambda socket: socket.close(code, "go away"))])

    async def run() -> list[Reconnecting]:
        notices: list[Reconnecting] = []
        client = AsyncSkyClustClient(base_url=server.base_url, token="t")
        async with client.events.subscribe(
            types="cost_updated", reconnect=QUICK, max_reconnects=3, on_reconnect=notices.append
        ) as events:
            with pytest.raises(error) as caught:
                await events.receive(timeout=10)
            assert getattr(caught.value, "close_code", None) == code
        return notices

    try:
        assert asyncio.run(run()) == []
        assert server.connections == 1
    finally:
        server.stop()


def test_a_redirected_upgrade_gets_no_credentials() -> None:
    """The websockets library follows a redirect of the upgrade, even to another host: the stream
    must not send its ``auth`` message (the token or API key) to wherever it leads."""
    target = SocketServer([record_all])
    redirector = SocketServer([record_all], redirect_to=target.ws_url)
    try:
        events = SkyClustClient(base_url=redirector.base_url, token="the-token").events.subscribe()
        with pytest.raises(EventStreamError, match="redirect|307"):
            events.connect()

        async def run() -> None:
            stream = AsyncSkyClustClient(base_url=redirector.base_url, api_key="sk_key").events.subscribe()
            with pytest.raises(EventStreamError, match="redirect|307"):
                await stream.connect()

        asyncio.run(run())
        time.sleep(0.05)
        assert target.received == [], "the redirect's target received no credentials"
    finally:
        target.stop()
        redirector.stop()
