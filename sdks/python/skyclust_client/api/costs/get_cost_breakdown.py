from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cost_period import CostPeriod
from ...models.cost_service import CostService
from ...models.error_response import ErrorResponse
from ...models.get_cost_breakdown_response_200 import GetCostBreakdownResponse200
from ...models.provider import Provider
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    provider: Provider,
    service: CostService | Unset = UNSET,
    period: CostPeriod | Unset = UNSET,
    workspace_id: UUID | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_provider = provider.value
    params["provider"] = json_provider

    json_service: str | Unset = UNSET
    if not isinstance(service, Unset):
        json_service = service.value

    params["service"] = json_service

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    json_workspace_id: str | Unset = UNSET
    if not isinstance(workspace_id, Unset):
        json_workspace_id = str(workspace_id)
    params["workspace_id"] = json_workspace_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/cost-analysis/breakdown",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | GetCostBreakdownResponse200 | None:
    if response.status_code == 200:
        response_200 = GetCostBreakdownResponse200.from_dict(response.json())

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
) -> Response[ErrorResponse | GetCostBreakdownResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    provider: Provider,
    service: CostService | Unset = UNSET,
    period: CostPeriod | Unset = UNSET,
    workspace_id: UUID | Unset = UNSET,
) -> Response[ErrorResponse | GetCostBreakdownResponse200]:
    """One provider's cost per service

     Figures are estimates (`source: "estimate"`): each VM's running time × the on-demand hourly price of
    its instance type in its region, plus its root volume while the instance exists, priced from the
    catalog of `GET /providers` (its date is `catalog_date`). They cover the VMs of the workspaces you
    can see (admins: all), up to now, in whole UTC days. VMs whose price the catalog does not know are
    listed in `unpriced_vms`, never counted as free.

    Requires the `cost:read` permission.

    Args:
        provider (Provider): A cloud provider.
        service (CostService | Unset): A service VMs are billed under: each provider has a compute
            and a block storage one.
        period (CostPeriod | Unset): How far back a cost analysis looks: the last 1, 7, 30 or 90
            UTC days, today included.
        workspace_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetCostBreakdownResponse200]
    """

    kwargs = _get_kwargs(
        provider=provider,
        service=service,
        period=period,
        workspace_id=workspace_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    provider: Provider,
    service: CostService | Unset = UNSET,
    period: CostPeriod | Unset = UNSET,
    workspace_id: UUID | Unset = UNSET,
) -> ErrorResponse | GetCostBreakdownResponse200 | None:
    """One provider's cost per service

     Figures are estimates (`source: "estimate"`): each VM's running time × the on-demand hourly price of
    its instance type in its region, plus its root volume while the instance exists, priced from the
    catalog of `GET /providers` (its date is `catalog_date`). They cover the VMs of the workspaces you
    can see (admins: all), up to now, in whole UTC days. VMs whose price the catalog does not know are
    listed in `unpriced_vms`, never counted as free.

    Requires the `cost:read` permission.

    Args:
        provider (Provider): A cloud provider.
        service (CostService | Unset): A service VMs are billed under: each provider has a compute
            and a block storage one.
        period (CostPeriod | Unset): How far back a cost analysis looks: the last 1, 7, 30 or 90
            UTC days, today included.
        workspace_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetCostBreakdownResponse200
    """

    return sync_detailed(
        client=client,
        provider=provider,
        service=service,
        period=period,
        workspace_id=workspace_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    provider: Provider,
    service: CostService | Unset = UNSET,
    period: CostPeriod | Unset = UNSET,
    workspace_id: UUID | Unset = UNSET,
) -> Response[ErrorResponse | GetCostBreakdownResponse200]:
    """One provider's cost per service

     Figures are estimates (`source: "estimate"`): each VM's running time × the on-demand hourly price of
    its instance type in its region, plus its root volume while the instance exists, priced from the
    catalog of `GET /providers` (its date is `catalog_date`). They cover the VMs of the workspaces you
    can see (admins: all), up to now, in whole UTC days. VMs whose price the catalog does not know are
    listed in `unpriced_vms`, never counted as free.

    Requires the `cost:read` permission.

    Args:
        provider (Provider): A cloud provider.
        service (CostService | Unset): A service VMs are billed under: each provider has a compute
            and a block storage one.
        period (CostPeriod | Unset): How far back a cost analysis looks: the last 1, 7, 30 or 90
            UTC days, today included.
        workspace_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | GetCostBreakdownResponse200]
    """

    kwargs = _get_kwargs(
        provider=provider,
        service=service,
        period=period,
        workspace_id=workspace_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    provider: Provider,
    service: CostService | Unset = UNSET,
    period: CostPeriod | Unset = UNSET,
    workspace_id: UUID | Unset = UNSET,
) -> ErrorResponse | GetCostBreakdownResponse200 | None:
    """One provider's cost per service

     Figures are estimates (`source: "estimate"`): each VM's running time × the on-demand hourly price of
    its instance type in its region, plus its root volume while the instance exists, priced from the
    catalog of `GET /providers` (its date is `catalog_date`). They cover the VMs of the workspaces you
    can see (admins: all), up to now, in whole UTC days. VMs whose price the catalog does not know are
    listed in `unpriced_vms`, never counted as free.

    Requires the `cost:read` permission.

    Args:
        provider (Provider): A cloud provider.
        service (CostService | Unset): A service VMs are billed under: each provider has a compute
            and a block storage one.
        period (CostPeriod | Unset): How far back a cost analysis looks: the last 1, 7, 30 or 90
            UTC days, today included.
        workspace_id (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | GetCostBreakdownResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            provider=provider,
            service=service,
            period=period,
            workspace_id=workspace_id,
        )
    ).parsed
