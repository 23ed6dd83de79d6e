"""The sync client against the live server (started by scripts/conformance.sh)."""

from __future__ import annotations

import uuid

import pytest
from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, BASE_URL, admin_client, fresh

import skyclust
from skyclust import SkyClustClient, SkyClustError


def test_register_me_logout_and_revoked_token() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    account = fresh()
    session = client.auth.register(account)
    assert session.user.username == account["username"]
    assert session.user.role.value == "user"
    assert client.token == session.token

    me = client.auth.me()
    assert me.user.id == session.user.id
    assert me.auth_method.value == "jwt"
    assert "vm:read" in [permission.value for permission in me.permissions]

    client.auth.logout()
    assert client.token is None
    revoked = SkyClustClient(base_url=BASE_URL, token=session.token)
    with pytest.raises(SkyClustError) as caught:
        revoked.auth.me()
    assert caught.value.status == 401
    assert caught.value.code == "UNAUTHORIZED"
    assert caught.value.request_id is not None and caught.value.request_id.startswith("req_")


def test_login_with_keywords_and_errors() -> None:
    account = fresh()
    SkyClustClient(base_url=BASE_URL).auth.register(**account)
    client = SkyClustClient(base_url=BASE_URL)
    with pytest.raises(SkyClustError) as wrong:
        client.auth.login(email=account["email"], password="not-the-password")
    assert wrong.value.code == "UNAUTHORIZED"
    assert client.auth.login(email=account["email"], password=account["password"]).user.email == account["email"]
    # The X-RateLimit-* headers of the last answer.
    assert client.rate_limit is not None
    assert 0 <= client.rate_limit.remaining < client.rate_limit.limit

    with pytest.raises(SkyClustError) as invalid:
        client.auth.register({"username": "x", "email": "nope", "password": "short"})
    assert invalid.value.status == 400
    assert invalid.value.code == "VALIDATION_ERROR"
    assert sorted(invalid.value.fields) == ["email", "password", "username"]

    with pytest.raises(SkyClustError) as taken:
        client.auth.register(account)
    assert taken.value.code == "CONFLICT"


