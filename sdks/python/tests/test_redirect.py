"""Redirects are never followed: against two stub servers, one answering every request with a
redirect to the other, which must receive nothing (a followed redirect would carry ``X-API-Key``
and, after a 307 or 308, the body with its secrets)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from conftest import FAST_RETRY, Answer, Stub

from skyclust import AsyncSkyClustClient, NetworkError, SkyClustClient

AWS = {"name": "prod", "provider": "aws", "data": {"access_key": "AKIAEXAMPLE", "secret_key": "the-cloud-secret"}}


@pytest.fixture
def target() -> Iterator[Stub]:
    """Where the redirects point."""
    server = Stub()
    yield server
    server.stop()


def moved(status: int, target: Stub, path: str) -> Answer:
    return Answer(status, b"moved", {"Location": f"{target.base_url}{path}"})


def test_a_307_to_another_host_is_not_followed_and_fails_clearly(stub: Stub, target: Stub) -> None:
    stub.script(moved(307, target, "/credentials"))
    client = SkyClustClient(base_url=stub.base_url, api_key="sk_secret_key")
    with pytest.raises(NetworkError) as caught:
        client.credentials.create(AWS)
    assert caught.value.code == "NETWORK_ERROR"
    assert re.search(
        r"POST http://127\.0\.0\.1:\d+/api/v1/credentials was answered with 307 redirecting to "
        + re.escape(f"{target.base_url}/credentials"),
        caught.value.message,
    ), caught.value.message
    assert "does not follow" in caught.value.message
    assert target.requests == [], "the redirect's target received nothing"
    assert len(stub.requests) == 1
    assert stub.requests[0].headers["X-API-Key"] == "sk_secret_key"


def test_no_redirect_is_followed_nor_retried(stub: Stub, target: Stub) -> None:
    client = SkyClustClient(base_url=stub.base_url, token="the-token", retry=FAST_RETRY)
    for status in [301, 302, 303, 307, 308]:
        stub.answers.clear()
        stub.requests.clear()
        stub.script(*[moved(status, target, "/health")] * FAST_RETRY.max_attempts)
        with pytest.raises(NetworkError, match=f"answered with {status} redirecting to"):
            client.health.get()
        assert len(stub.requests) == 1, f"{status}: another attempt would be redirected again"
    assert target.requests == []


def test_the_async_client_does_not_follow_redirects_either(stub: Stub, target: Stub) -> None:
    stub.script(moved(308, target, "/credentials"))

    async def run() -> None:
        async with AsyncSkyClustClient(base_url=stub.base_url, token="the-token") as client:
            with pytest.raises(NetworkError, match="answered with 308 redirecting to"):
                await client.credentials.create(AWS)

    asyncio.run(run())
    assert target.requests == []
    assert stub.requests[0].headers["Authorization"] == "Bearer the-token"
