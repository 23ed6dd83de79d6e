"""Retries of idempotent calls, against a scripted stub server (the live one cannot be made to
answer 503 on demand)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from conftest import FAST_RETRY, HEALTH, Answer, Stub, envelope, failure

from skyclust import (
    AsyncSkyClustClient,
    NetworkError,
    RateLimitedError,
    RetryPolicy,
    ServiceUnavailableError,
    SkyClustClient,
    SkyClustError,
)

VM: dict[str, Any] = {
    "id": "1a2b3c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d",
    "workspace_id": "3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e",
    "name": "web",
    "provider": "sandbox",
    "region": "us-east-1",
    "instance_type": "t3.micro",
    "status": "pending",
    "actions": [],
    "created_by": "7d9f7a4e-3c1b-4f7e-9a55-0c4b8e2d1f3a",
    "created_at": "2024-01-01T00:00:00Z",
    "updated_at": "2024-01-01T00:00:00Z",
}
CREATE_VM: dict[str, Any] = {"name": "web", "provider": "sandbox", "instance_type": "t3.micro", "region": "us-east-1"}


def busy(status: int = 503, retry_after: str | None = None) -> Answer:
    code = "RATE_LIMITED" if status == 429 else "SERVICE_UNAVAILABLE"
    return Answer(status, failure(code, "busy"), {"Retry-After": retry_after} if retry_after else {})


def test_a_get_is_retried_after_503_and_429_then_answers(stub: Stub) -> None:
    stub.script(busy(503), busy(429), Answer(200, envelope(HEALTH)))
    client = SkyClustClient(base_url=stub.base_url, token="t", retry=FAST_RETRY)
    assert client.health.get().status.value == "healthy"
    assert [request.method for request in stub.requests] == ["GET", "GET", "GET"]
    # Each attempt carries the credentials.
    assert all(request.headers["Authorization"] == "Bearer t" for request in stub.requests)


def test_retry_after_is_waited_for(stub: Stub) -> None:
    stub.script(busy(503, retry_after="1"), Answer(200, envelope(HEALTH)))
    client = SkyClustClient(base_url=stub.base_url, retry=FAST_RETRY)
    started = time.monotonic()
    client.health.get()
    # The backoff alone would be a few milliseconds.
    assert time.monotonic() - started >= 0.9
    assert len(stub.requests) == 2


def test_attempts_are_bounded_and_the_last_error_is_raised(stub: Stub) -> None:
    stub.script(busy(429, "0"), busy(429, "0"), busy(429, "0"), Answer(200, envelope(HEALTH)))
    client = SkyClustClient(base_url=stub.base_url, retry=FAST_RETRY)
    with pytest.raises(RateLimitedError) as caught:
        client.health.get()
    assert caught.value.retry_after == 0
    assert len(stub.requests) == FAST_RETRY.max_attempts


def test_a_retry_after_beyond_the_limit_is_not_waited_for(stub: Stub) -> None:
    stub.script(busy(429, "3600"), Answer(200, envelope(HEALTH)))
    client = SkyClustClient(base_url=stub.base_url, retry=FAST_RETRY)
    with pytest.raises(RateLimitedError) as caught:
        client.health.get()
    assert caught.value.retry_after == 3600
    assert len(stub.requests) == 1


def test_a_post_is_not_retried_without_an_idempotency_key(stub: Stub) -> None:
    stub.script(busy(503), Answer(202, envelope(VM)))
    client = SkyClustClient(base_url=stub.base_url, token="t", retry=FAST_RETRY)
    with pytest.raises(ServiceUnavailableError):
        client.vms.create(CREATE_VM)
    assert len(stub.requests) == 1


def test_a_post_with_an_idempotency_key_is_retried_with_the_same_key(stub: Stub) -> None:
    stub.script(busy(503), Answer(202, envelope(VM)))
    client = SkyClustClient(base_url=stub.base_url, token="t", retry=FAST_RETRY)
    vm = client.vms.create(CREATE_VM, idempotency_key="create-web-1")
    assert vm.name == "web"
    assert [request.headers["Idempotency-Key"] for request in stub.requests] == ["create-web-1"] * 2
    assert stub.requests[0].body == stub.requests[1].body


def test_client_errors_are_not_retried(stub: Stub) -> None:
    stub.script(Answer(404, failure("NOT_FOUND", "No such VM")), Answer(200, envelope(VM)))
    client = SkyClustClient(base_url=stub.base_url, retry=FAST_RETRY)
    with pytest.raises(SkyClustError) as caught:
        client.vms.get(VM["id"])
    assert caught.value.code == "NOT_FOUND"
    assert len(stub.requests) == 1


def test_a_bad_gateway_without_an_envelope_is_retried(stub: Stub) -> None:
    # A proxy's HTML error page: not the JSON the operation declares, still a 502 worth retrying.
    stub.script(Answer(502, b"<html>Bad Gateway</html>"), Answer(200, envelope(HEALTH)))
    client = SkyClustClient(base_url=stub.base_url, retry=FAST_RETRY)
    assert client.health.get().status.value == "healthy"
    assert len(stub.requests) == 2


def test_retries_can_be_disabled(stub: Stub) -> None:
    for retry in (None, RetryPolicy.none()):
        stub.requests.clear()
        stub.script(busy(503), Answer(200, envelope(HEALTH)))
        with pytest.raises(ServiceUnavailableError):
            SkyClustClient(base_url=stub.base_url, retry=retry).health.get()
        assert len(stub.requests) == 1
        stub.answers.clear()


def test_a_refused_connection_is_retried_then_reported() -> None:
    attempts: list[float] = []

    class Counting(RetryPolicy):
        def delay(self, attempt: int, retry_after: float | None = None) -> float:
            attempts.append(attempt)
            return 0.0

    with pytest.raises(NetworkError):
        SkyClustClient(base_url="http://127.0.0.1:9/api/v1", retry=Counting(max_attempts=4)).health.get()
    assert attempts == [1, 2, 3]


def test_the_backoff_is_full_jitter_within_its_ceiling() -> None:
    policy = RetryPolicy()
    for attempt in range(1, 10):
        ceiling = min(policy.base_delay * 2**attempt, policy.max_delay)
        assert all(0 <= policy.delay(attempt) <= ceiling for _ in range(50))
    assert len({policy.delay(3) for _ in range(20)}) > 1, "delays are jittered"
    assert policy.delay(1, retry_after=2.0) == 2.0
    assert policy.accepts_wait(60) and not policy.accepts_wait(61)


def test_the_async_client_retries_the_same_way(stub: Stub) -> None:
    async def run() -> None:
        async with AsyncSkyClustClient(base_url=stub.base_url, token="t", retry=FAST_RETRY) as client:
            stub.script(busy(503), busy(429), Answer(200, envelope(HEALTH)))
            assert (await client.health.get()).status.value == "healthy"
            assert len(stub.requests) == 3
            stub.script(busy(503), Answer(202, envelope(VM)))
            with pytest.raises(ServiceUnavailableError):
                await client.vms.create(CREATE_VM)
            assert len(stub.requests) == 4
            stub.answers.clear()
            stub.script(busy(503, retry_after="1"), Answer(202, envelope(VM)))
            started = time.monotonic()
            assert (await client.vms.create(CREATE_VM, idempotency_key="k")).name == "web"
            assert time.monotonic() - started >= 0.9
            assert len(stub.requests) == 6

    asyncio.run(run())
