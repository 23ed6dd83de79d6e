import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_workspace_members_response_200 import (
    ListWorkspaceMembersResponse200,
)
from ...models.list_workspace_members_sort import ListWorkspaceMembersSort
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListWorkspaceMembersSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
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

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/workspaces/{id}/members".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListWorkspaceMembersResponse200 | None:
    if response.status_code == 200:
        response_200 = ListWorkspaceMembersResponse200.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

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
) -> Response[ErrorResponse | ListWorkspaceMembersResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListWorkspaceMembersSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
) -> Response[ErrorResponse | ListWorkspaceMembersResponse200]:
    """List a workspace's members

     Workspaces you neither own nor belong to answer 404 (admins see all).

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListWorkspaceMembersSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListWorkspaceMembersResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListWorkspaceMembersSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
) -> ErrorResponse | ListWorkspaceMembersResponse200 | None:
    """List a workspace's members

     Workspaces you neither own nor belong to answer 404 (admins see all).

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListWorkspaceMembersSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListWorkspaceMembersResponse200
    """

    return sync_detailed(
        id=id,
        client=client,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListWorkspaceMembersSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
) -> Response[ErrorResponse | ListWorkspaceMembersResponse200]:
    """List a workspace's members

     Workspaces you neither own nor belong to answer 404 (admins see all).

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListWorkspaceMembersSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListWorkspaceMembersResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListWorkspaceMembersSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
) -> ErrorResponse | ListWorkspaceMembersResponse200 | None:
    """List a workspace's members

     Workspaces you neither own nor belong to answer 404 (admins see all).

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListWorkspaceMembersSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListWorkspaceMembersResponse200
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            limit=limit,
            offset=offset,
            sort=sort,
            start_date=start_date,
            end_date=end_date,
        )
    ).parsed
