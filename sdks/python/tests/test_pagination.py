"""``iterate``: every item of a list, page after page, on both clients."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qs, urlsplit

from conftest import BASE_URL, FAST_RETRY, Answer, Stub, envelope, fresh, registered

from skyclust import AsyncSkyClustClient, SkyClustClient


def test_iterate_walks_every_page_of_a_live_list() -> None:
    client = registered()
    names = [f"key-{index}" for index in range(5)]
    for name in names:
        client.api_keys.create(name=name)
    assert [key.name for key in client.api_keys.iterate(limit=2, sort="name:asc")] == names
    # From an offset, and with a page larger than the list.
    assert [key.name for key in client.api_keys.iterate(limit=2, offset=3, sort="name:asc")] == names[3:]
    assert [key.name for key in client.api_keys.iterate(limit=100, sort="name:desc")] == names[::-1]


def test_iterate_over_workspaces_and_members() -> None:
    client = registered()
    created = [client.workspaces.create(name=f"paged-{index}") for index in range(3)]
    seen = {workspace.id for workspace in client.workspaces.iterate(limit=1)}
    assert {workspace.id for workspace in created} <= seen
    # Every list resource has one, and the filters are those of the list.
    assert len(seen) == client.workspaces.list(limit=100).pagination.total
    assert [member.role.value for member in client.workspaces.iterate_members(created[0].id)] == []
    assert list(client.credentials.iterate(provider="aws")) == []
    assert list(client.notifications.iterate(unread_only=True, limit=1)) == []


def test_the_async_client_iterates_with_async_for() -> None:
    async def run() -> list[str]:
        async with AsyncSkyClustClient(base_url=BASE_URL) as client:
            await client.auth.register(fresh())
            for index in range(3):
                await client.api_keys.create(name=f"async-{index}")
            return [key.name async for key in client.api_keys.iterate(limit=2, sort="name:asc")]

    assert asyncio.run(run()) == ["async-0", "async-1", "async-2"]


def _page(names: list[str], offset: int, limit: int, total: int) -> Answer:
    keys = [
        {
            "id": f"00000000-0000-4000-8000-{index:012d}",
            "name": name,
            "prefix": "sk_x",
            "read_only": False,
            "created_at": "2024-01-01T00:00:00Z",
        }
        for index, name in enumerate(names, start=offset)
    ]
    following = offset + len(names)
    pagination = {"limit": limit, "offset": offset, "total": total, "has_next": following < total}
    return Answer(200, envelope({"api_keys": keys, "pagination": pagination | {"has_prev": offset > 0}}))


def _offsets(stub: Stub) -> list[Any]:
    return [parse_qs(urlsplit(request.path).query).get("offset", ["0"])[0] for request in stub.requests]


def test_iteration_stops_at_the_total_and_at_a_short_page(stub: Stub) -> None:
    client = SkyClustClient(base_url=stub.base_url, token="t", retry=FAST_RETRY)
    # Five items in pages of two: three requests, the last page short, no fourth request.
    stub.script(_page(["a", "b"], 0, 2, 5), _page(["c", "d"], 2, 2, 5), _page(["e"], 4, 2, 5))
    assert [key.name for key in client.api_keys.iterate(limit=2)] == ["a", "b", "c", "d", "e"]
    assert _offsets(stub) == ["0", "2", "4"]
    # A full last page that reaches the total ends it too.
    stub.requests.clear()
    stub.script(_page(["a", "b"], 0, 2, 4), _page(["c", "d"], 2, 2, 4))
    assert len(list(client.api_keys.iterate(limit=2))) == 4
    assert _offsets(stub) == ["0", "2"]
    # Items that vanish while walking (total shrinks) end it at the empty page.
    stub.requests.clear()
    stub.script(_page(["a", "b"], 0, 2, 6), _page([], 2, 2, 2))
    assert len(list(client.api_keys.iterate(limit=2))) == 2
    assert len(stub.requests) == 2
