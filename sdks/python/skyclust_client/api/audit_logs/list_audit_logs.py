import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_audit_logs_response_200 import ListAuditLogsResponse200
from ...models.list_audit_logs_sort import ListAuditLogsSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListAuditLogsSort | Unset = UNSET,
    start_time: datetime.date | datetime.datetime | Unset = UNSET,
    end_time: datetime.date | datetime.datetime | Unset = UNSET,
    user_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    resource: list[str] | Unset = UNSET,
    success: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_start_time: str | Unset
    if isinstance(start_time, Unset):
        json_start_time = UNSET
    elif isinstance(start_time, datetime.date):
        json_start_time = start_time.isoformat()
    else:
        json_start_time = start_time.isoformat()

    params["start_time"] = json_start_time

    json_end_time: str | Unset
    if isinstance(end_time, Unset):
        json_end_time = UNSET
    elif isinstance(end_time, datetime.date):
        json_end_time = end_time.isoformat()
    else:
        json_end_time = end_time.isoformat()

    params["end_time"] = json_end_time

    json_user_id: list[str] | Unset = UNSET
    if not isinstance(user_id, Unset):
        json_user_id = []
        for user_id_item_data in user_id:
            user_id_item = str(user_id_item_data)
            json_user_id.append(user_id_item)

    params["user_id"] = json_user_id

    json_action: list[str] | Unset = UNSET
    if not isinstance(action, Unset):
        json_action = action

    params["action"] = json_action

    json_resource: list[str] | Unset = UNSET
    if not isinstance(resource, Unset):
        json_resource = resource

    params["resource"] = json_resource

    params["success"] = success

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/audit-logs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListAuditLogsResponse200 | None:
    if response.status_code == 200:
        response_200 = ListAuditLogsResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ListAuditLogsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListAuditLogsSort | Unset = UNSET,
    start_time: datetime.date | datetime.datetime | Unset = UNSET,
    end_time: datetime.date | datetime.datetime | Unset = UNSET,
    user_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    resource: list[str] | Unset = UNSET,
    success: bool | Unset = UNSET,
) -> Response[ErrorResponse | ListAuditLogsResponse200]:
    """Read the audit log

     Every state-changing request and every sign-in, sign-out and registration, newest first by default.

    Requires the `audit:read` permission.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListAuditLogsSort | Unset):
        start_time (datetime.date | datetime.datetime | Unset):
        end_time (datetime.date | datetime.datetime | Unset):
        user_id (list[UUID] | Unset):
        action (list[str] | Unset):
        resource (list[str] | Unset):
        success (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListAuditLogsResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_time=start_time,
        end_time=end_time,
        user_id=user_id,
        action=action,
        resource=resource,
        success=success,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListAuditLogsSort | Unset = UNSET,
    start_time: datetime.date | datetime.datetime | Unset = UNSET,
    end_time: datetime.date | datetime.datetime | Unset = UNSET,
    user_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    resource: list[str] | Unset = UNSET,
    success: bool | Unset = UNSET,
) -> ErrorResponse | ListAuditLogsResponse200 | None:
    """Read the audit log

     Every state-changing request and every sign-in, sign-out and registration, newest first by default.

    Requires the `audit:read` permission.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListAuditLogsSort | Unset):
        start_time (datetime.date | datetime.datetime | Unset):
        end_time (datetime.date | datetime.datetime | Unset):
        user_id (list[UUID] | Unset):
        action (list[str] | Unset):
        resource (list[str] | Unset):
        success (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListAuditLogsResponse200
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        sort=sort,
        start_time=start_time,
        end_time=end_time,
        user_id=user_id,
        action=action,
        resource=resource,
        success=success,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListAuditLogsSort | Unset = UNSET,
    start_time: datetime.date | datetime.datetime | Unset = UNSET,
    end_time: datetime.date | datetime.datetime | Unset = UNSET,
    user_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    resource: list[str] | Unset = UNSET,
    success: bool | Unset = UNSET,
) -> Response[ErrorResponse | ListAuditLogsResponse200]:
    """Read the audit log

     Every state-changing request and every sign-in, sign-out and registration, newest first by default.

    Requires the `audit:read` permission.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListAuditLogsSort | Unset):
        start_time (datetime.date | datetime.datetime | Unset):
        end_time (datetime.date | datetime.datetime | Unset):
        user_id (list[UUID] | Unset):
        action (list[str] | Unset):
        resource (list[str] | Unset):
        success (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListAuditLogsResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_time=start_time,
        end_time=end_time,
        user_id=user_id,
        action=action,
        resource=resource,
        success=success,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListAuditLogsSort | Unset = UNSET,
    start_time: datetime.date | datetime.datetime | Unset = UNSET,
    end_time: datetime.date | datetime.datetime | Unset = UNSET,
    user_id: list[UUID] | Unset = UNSET,
    action: list[str] | Unset = UNSET,
    resource: list[str] | Unset = UNSET,
    success: bool | Unset = UNSET,
) -> ErrorResponse | ListAuditLogsResponse200 | None:
    """Read the audit log

     Every state-changing request and every sign-in, sign-out and registration, newest first by default.

    Requires the `audit:read` permission.

    Args:
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListAuditLogsSort | Unset):
        start_time (datetime.date | datetime.datetime | Unset):
        end_time (datetime.date | datetime.datetime | Unset):
        user_id (list[UUID] | Unset):
        action (list[str] | Unset):
        resource (list[str] | Unset):
        success (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListAuditLogsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            sort=sort,
            start_time=start_time,
            end_time=end_time,
            user_id=user_id,
            action=action,
            resource=resource,
            success=success,
        )
    ).parsed
