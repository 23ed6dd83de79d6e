import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_notifications_response_200 import ListNotificationsResponse200
from ...models.list_notifications_sort import ListNotificationsSort
from ...models.notification_type import NotificationType
from ...models.priority import Priority
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListNotificationsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    unread_only: bool | Unset = UNSET,
    type_: list[NotificationType] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["offset"] = offset

    json_sort: str | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = sort.value

    params["sort"] = json_sort

    json_start_date: str | Unset
    if isinstance(start_date, Unset):
        json_start_date = UNSET
    elif isinstance(start_date, datetime.date):
        json_start_date = start_date.isoformat()
    else:
        json_start_date = start_date.isoformat()

    params["start_date"] = json_start_date

    json_end_date: str | Unset
    if isinstance(end_date, Unset):
        json_end_date = UNSET
    elif isinstance(end_date, datetime.date):
        json_end_date = end_date.isoformat()
    else:
        json_end_date = end_date.isoformat()

    params["end_date"] = json_end_date

    params["unread_only"] = unread_only

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = []
        for type_item_data in type_:
            type_item = type_item_data.value
            json_type_.append(type_item)

    params["type"] = json_type_

    json_priority: list[str] | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = []
        for priority_item_data in priority:
            priority_item = priority_item_data.value
            json_priority.append(priority_item)

    params["priority"] = json_priority

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/notifications",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListNotificationsResponse200 | None:
    if response.status_code == 200:
        response_200 = ListNotificationsResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

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
) -> Response[ErrorResponse | ListNotificationsResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListNotificationsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    unread_only: bool | Unset = UNSET,
    type_: list[NotificationType] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
) -> Response[ErrorResponse | ListNotificationsResponse200]:
    """List your notifications

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListNotificationsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        unread_only (bool | Unset):
        type_ (list[NotificationType] | Unset):
        priority (list[Priority] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListNotificationsResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        unread_only=unread_only,
        type_=type_,
        priority=priority,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListNotificationsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    unread_only: bool | Unset = UNSET,
    type_: list[NotificationType] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
) -> ErrorResponse | ListNotificationsResponse200 | None:
    """List your notifications

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListNotificationsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        unread_only (bool | Unset):
        type_ (list[NotificationType] | Unset):
        priority (list[Priority] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListNotificationsResponse200
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        unread_only=unread_only,
        type_=type_,
        priority=priority,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListNotificationsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    unread_only: bool | Unset = UNSET,
    type_: list[NotificationType] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
) -> Response[ErrorResponse | ListNotificationsResponse200]:
    """List your notifications

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListNotificationsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        unread_only (bool | Unset):
        type_ (list[NotificationType] | Unset):
        priority (list[Priority] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListNotificationsResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        unread_only=unread_only,
        type_=type_,
        priority=priority,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListNotificationsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    unread_only: bool | Unset = UNSET,
    type_: list[NotificationType] | Unset = UNSET,
    priority: list[Priority] | Unset = UNSET,
) -> ErrorResponse | ListNotificationsResponse200 | None:
    """List your notifications

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListNotificationsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        unread_only (bool | Unset):
        type_ (list[NotificationType] | Unset):
        priority (list[Priority] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListNotificationsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            sort=sort,
            start_date=start_date,
            end_date=end_date,
            unread_only=unread_only,
            type_=type_,
            priority=priority,
        )
    ).parsed
