import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_vms_response_200 import ListVmsResponse200
from ...models.list_vms_sort import ListVmsSort
from ...models.provider import Provider
from ...models.vm_status import VmStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListVmsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    workspace_id: list[UUID] | Unset = UNSET,
    provider: list[Provider] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    region: list[str] | Unset = UNSET,
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

    json_workspace_id: list[str] | Unset = UNSET
    if not isinstance(workspace_id, Unset):
        json_workspace_id = []
        for workspace_id_item_data in workspace_id:
            workspace_id_item = str(workspace_id_item_data)
            json_workspace_id.append(workspace_id_item)

    params["workspace_id"] = json_workspace_id

    json_provider: list[str] | Unset = UNSET
    if not isinstance(provider, Unset):
        json_provider = []
        for provider_item_data in provider:
            provider_item = provider_item_data.value
            json_provider.append(provider_item)

    params["provider"] = json_provider

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    json_region: list[str] | Unset = UNSET
    if not isinstance(region, Unset):
        json_region = region

    params["region"] = json_region

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/vms",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListVmsResponse200 | None:
    if response.status_code == 200:
        response_200 = ListVmsResponse200.from_dict(response.json())

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
) -> Response[ErrorResponse | ListVmsResponse200]:
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
    sort: ListVmsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    workspace_id: list[UUID] | Unset = UNSET,
    provider: list[Provider] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    region: list[str] | Unset = UNSET,
) -> Response[ErrorResponse | ListVmsResponse200]:
    """List VMs

     The VMs of the workspaces you can see (admins: all).

    Requires the `vm:read` permission.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListVmsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        workspace_id (list[UUID] | Unset):
        provider (list[Provider] | Unset):
        status (list[VmStatus] | Unset):
        region (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListVmsResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        workspace_id=workspace_id,
        provider=provider,
        status=status,
        region=region,
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
    sort: ListVmsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    workspace_id: list[UUID] | Unset = UNSET,
    provider: list[Provider] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    region: list[str] | Unset = UNSET,
) -> ErrorResponse | ListVmsResponse200 | None:
    """List VMs

     The VMs of the workspaces you can see (admins: all).

    Requires the `vm:read` permission.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListVmsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        workspace_id (list[UUID] | Unset):
        provider (list[Provider] | Unset):
        status (list[VmStatus] | Unset):
        region (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListVmsResponse200
    """

    return sync_detailed(
        client=client,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        workspace_id=workspace_id,
        provider=provider,
        status=status,
        region=region,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListVmsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    workspace_id: list[UUID] | Unset = UNSET,
    provider: list[Provider] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    region: list[str] | Unset = UNSET,
) -> Response[ErrorResponse | ListVmsResponse200]:
    """List VMs

     The VMs of the workspaces you can see (admins: all).

    Requires the `vm:read` permission.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListVmsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        workspace_id (list[UUID] | Unset):
        provider (list[Provider] | Unset):
        status (list[VmStatus] | Unset):
        region (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListVmsResponse200]
    """

    kwargs = _get_kwargs(
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        workspace_id=workspace_id,
        provider=provider,
        status=status,
        region=region,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 20,
    offset: int | Unset = UNSET,
    sort: ListVmsSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    workspace_id: list[UUID] | Unset = UNSET,
    provider: list[Provider] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    region: list[str] | Unset = UNSET,
) -> ErrorResponse | ListVmsResponse200 | None:
    """List VMs

     The VMs of the workspaces you can see (admins: all).

    Requires the `vm:read` permission.

    Args:
        limit (int | Unset):  Default: 20.
        offset (int | Unset):
        sort (ListVmsSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        workspace_id (list[UUID] | Unset):
        provider (list[Provider] | Unset):
        status (list[VmStatus] | Unset):
        region (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListVmsResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            offset=offset,
            sort=sort,
            start_date=start_date,
            end_date=end_date,
            workspace_id=workspace_id,
            provider=provider,
            status=status,
            region=region,
        )
    ).parsed
