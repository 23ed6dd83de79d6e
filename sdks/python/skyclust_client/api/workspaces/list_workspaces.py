import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_workspaces_response_200 import ListWorkspacesResponse200
from ...models.list_workspaces_sort import ListWorkspacesSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 10,
    offset: int | Unset = UNSET,
    sort: ListWorkspacesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
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

    params["is_active"] = is_active

    json_owner_id: list[str] | Unset = UNSET
    if not isinstance(owner_id, Unset):
        json_owner_id = []
        for owner_id_item_data in owner_id:
            owner_id_item = str(owner_id_item_data)
            json_owner_id.append(owner_id_item)

    params["owner_id"] = json_owner_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/workspaces",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListWorkspacesResponse200 | None:
    if response.status_code == 200:
        response_200 = ListWorkspacesResponse200.from_dict(response.json())

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
) -> Response[ErrorResponse | ListWorkspacesResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = UNSET,
    sort: ListWorkspacesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
) -> Response[ErrorResponse | ListWorkspacesResponse200]:
    """List your workspaces

     The workspaces you own or are a member of; admins see all.

    Requires the `workspace:read` permission.

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):
        sort (ListWorkspacesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        is_active (bool | Unset):
        owner_id (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListWorkspacesResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        is_active=is_active,
        owner_id=owner_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = UNSET,
    sort: ListWorkspacesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
) -> ErrorResponse | ListWorkspacesResponse200 | None:
    """List your workspaces

     The workspaces you own or are a member of; admins see all.

    Requires the `workspace:read` permission.

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):
        sort (ListWorkspacesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        is_active (bool | Unset):
        owner_id (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListWorkspacesResponse200
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        is_active=is_active,
        owner_id=owner_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = UNSET,
    sort: ListWorkspacesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
) -> Response[ErrorResponse | ListWorkspacesResponse200]:
    """List your workspaces

     The workspaces you own or are a member of; admins see all.

    Requires the `workspace:read` permission.

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):
        sort (ListWorkspacesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        is_active (bool | Unset):
        owner_id (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListWorkspacesResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        is_active=is_active,
        owner_id=owner_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 10,
    offset: int | Unset = UNSET,
    sort: ListWorkspacesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    is_active: bool | Unset = UNSET,
    owner_id: list[UUID] | Unset = UNSET,
) -> ErrorResponse | ListWorkspacesResponse200 | None:
    """List your workspaces

     The workspaces you own or are a member of; admins see all.

    Requires the `workspace:read` permission.

    Args:
        limit (int | Unset):  Default: 10.
        offset (int | Unset):
        sort (ListWorkspacesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        is_active (bool | Unset):
        owner_id (list[UUID] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListWorkspacesResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            sort=sort,
            start_date=start_date,
            end_date=end_date,
            is_active=is_active,
            owner_id=owner_id,
        )
    ).parsed
