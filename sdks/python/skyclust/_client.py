"""``SkyClustClient`` and ``AsyncSkyClustClient``: the same resources and methods, each method made
from the one description of its operation in ``_operations`` (``_sync`` and ``_async`` below turn
a description into a method of either client, with its exact signature)."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, TypeVar

import httpx
from typing_extensions import Concatenate, ParamSpec, Self

from skyclust import _operations as ops
from skyclust._core import Call, Id, ListCall, RateLimit, Session, transport_error, uuid_of
from skyclust._errors import SkyClustError, TimedOutError
from skyclust._events import Events
from skyclust._events_async import AsyncEvents
from skyclust._retry import RetryPolicy
from skyclust_client.models import Vm, VmStatus

P = ParamSpec("P")
T = TypeVar("T")
ItemT = TypeVar("ItemT")
PageT = TypeVar("PageT")

_DEFAULT_RETRY = RetryPolicy()


class _ClientBase:
    """Configuration and credentials, the same for both clients."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
    ) -> None:
        """``base_url`` is the API root, e.g. ``http://localhost:8080/api/v1``. Authenticate with
        ``token`` (a JWT, or sign in with ``auth.login``) or ``api_key``. ``timeout`` (seconds)
        bounds each request; ``retry`` says how failed idempotent requests are retried
        (``None`` or ``RetryPolicy.none()``: never)."""
        self._session = Session(base_url, token, api_key, timeout, retry)

    @property
    def base_url(self) -> str:
        """The API root."""
        return self._session.base_url

    @property
    def token(self) -> str | None:
        """The JWT in use, if any."""
        return self._session.token

    @property
    def rate_limit(self) -> RateLimit | None:
        """The rate limit reported by the last answer that carried one."""
        return self._session.rate_limit

    def set_token(self, token: str | None) -> None:
        """Use ``token`` from now on (``None`` signs out locally)."""
        self._session.set_token(token)

    def set_api_key(self, api_key: str | None) -> None:
        """Use an API key (``X-API-Key``) from now on."""
        self._session.set_api_key(api_key)


class SkyClustClient(_ClientBase):
    """The SkyClust API client::

        from skyclust import SkyClustClient

        with SkyClustClient(base_url="http://localhost:8080/api/v1", token="...") as client:
            for vm in client.vms.iterate(status="running"):
                print(vm.name)

    Resources: ``auth``, ``health``, ``api_keys``, ``users``, ``audit_logs``, ``workspaces``,
    ``credentials``, ``notifications``, ``vms``, ``cost_analysis``, ``providers``, ``events``.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
    ) -> None:
        super().__init__(base_url, token, api_key, timeout, retry)
        self.auth = Auth(self)
        self.health = HealthChecks(self)
        self.api_keys = ApiKeys(self)
        self.users = Users(self)
        self.audit_logs = AuditLogs(self)
        self.workspaces = Workspaces(self)
        self.credentials = Credentials(self)
        self.notifications = Notifications(self)
        self.vms = Vms(self)
        self.cost_analysis = CostAnalysisResource(self)
        self.providers = Providers(self)
        self.events = Events(self._session)

    def close(self) -> None:
        """Closes the connection pool."""
        self._session.generated.get_httpx_client().close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _run(self, call: Call[T]) -> T:
        """Sends ``call``, retrying as the session's policy allows."""
        request = self._session.request(call)
        http = self._session.generated.get_httpx_client()
        attempt = 1
        while True:
            try:
                response = http.request(**request)
            except httpx.HTTPError as error:
                failure = transport_error(error)
            else:
                try:
                    return self._session.finish(call, response)
                except SkyClustError as error:
                    failure = error
            delay = self._session.retry_delay(request, attempt, failure)
            if delay is None:
                raise failure
            time.sleep(delay)
            attempt += 1

    def _pages(self, call: ListCall[PageT, ItemT]) -> Iterator[ItemT]:
        """Every item of a list, fetching pages as they are needed."""
        while True:
            page = self._run(call)
            yield from call.items(page)
            offset = call.next_offset(page)
            if offset is None:
                return
            call = call.at(offset)


