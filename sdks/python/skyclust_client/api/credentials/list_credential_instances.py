import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.list_credential_instances_response_200 import (
    ListCredentialInstancesResponse200,
)
from ...models.list_credential_instances_sort import ListCredentialInstancesSort
from ...models.vm_status import VmStatus
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListCredentialInstancesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    region: list[str] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    managed: bool | Unset = UNSET,
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

    json_region: list[str] | Unset = UNSET
    if not isinstance(region, Unset):
        json_region = region

    params["region"] = json_region

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)

    params["status"] = json_status

    params["managed"] = managed

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/credentials/{id}/instances".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListCredentialInstancesResponse200 | None:
    if response.status_code == 200:
        response_200 = ListCredentialInstancesResponse200.from_dict(response.json())

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

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ListCredentialInstancesResponse200]:
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
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListCredentialInstancesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    region: list[str] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    managed: bool | Unset = UNSET,
) -> Response[ErrorResponse | ListCredentialInstancesResponse200]:
    """Discover the instances of a credential's account

     Lists the instances the provider reports in the credential's account, whether SkyClust created them
    or not, each marked `managed` (with `vm_id` when you can see the VM) or unmanaged; an unmanaged one
    can be brought under management with `POST /vms/import`. `region` names the regions to read (the
    credential's region, or the regions SkyClust prices, when absent). A region the provider fails to
    answer for is listed in `failed_regions` and the others are answered all the same; when every region
    fails the answer is `PROVIDER_ERROR` with the provider's message. What the provider said is reused
    for 30 seconds, so paging through the list reads the provider once. Credentials belong to the user
    who created them; anyone else gets 404.

    Requires the `credential:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListCredentialInstancesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        region (list[str] | Unset):
        status (list[VmStatus] | Unset):
        managed (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListCredentialInstancesResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        region=region,
        status=status,
        managed=managed,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListCredentialInstancesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    region: list[str] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    managed: bool | Unset = UNSET,
) -> ErrorResponse | ListCredentialInstancesResponse200 | None:
    """Discover the instances of a credential's account

     Lists the instances the provider reports in the credential's account, whether SkyClust created them
    or not, each marked `managed` (with `vm_id` when you can see the VM) or unmanaged; an unmanaged one
    can be brought under management with `POST /vms/import`. `region` names the regions to read (the
    credential's region, or the regions SkyClust prices, when absent). A region the provider fails to
    answer for is listed in `failed_regions` and the others are answered all the same; when every region
    fails the answer is `PROVIDER_ERROR` with the provider's message. What the provider said is reused
    for 30 seconds, so paging through the list reads the provider once. Credentials belong to the user
    who created them; anyone else gets 404.

    Requires the `credential:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListCredentialInstancesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        region (list[str] | Unset):
        status (list[VmStatus] | Unset):
        managed (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListCredentialInstancesResponse200
    """

    return sync_detailed(
        id=id,
        client=client,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        region=region,
        status=status,
        managed=managed,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListCredentialInstancesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    region: list[str] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    managed: bool | Unset = UNSET,
) -> Response[ErrorResponse | ListCredentialInstancesResponse200]:
    """Discover the instances of a credential's account

     Lists the instances the provider reports in the credential's account, whether SkyClust created them
    or not, each marked `managed` (with `vm_id` when you can see the VM) or unmanaged; an unmanaged one
    can be brought under management with `POST /vms/import`. `region` names the regions to read (the
    credential's region, or the regions SkyClust prices, when absent). A region the provider fails to
    answer for is listed in `failed_regions` and the others are answered all the same; when every region
    fails the answer is `PROVIDER_ERROR` with the provider's message. What the provider said is reused
    for 30 seconds, so paging through the list reads the provider once. Credentials belong to the user
    who created them; anyone else gets 404.

    Requires the `credential:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListCredentialInstancesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        region (list[str] | Unset):
        status (list[VmStatus] | Unset):
        managed (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListCredentialInstancesResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        limit=limit,
        offset=offset,
        sort=sort,
        start_date=start_date,
        end_date=end_date,
        region=region,
        status=status,
        managed=managed,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    offset: int | Unset = UNSET,
    sort: ListCredentialInstancesSort | Unset = UNSET,
    start_date: datetime.date | datetime.datetime | Unset = UNSET,
    end_date: datetime.date | datetime.datetime | Unset = UNSET,
    region: list[str] | Unset = UNSET,
    status: list[VmStatus] | Unset = UNSET,
    managed: bool | Unset = UNSET,
) -> ErrorResponse | ListCredentialInstancesResponse200 | None:
    """Discover the instances of a credential's account

     Lists the instances the provider reports in the credential's account, whether SkyClust created them
    or not, each marked `managed` (with `vm_id` when you can see the VM) or unmanaged; an unmanaged one
    can be brought under management with `POST /vms/import`. `region` names the regions to read (the
    credential's region, or the regions SkyClust prices, when absent). A region the provider fails to
    answer for is listed in `failed_regions` and the others are answered all the same; when every region
    fails the answer is `PROVIDER_ERROR` with the provider's message. What the provider said is reused
    for 30 seconds, so paging through the list reads the provider once. Credentials belong to the user
    who created them; anyone else gets 404.

    Requires the `credential:read` permission.

    Args:
        id (UUID):
        limit (int | Unset):  Default: 50.
        offset (int | Unset):
        sort (ListCredentialInstancesSort | Unset):
        start_date (datetime.date | datetime.datetime | Unset):
        end_date (datetime.date | datetime.datetime | Unset):
        region (list[str] | Unset):
        status (list[VmStatus] | Unset):
        managed (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListCredentialInstancesResponse200
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
            region=region,
            status=status,
            managed=managed,
        )
    ).parsed
