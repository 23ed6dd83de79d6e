"""What the sync and the async client share: the description of a call (:class:`Call`), the session
(credentials, retry policy, last rate limit), turning an answer into a value or an error, and
deciding whether and when to retry. Only sending and sleeping differ between the two clients."""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any, Generic, TypeVar, Union
from uuid import UUID

import httpx

from skyclust._errors import CODE_BY_STATUS, SkyClustError, error_for, parse_retry_after
from skyclust._retry import RetryPolicy
from skyclust._version import __version__
from skyclust_client import Client
from skyclust_client.models import ErrorResponse, Pagination
from skyclust_client.types import Unset

T = TypeVar("T")
PageT = TypeVar("PageT")
ItemT = TypeVar("ItemT")
E = TypeVar("E", bound=enum.Enum)

# Aliases of the facade's signatures (``Union`` rather than ``|``: they are evaluated at run time).
Id = Union[UUID, str]
"""An id: a ``UUID`` or its text."""
OneOrMany = Union[T, Iterable[T]]
"""A repeatable filter: one value or several (a string is one value, never its characters)."""
DateLike = Union[datetime.date, datetime.datetime]
"""A date filter."""
Body = Union[Mapping[str, Any], None]
"""A request body as a mapping (or the generated model itself)."""

# Methods that are safe to send twice; a POST is too when it carries an Idempotency-Key.
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({300, 301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Call(Generic[T]):
    """One operation to send: a generated operation module (its ``_get_kwargs`` builds the request and
    its ``_build_response`` parses the answer), its arguments, and what to return from the answer's
    ``data``. ``after`` runs on the session once the call succeeded (e.g. keeping a new token)."""

    operation: ModuleType
    kwargs: Mapping[str, Any]
    result: Callable[[Any], T]
    after: Callable[[Session, T], None] | None


@dataclass(frozen=True)
class ListCall(Call[PageT], Generic[PageT, ItemT]):
    """A list operation, which can also be walked page by page."""

    items: Callable[[PageT], Sequence[ItemT]]
    pagination: Callable[[PageT], Pagination]

    def at(self, offset: int) -> ListCall[PageT, ItemT]:
        """The same query from ``offset`` on."""
        return replace(self, kwargs={**self.kwargs, "offset": offset})

    def next_offset(self, page: PageT) -> int | None:
        """Where the page after ``page`` starts, or None after the last one: a page that is short,
        empty, or reaches ``pagination.total``."""
        items = self.items(page)
        pagination = self.pagination(page)
        following = pagination.offset + len(items)
        if not items or len(items) < pagination.limit or following >= pagination.total:
            return None
        return following


def call(
    operation: ModuleType,
    result: Callable[[Any], T],
    after: Callable[[Session, T], None] | None = None,
    **kwargs: Any,
) -> Call[T]:
    """A :class:`Call`; arguments that are None are left out, so the operation's defaults apply."""
    return Call(operation, _present(kwargs), result, after)


def list_call(
    operation: ModuleType,
    page: type[PageT],
    items: Callable[[PageT], Sequence[ItemT]],
    **kwargs: Any,
) -> ListCall[PageT, ItemT]:
    """A :class:`ListCall` answering ``page``, whose items ``items`` picks."""
    return ListCall(operation, _present(kwargs), returns(page), None, items, _pagination_of)


def _pagination_of(page: Any) -> Pagination:
    pagination = page.pagination
    assert isinstance(pagination, Pagination)
    return pagination


def _present(kwargs: Mapping[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in kwargs.items() if value is not None}


def returns(kind: type[T]) -> Callable[[Any], T]:
    """The answer's ``data``, which must be a ``kind``."""

    def result(data: Any) -> T:
        if not isinstance(data, kind):
            raise error_for(0, "DECODE_ERROR", f"expected {kind.__name__} data, got {type(data).__name__}")
        return data

    return result


def returns_nothing(data: Any) -> None:
    """For operations whose answer carries no ``data``."""
    return


# ---- arguments: plain Python values to the generated types ----


def uuid_of(value: Id) -> UUID:
    """``value`` as a UUID (a malformed one is a ValueError before anything is sent)."""
    return value if isinstance(value, UUID) else UUID(str(value))


def enum_of(kind: type[E], value: E | str | None) -> E | None:
    """``value`` as a member of ``kind`` (a ValueError names the valid ones)."""
    if value is None or isinstance(value, kind):
        return value
    raw = value.value if isinstance(value, enum.Enum) else value
    try:
        return kind(raw)
    except ValueError:
        valid = ", ".join(str(member.value) for member in kind)
        raise ValueError(f"{raw!r} is not a valid {kind.__name__}; expected one of: {valid}") from None


def many(convert: Callable[[Any], T], value: OneOrMany[Any] | None) -> list[T] | None:
    """A repeatable filter as a list: a single value (a string, a UUID, an enum member) is one item."""
    if value is None:
        return None
    single = isinstance(value, (str, bytes, UUID, enum.Enum)) or not isinstance(value, Iterable)
    return [convert(item) for item in ([value] if single else value)]


def enums_of(kind: type[E], value: OneOrMany[E | str] | None) -> list[E] | None:
    """A repeatable enum filter."""
    return many(lambda item: _required(enum_of(kind, item)), value)


def _required(value: T | None) -> T:
    assert value is not None
    return value


class RawBody:
    """A request body the generated models cannot hold (a required field missing, an unknown
    field): sent as it is, so the caller gets the server's own ``VALIDATION_ERROR``, which names
    every field, rather than a local ``KeyError``. The generated code only calls ``to_dict``."""

    def __init__(self, payload: Mapping[str, Any]) -> None:
        self.payload = dict(payload)

    def to_dict(self) -> dict[str, Any]:
        return self.payload


def body_of(model: type[Any], body: Any, fields: Mapping[str, Any]) -> Any:
    """A body from a generated model, a mapping, or keyword arguments (keywords win)."""
    if isinstance(body, model) and not fields:
        return body
    payload = {**(body.to_dict() if isinstance(body, model) else dict(body or {})), **fields}
    payload = {name: _jsonable(value) for name, value in payload.items()}
    try:
        built = model.from_dict(payload)
    except (KeyError, ValueError, TypeError, AttributeError):
        return RawBody(payload)
    # The generated request models drop keys they do not know; the server refuses them by name,
    # so a misspelt field goes to it as sent rather than vanishing.
    if set(payload) - set(built.to_dict()) or getattr(built, "additional_properties", None):
        return RawBody(payload)
    return built


def _jsonable(value: Any) -> Any:
    """UUIDs, enum members and dates in a body as their JSON text."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


# ---- the session: state and decisions shared by both clients ----


@dataclass(frozen=True)
class RateLimit:
    """The caller's rate limit, from the ``X-RateLimit-*`` headers of the last answer."""

    limit: int
    """Requests allowed per window."""
    remaining: int
    """Requests left in the window."""
    reset: int
    """When the window resets (Unix seconds)."""


class Session:
    """Credentials, retry policy and the low-level generated client of one facade client."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        api_key: str | None,
        timeout: float,
        retry: RetryPolicy | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.api_key = None if token else api_key
        self.retry = retry or RetryPolicy.none()
        self.rate_limit: RateLimit | None = None
        self.generated = Client(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": f"skyclust-sdk-python/{__version__}"},
            # The API never redirects, and a redirect followed would carry X-API-Key and, after a
            # 307 or 308, the body (a password, a cloud secret) to wherever it points: finish()
            # reports it instead. (httpx's and the generated client's default; said here so it stays.)
            follow_redirects=False,
        )

    def set_token(self, token: str | None) -> None:
        self.token = token
        self.api_key = None

    def set_api_key(self, api_key: str | None) -> None:
        self.api_key = api_key
        self.token = None

    def credential_headers(self) -> dict[str, str]:
        if self.token:
            return {"Authorization": f"Bearer {self.token}"}
        if self.api_key:
            return {"X-API-Key": self.api_key}
        return {}

    def request(self, call: Call[Any]) -> dict[str, Any]:
        """The arguments of ``httpx.Client.request`` for ``call``, credentials included."""
        request: dict[str, Any] = call.operation._get_kwargs(**call.kwargs)
        request["headers"] = {**self.credential_headers(), **request.get("headers", {})}
        return request

    def finish(self, call: Call[T], response: httpx.Response) -> T:
        """The value ``call`` returns for ``response``, or the :class:`SkyClustError` it is."""
        self._note_rate_limit(response)
        if response.status_code in _REDIRECT_STATUSES:
            raise redirect_error(response)
        try:
            parsed = call.operation._build_response(client=self.generated, response=response).parsed
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            # Not the JSON the operation declares (a proxy's HTML error page, say).
            if response.status_code < 400:
                raise error_for(response.status_code, "DECODE_ERROR", f"unexpected answer: {error}") from error
            parsed = None
        if isinstance(parsed, ErrorResponse) or response.status_code >= 400 or parsed is None:
            raise self.error(response, parsed)
        value = call.result(getattr(parsed, "data", None))
        if call.after is not None:
            call.after(self, value)
        return value

    def error(self, response: httpx.Response, parsed: Any) -> SkyClustError:
        """The error an answer stands for, read from its envelope when it has one."""
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        hint = ""
        if status == 404 and not self.base_url.endswith("/api/v1"):
            # The URL is quoted without any user:password it may carry.
            shown = str(httpx.URL(self.base_url).copy_with(username=None, password=None))
            hint = f" (is {shown!r} the API root? it usually ends in /api/v1)"
        if isinstance(parsed, ErrorResponse):
            details = None if isinstance(parsed.data, Unset) or parsed.data is None else parsed.data.to_dict()
            code = str(parsed.code.value)
            return error_for(status, code, parsed.error + hint, parsed.request_id, details, retry_after=retry_after)
        # An envelope the operation does not declare (a 404 for a path that is not the API's,
        # say) is still read; only a body that is not one is reported as such.
        try:
            envelope = json.loads(response.content)
        except ValueError:
            envelope = None
        request_id = response.headers.get("x-request-id")
        if isinstance(envelope, Mapping) and envelope.get("success") is False:
            return error_for(
                status,
                str(envelope.get("code") or CODE_BY_STATUS.get(status, "INTERNAL_ERROR")),
                str(envelope.get("error") or f"HTTP {status}") + hint,
                envelope.get("request_id") or request_id,
                envelope.get("data"),
                retry_after=retry_after,
            )
        return error_for(
            status,
            CODE_BY_STATUS.get(status, "INTERNAL_ERROR"),
            f"HTTP {status} without a SkyClust error envelope{hint}",
            request_id,
            retry_after=retry_after,
        )

    def _note_rate_limit(self, response: httpx.Response) -> None:
        try:
            self.rate_limit = RateLimit(
                int(response.headers["x-ratelimit-limit"]),
                int(response.headers["x-ratelimit-remaining"]),
                int(response.headers["x-ratelimit-reset"]),
            )
        except (KeyError, ValueError):
            pass

    def retry_delay(self, request: Mapping[str, Any], attempt: int, error: SkyClustError) -> float | None:
        """Seconds to wait before sending ``request`` again after ``error``, or None to give up."""
        headers = request.get("headers") or {}
        safe_to_repeat = str(request["method"]).upper() in _IDEMPOTENT_METHODS or "Idempotency-Key" in headers
        if not safe_to_repeat or attempt >= self.retry.max_attempts:
            return None
        if error.status == 0:
            # As the Rust SDK: a connection that could not be made, or no answer in time; not a
            # connection that broke mid-answer, where the server may have acted.
            retryable = isinstance(error.__cause__, (httpx.ConnectError, httpx.TimeoutException))
            return self.retry.delay(attempt) if retryable else None
        if error.status not in _RETRYABLE_STATUSES or not self.retry.accepts_wait(error.retry_after):
            return None
        return self.retry.delay(attempt, error.retry_after)

    def websocket_auth(self) -> dict[str, str] | None:
        """The event stream's ``auth`` message for the current credential."""
        if self.token:
            return {"type": "auth", "token": self.token}
        if self.api_key:
            return {"type": "auth", "api_key": self.api_key}
        return None


def redirect_error(response: httpx.Response) -> SkyClustError:
    """A redirect, which is never followed: a ``NETWORK_ERROR`` (status 0, not retried) that says so."""
    request = response.request
    location = response.headers.get("location")
    target = f" redirecting to {location}" if location else ""
    return error_for(
        0,
        "NETWORK_ERROR",
        f"{request.method} {request.url} was answered with {response.status_code}{target}, which the client "
        "does not follow (the API never redirects, and the credentials and request body would go along): "
        "is the base URL right?",
    )


def transport_error(error: httpx.HTTPError) -> SkyClustError:
    """A failure to get an answer at all (the httpx error is its ``__cause__``)."""
    if isinstance(error, httpx.TimeoutException):
        failure = error_for(0, "TIMEOUT", f"no answer in time: {error!r}")
    elif isinstance(error, httpx.ConnectError):
        failure = error_for(0, "NETWORK_ERROR", f"cannot reach the API: {error}")
    else:
        failure = error_for(0, "NETWORK_ERROR", f"the request failed: {error!r}")
    failure.__cause__ = error
    return failure