class AsyncSkyClustClient(_ClientBase):
    """The SkyClust API client for asyncio, in the shape of :class:`SkyClustClient`::

    async with AsyncSkyClustClient(base_url="http://localhost:8080/api/v1", token="...") as client:
        me = await client.auth.me()
        async for vm in client.vms.iterate(status="running"):
            print(vm.name)
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        api_key: str | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = _DEFAULT_RETRY,
    ) -> None:
        super().__init__(base_url, token, api_key, timeout, retry)
        self.auth = AsyncAuth(self)
        self.health = AsyncHealthChecks(self)
        self.api_keys = AsyncApiKeys(self)
        self.users = AsyncUsers(self)
        self.audit_logs = AsyncAuditLogs(self)
        self.workspaces = AsyncWorkspaces(self)
        self.credentials = AsyncCredentials(self)
        self.notifications = AsyncNotifications(self)
        self.vms = AsyncVms(self)
        self.cost_analysis = AsyncCostAnalysisResource(self)
        self.providers = AsyncProviders(self)
        self.events = AsyncEvents(self._session)

    async def aclose(self) -> None:
        """Closes the connection pool."""
        await self._session.generated.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _run(self, call: Call[T]) -> T:
        """Sends ``call``, retrying as the session's policy allows."""
        request = self._session.request(call)
        http = self._session.generated.get_async_httpx_client()
        attempt = 1
        while True:
            try:
                response = await http.request(**request)
            except httpx.HTTPError as error:
                failure = transport_error(error)
            else:
                try:
                    return self._session.finish(call, response)
                except SkyClustError as error:
                    failure = error
            delay = self._session.retry_delay(request, attempt, failure)
            if delay is None:
                raise failure
            await asyncio.sleep(delay)
            attempt += 1

    async def _pages(self, call: ListCall[PageT, ItemT]) -> AsyncIterator[ItemT]:
        """Every item of a list, fetching pages as they are needed."""
        while True:
            page = await self._run(call)
            for item in call.items(page):
                yield item
            offset = call.next_offset(page)
            if offset is None:
                return
            call = call.at(offset)


# ---- operation descriptions → methods ----


class _Resource:
    def __init__(self, client: SkyClustClient) -> None:
        self._client = client


class _AsyncResource:
    def __init__(self, client: AsyncSkyClustClient) -> None:
        self._client = client


def _describe(method: Callable[..., Any], build: Callable[..., Any], returns: str) -> None:
    """Gives ``method`` the name, documentation and signature of the operation ``build`` describes
    (what ``help()`` and editors show), returning ``returns`` (``{page}``/``{item}``: the list's);
    ``method.operation`` is ``build``."""
    signature = inspect.signature(build)
    shown = str(signature.return_annotation)
    page, _, item = shown.removeprefix("ListCall[").removeprefix("Call[").removesuffix("]").partition(", ")
    parameters = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY), *signature.parameters.values()]
    method.__dict__.update(
        __signature__=signature.replace(parameters=parameters, return_annotation=returns.format(page=page, item=item)),
        operation=build,
    )
    method.__name__ = method.__qualname__ = build.__name__
    method.__doc__ = build.__doc__


