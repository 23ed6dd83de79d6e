"""The async client against the live server: the same resources and methods as the sync one."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import pytest
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, fresh, sandbox_vm

from skyclust import (
    AsyncSkyClustClient,
    ConflictError,
    NetworkError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
)


def run(scenario: Callable[[AsyncSkyClustClient], Awaitable[None]]) -> None:
    async def main() -> None:
        async with AsyncSkyClustClient(base_url=BASE_URL) as client:
            await asyncio.wait_for(scenario(client), 60)

    asyncio.run(main())


def test_auth_and_typed_errors() -> None:
    async def scenario(client: AsyncSkyClustClient) -> None:
        account = fresh()
        session = await client.auth.register(account)
        assert client.token == session.token
        me = await client.auth.me()
        assert me.user.username == account["username"]
        with pytest.raises(ConflictError):
            await client.auth.register(account)
        with pytest.raises(ValidationError) as invalid:
            await client.auth.register({"username": "x", "email": "nope", "password": "short"})
        assert sorted(invalid.value.fields) == ["email", "password", "username"]
        await client.auth.logout()
        assert client.token is None
        with pytest.raises(UnauthorizedError):
            await AsyncSkyClustClient(base_url=BASE_URL, token=session.token).auth.me()
        await client.auth.login(email=account["email"], password=account["password"])
        assert (await client.auth.me()).user.id == me.user.id
        with pytest.raises(NetworkError):
            await AsyncSkyClustClient(base_url="http://127.0.0.1:9/api/v1", retry=None).health.get()

    run(scenario)


def test_workspaces_members_and_notifications() -> None:
    async def scenario(client: AsyncSkyClustClient) -> None:
        await client.auth.register(fresh())
        workspace = await client.workspaces.create(name="async", description="from asyncio")
        assert (await client.workspaces.get(workspace.id)).description == "from asyncio"
        assert (await client.workspaces.update(str(workspace.id), name="async-renamed")).name == "async-renamed"
        assert workspace.id in [w.id for w in (await client.workspaces.list(limit=100)).workspaces]

        member_account = fresh()
        async with AsyncSkyClustClient(base_url=BASE_URL) as member:
            joined = await member.auth.register(member_account)
            added = await client.workspaces.add_member(workspace.id, email=member_account["email"], role="viewer")
            assert (added.user_id, added.role.value) == (joined.user.id, "viewer")
            assert (await client.workspaces.members(workspace.id)).pagination.total == 1
            news = await member.notifications.list(unread_only=True, type="info")
            assert news.unread_count == 1
            await member.notifications.mark_read(news.notifications[0].id)
            assert await member.notifications.mark_all_read() == 0
        await client.workspaces.remove_member(workspace.id, joined.user.id)
        await client.workspaces.delete(workspace.id)
        with pytest.raises(NotFoundError):
            await client.workspaces.get(workspace.id)

    run(scenario)


def test_vm_lifecycle_and_concurrent_calls() -> None:
    async def scenario(client: AsyncSkyClustClient) -> None:
        await client.auth.register(fresh())
        workspace = await client.workspaces.create(name="async-vms")
        vm = await client.vms.create(sandbox_vm(str(workspace.id)), idempotency_key=f"py-{uuid.uuid4()}")
        running = await client.vms.wait_until(vm.id, "running", timeout=30, interval=0.1)
        assert running.status.value == "running"
        # Calls run concurrently on one client.
        fetched = await asyncio.gather(*(client.vms.get(vm.id) for _ in range(5)))
        assert {item.id for item in fetched} == {vm.id}
        assert [v.id async for v in client.vms.iterate(status="running", workspace_id=workspace.id)] == [vm.id]
        assert (await client.vms.stop(vm.id)).id == vm.id
        assert (await client.vms.wait_until(vm.id, "stopped", timeout=30, interval=0.1)).status.value == "stopped"
        assert (await client.vms.start(vm.id)).id == vm.id
        await client.vms.wait_until(vm.id, "running", timeout=30, interval=0.1)
        assert (await client.vms.reboot(vm.id)).id == vm.id
        await client.vms.wait_until(vm.id, "running", timeout=30, interval=0.1)
        assert (await client.vms.delete(vm.id)).status.value == "terminating"
        costs = await client.cost_analysis.get(period="7d", workspace_id=workspace.id)
        assert costs.currency == "USD"
        breakdown = await client.cost_analysis.breakdown("sandbox", period="1d")
        assert breakdown.services
        catalog = await client.providers.list()
        assert "sandbox" in [offer.provider.value for offer in catalog.providers]

    run(scenario)


def test_credentials_api_keys_and_admin_calls() -> None:
    async def scenario(client: AsyncSkyClustClient) -> None:
        await client.auth.register(fresh())
        credential = await client.credentials.create(name="sandbox", provider="sandbox", data={})
        assert (await client.credentials.get(credential.id)).name == "sandbox"
        assert (await client.credentials.update(credential.id, is_active=False)).is_active is False
        assert [c.id for c in (await client.credentials.list(provider="sandbox")).credentials] == [credential.id]
        assert [c.id async for c in client.credentials.iterate(is_active=False)] == [credential.id]
        await client.credentials.delete(credential.id)

        created = await client.api_keys.create(name="async-key")
        async with AsyncSkyClustClient(base_url=BASE_URL, api_key=created.key) as service:
            assert (await service.auth.me()).auth_method.value == "api_key"
        assert [key.name for key in (await client.api_keys.list()).api_keys] == ["async-key"]
        await client.api_keys.delete(created.api_key.id)

        async with AsyncSkyClustClient(base_url=BASE_URL) as admin:
            await admin.auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
            assert (await admin.health.get()).metrics
            assert (await admin.health.db()).status.value == "healthy"
            assert (await admin.health.redis()).status.value == "disabled"
            user = await admin.users.create(fresh(), role="viewer")
            assert (await admin.users.get(user.id)).role.value == "viewer"
            assert (await admin.users.update(user.id, is_active=False)).is_active is False
            assert user.id in [u.id async for u in admin.users.iterate(role="viewer", limit=100)]
            assert user.id in [u.id for u in (await admin.users.list(role="viewer", limit=100)).users]
            await admin.users.delete(user.id)
            log = await admin.audit_logs.list(resource="user", action="delete", user_id=None)
            assert str(user.id) in [entry.resource_id for entry in log.audit_logs]
            assert [entry.id async for entry in admin.audit_logs.iterate(limit=1, resource="user")]

    run(scenario)