def test_health_for_anonymous_callers_and_admins() -> None:
    anonymous = SkyClustClient(base_url=BASE_URL)
    health = anonymous.health.get()
    assert health.status.value == "healthy"
    assert not health.metrics
    with pytest.raises(SkyClustError) as caught:
        anonymous.health.db()
    assert caught.value.code == "UNAUTHORIZED"

    with SkyClustClient(base_url=BASE_URL) as admin:
        admin.auth.login(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
        assert admin.health.get().metrics
        db = admin.health.db()
        assert db.status.value == "healthy"
        assert db.backend == "sqlite"
        assert admin.health.redis().status.value == "disabled"


def test_unreachable_server_is_a_network_error() -> None:
    with pytest.raises(SkyClustError) as caught:
        SkyClustClient(base_url="http://127.0.0.1:9/api/v1").health.get()
    assert caught.value.code == "NETWORK_ERROR"
    assert caught.value.status == 0


def test_api_keys_are_shown_once_and_revocable() -> None:
    owner = SkyClustClient(base_url=BASE_URL)
    owner.auth.register(fresh())
    created = owner.api_keys.create(name="python", read_only=True)
    assert created.key.startswith(created.api_key.prefix)
    service = SkyClustClient(base_url=BASE_URL, api_key=created.key)
    assert service.auth.me().auth_method.value == "api_key"
    with pytest.raises(SkyClustError) as caught:
        service.api_keys.create(name="escalate")
    assert caught.value.code == "FORBIDDEN"
    listed = owner.api_keys.list(sort="name:asc")
    assert [key.name for key in listed.api_keys] == ["python"]
    assert listed.pagination.total == 1
    owner.api_keys.delete(str(created.api_key.id))
    with pytest.raises(SkyClustError) as caught:
        service.auth.me()
    assert caught.value.code == "UNAUTHORIZED"


def test_user_administration_and_audit_log() -> None:
    admin = admin_client()
    account = fresh()
    user = admin.users.create(**account, role="viewer")
    assert user.role.value == "viewer"
    viewers = admin.users.list(role=["viewer"], sort="username:asc", limit=100)
    assert account["username"] in [listed.username for listed in viewers.users]
    assert admin.users.get(str(user.id)).email == account["email"]
    updated = admin.users.update(str(user.id), is_active=False)
    assert updated.is_active is False
    admin.users.delete(str(user.id))
    with pytest.raises(SkyClustError) as caught:
        admin.users.get(str(user.id))
    assert caught.value.code == "NOT_FOUND"
    with pytest.raises(SkyClustError) as caught:
        admin.users.list(limit=0)
    assert caught.value.fields == {"limit": "must be an integer between 1 and 100"}

    log = admin.audit_logs.list(resource=["user"], action=["delete"])
    assert str(user.id) in [entry.resource_id for entry in log.audit_logs]
    assert log.pagination.limit == 50


def test_the_seed_example_lists_workspaces() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    before = client.workspaces.list()
    created = client.workspaces.create({"name": "python", "description": "from the facade"})
    after = client.workspaces.list(limit=100)
    # A fresh user may already have a personal workspace: only the difference is asserted.
    assert after.pagination.total == before.pagination.total + 1
    assert "python" in [w.name for w in after.workspaces]
    renamed = client.workspaces.update(str(created.id), name="python-renamed")
    assert renamed.name == "python-renamed"
    with pytest.raises(SkyClustError) as caught:
        client.workspaces.create(name="PYTHON-renamed")
    assert caught.value.code == "CONFLICT"

    member_account = fresh()
    member = SkyClustClient(base_url=BASE_URL)
    member_id = member.auth.register(member_account).user.id
    added = client.workspaces.add_member(str(created.id), user_id=str(member_id), role="viewer")
    assert added.role.value == "viewer"
    assert client.workspaces.members(str(created.id)).pagination.total == 1
    news = member.notifications.list(unread_only=True, type=["info"])
    assert news.unread_count == 1
    member.notifications.mark_read(str(news.notifications[0].id))
    assert member.notifications.mark_all_read() == 0
    client.workspaces.remove_member(str(created.id), str(member_id))
    # A member can be named by email (or username) instead of an id nobody can look up.
    by_email = client.workspaces.add_member(str(created.id), email=member_account["email"].upper())
    assert (by_email.user_id, by_email.role.value) == (member_id, "member")
    client.workspaces.remove_member(str(created.id), str(member_id))
    client.workspaces.delete(str(created.id))
    with pytest.raises(SkyClustError) as caught:
        client.workspaces.get(str(created.id))
    assert caught.value.code == "NOT_FOUND"


def test_credentials_never_come_back() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    credential = client.credentials.create(
        name="aws",
        provider="aws",
        data={"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": secret, "region": "us-east-1"},
    )
    assert credential.hint == "AKIA…MPLE"
    listed = client.credentials.list(provider=["aws"])
    assert [c.name for c in listed.credentials] == ["aws"]
    assert secret not in repr(listed) and secret not in repr(client.credentials.get(str(credential.id)))
    with pytest.raises(SkyClustError) as caught:
        client.credentials.create(name="bad", provider="aws", data={"access_key": "lower"})
    assert caught.value.code == "VALIDATION_ERROR"
    assert "data.secret_key" in caught.value.fields
    client.credentials.delete(str(credential.id))


def test_the_seed_example_creates_a_vm() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    workspace = client.workspaces.create(name="vms")
    vm = client.vms.create(
        {
            "name": "my-vm",
            "provider": "sandbox",
            "instance_type": "t3.micro",
            "region": "us-east-1",
            "workspace_id": str(workspace.id),
        }
    )
    assert vm.status.value == "pending"
    running = client.vms.wait_until(str(vm.id), "running", timeout=60, interval=0.2)
    assert running.status.value == "running"
    assert running.public_ip
    assert [v.name for v in client.vms.list(status=["running"]).vms] == ["my-vm"]
    # A repeatable filter takes a single value as well as a list (never split into characters).
    assert [v.name for v in client.vms.list(status="running").vms] == ["my-vm"]
    assert [v.name for v in client.vms.list(workspace_id=str(workspace.id), region="us-east-1").vms] == ["my-vm"]
    assert client.vms.list(workspace_id=workspace.id, status="stopped").vms == []
    with pytest.raises(SkyClustError) as caught:
        client.vms.start(str(vm.id))
    assert caught.value.code == "CONFLICT"
    with pytest.raises(SkyClustError) as caught:
        client.vms.create(
            name="x", provider="sandbox", instance_type="z9.huge", region="us-east-1", workspace_id=str(workspace.id)
        )
    assert "instance_type" in caught.value.fields
    # The message alone says what is wrong.
    assert "instance_type" in str(caught.value)
    assert "instance_type" in caught.value.message
    request = {"name": "keyed", "provider": "sandbox", "instance_type": "t3.micro", "region": "us-east-1"}
    request["workspace_id"] = str(workspace.id)
    keyed = client.vms.create(request, idempotency_key="py-1")
    assert client.vms.create(request, idempotency_key="py-1").id == keyed.id
    with pytest.raises(SkyClustError) as caught:
        client.vms.create({**request, "name": "other"}, idempotency_key="py-1")
    assert caught.value.code == "CONFLICT"
    assert client.vms.delete(str(vm.id)).status.value == "terminating"
    assert client.vms.wait_until(str(vm.id), "terminated", timeout=60, interval=0.2).status.value == "terminated"


def test_prices_and_cost_analysis() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    catalog = client.providers.list()
    sandbox = next(offer for offer in catalog.providers if offer.provider.value == "sandbox")
    east = next(region for region in sandbox.regions if region.region == "us-east-1")
    prices = {price.instance_type: price.hourly_cost for price in east.instance_types}
    assert prices["t3.micro"] == 0.0104
    workspace = client.workspaces.create(name="costs")
    costs = client.cost_analysis.get(period="7d", workspace_id=str(workspace.id))
    assert (costs.total_cost, costs.currency, costs.source.value) == (0.0, "USD", "estimate")
    assert [point.cost for point in costs.trend] == [0.0] * 7
    breakdown = client.cost_analysis.breakdown("sandbox", period="1d")
    assert [service.service for service in breakdown.services] == ["Compute", "Block Storage"]
    assert client.cost_analysis.breakdown("aws", service="EBS").services[0].service.value == "EBS"
    with pytest.raises(ValueError):
        client.cost_analysis.breakdown("aws", service="S3")
    with pytest.raises(SkyClustError) as caught:
        client.cost_analysis.get(workspace_id=str(uuid.uuid4()))
    assert caught.value.code == "NOT_FOUND"


def test_a_base_url_without_the_api_prefix_says_so() -> None:
    root = BASE_URL.removesuffix("/api/v1")
    client = SkyClustClient(base_url=root)
    with pytest.raises(SkyClustError) as caught:
        client.auth.login(email="nobody@example.com", password="whatever-it-is")
    assert caught.value.status == 404
    assert caught.value.code == "NOT_FOUND", "the server's own envelope is read"
    assert "/api/v1" in str(caught.value)


def test_a_misspelt_field_is_refused_not_dropped() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    workspace = client.workspaces.create(name="typos")
    with pytest.raises(SkyClustError) as caught:
        client.vms.create(
            name="web",
            provider="sandbox",
            instance_type="t3.micro",
            region="us-east-1",
            workspace_id=str(workspace.id),
            keypair="my-key",
        )
    assert caught.value.code == "VALIDATION_ERROR"
    assert "keypair" in caught.value.fields
    assert client.vms.list(workspace_id=workspace.id).vms == []
    statuses = (status for status in ["running", "stopped"])
    assert client.vms.list(status=statuses).vms == []


def test_errors_are_typed_by_code() -> None:
    client = SkyClustClient(base_url=BASE_URL)
    client.auth.register(fresh())
    with pytest.raises(skyclust.NotFoundError) as missing:
        client.workspaces.get(str(uuid.uuid4()))
    assert isinstance(missing.value, SkyClustError) and missing.value.code == "NOT_FOUND"
    with pytest.raises(skyclust.ValidationError) as invalid:
        client.workspaces.create(name="")
    assert "name" in invalid.value.fields
    with pytest.raises(skyclust.UnauthorizedError):
        SkyClustClient(base_url=BASE_URL, token="not-a-token").auth.me()
    with pytest.raises(skyclust.NetworkError):
        SkyClustClient(base_url="http://127.0.0.1:9/api/v1", timeout=2).auth.me()
    # A 429 says how long to wait: from its data, else from Retry-After.
    limited = skyclust.RateLimitedError(429, "RATE_LIMITED", "slow down", None, {"retry_after": 12}, retry_after=30)
    assert limited.retry_after == 12
    assert skyclust.RateLimitedError(429, "RATE_LIMITED", "slow down", retry_after=30).retry_after == 30