def _sync(build: Callable[P, Call[T]]) -> Callable[Concatenate[_Resource, P], T]:
    """A method of the sync client that runs the operation ``build`` describes."""

    def method(self: _Resource, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self._client._run(build(*args, **kwargs))

    _describe(method, build, "{page}")
    return method


def _async(build: Callable[P, Call[T]]) -> Callable[Concatenate[_AsyncResource, P], Awaitable[T]]:
    """A method of the async client that runs the operation ``build`` describes."""

    async def method(self: _AsyncResource, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return await self._client._run(build(*args, **kwargs))

    _describe(method, build, "{page}")
    return method


def _sync_pages(build: Callable[P, ListCall[Any, ItemT]]) -> Callable[Concatenate[_Resource, P], Iterator[ItemT]]:
    """``iterate``: every item of the list ``build`` describes, page after page (``limit`` is the
    page size, ``offset`` where to start)."""

    def method(self: _Resource, /, *args: P.args, **kwargs: P.kwargs) -> Iterator[ItemT]:
        # The first page's arguments are checked now, not at the first next().
        return self._client._pages(build(*args, **kwargs))

    _describe(method, build, "Iterator[{item}]")
    method.__doc__ = f"Every item of ``{build.__name__}``, page after page (``limit`` is the page size)."
    return method


def _async_pages(
    build: Callable[P, ListCall[Any, ItemT]],
) -> Callable[Concatenate[_AsyncResource, P], AsyncIterator[ItemT]]:
    """``iterate`` of the async client: ``async for item in client.vms.iterate(...)``."""

    def method(self: _AsyncResource, /, *args: P.args, **kwargs: P.kwargs) -> AsyncIterator[ItemT]:
        return self._client._pages(build(*args, **kwargs))

    _describe(method, build, "AsyncIterator[{item}]")
    method.__doc__ = f"Every item of ``{build.__name__}``, page after page (``async for``; ``limit`` is the page size)."
    return method


# ---- resources ----


class Auth(_Resource):
    """Registration, sign-in, sign-out and the current caller."""

    register = _sync(ops.register)
    login = _sync(ops.login)
    logout = _sync(ops.logout)
    me = _sync(ops.get_current_user)


class AsyncAuth(_AsyncResource):
    """Registration, sign-in, sign-out and the current caller."""

    register = _async(ops.register)
    login = _async(ops.login)
    logout = _async(ops.logout)
    me = _async(ops.get_current_user)


class HealthChecks(_Resource):
    """Health checks."""

    get = _sync(ops.get_health)
    db = _sync(ops.get_db_health)
    redis = _sync(ops.get_redis_health)


class AsyncHealthChecks(_AsyncResource):
    """Health checks."""

    get = _async(ops.get_health)
    db = _async(ops.get_db_health)
    redis = _async(ops.get_redis_health)


class ApiKeys(_Resource):
    """Your API keys."""

    list = _sync(ops.list_api_keys)
    iterate = _sync_pages(ops.list_api_keys)
    create = _sync(ops.create_api_key)
    delete = _sync(ops.delete_api_key)


class AsyncApiKeys(_AsyncResource):
    """Your API keys."""

    list = _async(ops.list_api_keys)
    iterate = _async_pages(ops.list_api_keys)
    create = _async(ops.create_api_key)
    delete = _async(ops.delete_api_key)


class Users(_Resource):
    """User administration."""

    list = _sync(ops.list_users)
    iterate = _sync_pages(ops.list_users)
    create = _sync(ops.create_user)
    get = _sync(ops.get_user)
    update = _sync(ops.update_user)
    delete = _sync(ops.delete_user)


class AsyncUsers(_AsyncResource):
    """User administration."""

    list = _async(ops.list_users)
    iterate = _async_pages(ops.list_users)
    create = _async(ops.create_user)
    get = _async(ops.get_user)
    update = _async(ops.update_user)
    delete = _async(ops.delete_user)


class AuditLogs(_Resource):
    """The audit log."""

    list = _sync(ops.list_audit_logs)
    iterate = _sync_pages(ops.list_audit_logs)


class AsyncAuditLogs(_AsyncResource):
    """The audit log."""

    list = _async(ops.list_audit_logs)
    iterate = _async_pages(ops.list_audit_logs)


class Workspaces(_Resource):
    """Workspaces and their members."""

    list = _sync(ops.list_workspaces)
    iterate = _sync_pages(ops.list_workspaces)
    create = _sync(ops.create_workspace)
    get = _sync(ops.get_workspace)
    update = _sync(ops.update_workspace)
    delete = _sync(ops.delete_workspace)
    members = _sync(ops.list_workspace_members)
    iterate_members = _sync_pages(ops.list_workspace_members)
    add_member = _sync(ops.add_workspace_member)
    remove_member = _sync(ops.remove_workspace_member)


class AsyncWorkspaces(_AsyncResource):
    """Workspaces and their members."""

    list = _async(ops.list_workspaces)
    iterate = _async_pages(ops.list_workspaces)
    create = _async(ops.create_workspace)
    get = _async(ops.get_workspace)
    update = _async(ops.update_workspace)
    delete = _async(ops.delete_workspace)
    members = _async(ops.list_workspace_members)
    iterate_members = _async_pages(ops.list_workspace_members)
    add_member = _async(ops.add_workspace_member)
    remove_member = _async(ops.remove_workspace_member)


class Credentials(_Resource):
    """Your cloud credentials (answers carry a masked ``hint``, never the secrets)."""

    list = _sync(ops.list_credentials)
    iterate = _sync_pages(ops.list_credentials)
    create = _sync(ops.create_credential)
    get = _sync(ops.get_credential)
    update = _sync(ops.update_credential)
    delete = _sync(ops.delete_credential)
    instances = _sync(ops.list_credential_instances)
    iterate_instances = _sync_pages(ops.list_credential_instances)


class AsyncCredentials(_AsyncResource):
    """Your cloud credentials (answers carry a masked ``hint``, never the secrets)."""

    list = _async(ops.list_credentials)
    iterate = _async_pages(ops.list_credentials)
    create = _async(ops.create_credential)
    get = _async(ops.get_credential)
    update = _async(ops.update_credential)
    delete = _async(ops.delete_credential)
    instances = _async(ops.list_credential_instances)
    iterate_instances = _async_pages(ops.list_credential_instances)


class Notifications(_Resource):
    """Your notifications."""

    list = _sync(ops.list_notifications)
    iterate = _sync_pages(ops.list_notifications)
    mark_read = _sync(ops.mark_notification_read)
    mark_all_read = _sync(ops.mark_all_notifications_read)


class AsyncNotifications(_AsyncResource):
    """Your notifications."""

    list = _async(ops.list_notifications)
    iterate = _async_pages(ops.list_notifications)
    mark_read = _async(ops.mark_notification_read)
    mark_all_read = _async(ops.mark_all_notifications_read)


def _settled(vm: Vm, status: VmStatus) -> bool:
    """Whether a wait for ``status`` is over: reached, or a status the VM never leaves by itself."""
    return vm.status in (status, VmStatus.ERROR, VmStatus.TERMINATED)


def _wait_timeout(vm: Vm, timeout: float) -> TimedOutError:
    return TimedOutError(0, "TIMEOUT", f"the VM is {vm.status.value} after {timeout}s")


class Vms(_Resource):
    """Virtual machines."""

    list = _sync(ops.list_vms)
    iterate = _sync_pages(ops.list_vms)
    create = _sync(ops.create_vm)
    get = _sync(ops.get_vm)
    delete = _sync(ops.delete_vm)
    import_ = _sync(ops.import_vm)
    start = _sync(ops.start_vm)
    stop = _sync(ops.stop_vm)
    reboot = _sync(ops.reboot_vm)

    def wait_until(self, vm_id: Id, status: VmStatus | str, timeout: float = 300.0, interval: float = 1.0) -> Vm:
        """Polls until the VM is ``status``, or ``error`` or ``terminated`` (which end the wait: check
        the returned VM's status); :class:`TimedOutError` after ``timeout`` seconds."""
        wanted, deadline = VmStatus(status), time.monotonic() + timeout
        while True:
            vm = self._client._run(ops.get_vm(uuid_of(vm_id)))
            if _settled(vm, wanted):
                return vm
            if time.monotonic() >= deadline:
                raise _wait_timeout(vm, timeout)
            time.sleep(interval)


class AsyncVms(_AsyncResource):
    """Virtual machines."""

    list = _async(ops.list_vms)
    iterate = _async_pages(ops.list_vms)
    create = _async(ops.create_vm)
    get = _async(ops.get_vm)
    delete = _async(ops.delete_vm)
    import_ = _async(ops.import_vm)
    start = _async(ops.start_vm)
    stop = _async(ops.stop_vm)
    reboot = _async(ops.reboot_vm)

    async def wait_until(self, vm_id: Id, status: VmStatus | str, timeout: float = 300.0, interval: float = 1.0) -> Vm:
        """Polls until the VM is ``status``, or ``error`` or ``terminated`` (which end the wait: check
        the returned VM's status); :class:`TimedOutError` after ``timeout`` seconds."""
        wanted, deadline = VmStatus(status), time.monotonic() + timeout
        while True:
            vm = await self._client._run(ops.get_vm(uuid_of(vm_id)))
            if _settled(vm, wanted):
                return vm
            if time.monotonic() >= deadline:
                raise _wait_timeout(vm, timeout)
            await asyncio.sleep(interval)


class CostAnalysisResource(_Resource):
    """Cost estimates: metered running time priced from the server's catalog."""

    get = _sync(ops.get_cost_analysis)
    breakdown = _sync(ops.get_cost_breakdown)


class AsyncCostAnalysisResource(_AsyncResource):
    """Cost estimates: metered running time priced from the server's catalog."""

    get = _async(ops.get_cost_analysis)
    breakdown = _async(ops.get_cost_breakdown)


class Providers(_Resource):
    """The enabled providers, their regions, instance types and prices."""

    list = _sync(ops.list_providers)


class AsyncProviders(_AsyncResource):
    """The enabled providers, their regions, instance types and prices."""

    list = _async(ops.list_providers)
