from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.delete_vm_response_202 import DeleteVmResponse202
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    release: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["release"] = release

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/vms/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DeleteVmResponse202 | ErrorResponse | None:
    if response.status_code == 202:
        response_202 = DeleteVmResponse202.from_dict(response.json())

        return response_202

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

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

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
) -> Response[DeleteVmResponse202 | ErrorResponse]:
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
    release: bool | Unset = UNSET,
) -> Response[DeleteVmResponse202 | ErrorResponse]:
    """Delete a VM

     Without `release`: answers 202 at once with the VM `terminating`; the provider terminates the
    instance in the background and `vm_status_changed` events follow. With `release=true`: SkyClust
    stops managing the VM and leaves its instance running at the provider, untagged; the answer is the
    VM `terminated` with `status_reason` saying it was released, and its costs end now. Releasing needs
    a VM whose instance exists and is not changing (`running` or `stopped`); otherwise, as for any
    action the VM's status does not allow, 409.

    Requires the `vm:manage` permission.

    Args:
        id (UUID):
        release (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteVmResponse202 | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        release=release,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    release: bool | Unset = UNSET,
) -> DeleteVmResponse202 | ErrorResponse | None:
    """Delete a VM

     Without `release`: answers 202 at once with the VM `terminating`; the provider terminates the
    instance in the background and `vm_status_changed` events follow. With `release=true`: SkyClust
    stops managing the VM and leaves its instance running at the provider, untagged; the answer is the
    VM `terminated` with `status_reason` saying it was released, and its costs end now. Releasing needs
    a VM whose instance exists and is not changing (`running` or `stopped`); otherwise, as for any
    action the VM's status does not allow, 409.

    Requires the `vm:manage` permission.

    Args:
        id (UUID):
        release (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteVmResponse202 | ErrorResponse
    """

    return sync_detailed(
        id=id,
        client=client,
        release=release,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    release: bool | Unset = UNSET,
) -> Response[DeleteVmResponse202 | ErrorResponse]:
    """Delete a VM

     Without `release`: answers 202 at once with the VM `terminating`; the provider terminates the
    instance in the background and `vm_status_changed` events follow. With `release=true`: SkyClust
    stops managing the VM and leaves its instance running at the provider, untagged; the answer is the
    VM `terminated` with `status_reason` saying it was released, and its costs end now. Releasing needs
    a VM whose instance exists and is not changing (`running` or `stopped`); otherwise, as for any
    action the VM's status does not allow, 409.

    Requires the `vm:manage` permission.

    Args:
        id (UUID):
        release (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeleteVmResponse202 | ErrorResponse]
    """

    kwargs = _get_kwargs(
        id=id,
        release=release,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    release: bool | Unset = UNSET,
) -> DeleteVmResponse202 | ErrorResponse | None:
    """Delete a VM

     Without `release`: answers 202 at once with the VM `terminating`; the provider terminates the
    instance in the background and `vm_status_changed` events follow. With `release=true`: SkyClust
    stops managing the VM and leaves its instance running at the provider, untagged; the answer is the
    VM `terminated` with `status_reason` saying it was released, and its costs end now. Releasing needs
    a VM whose instance exists and is not changing (`running` or `stopped`); otherwise, as for any
    action the VM's status does not allow, 409.

    Requires the `vm:manage` permission.

    Args:
        id (UUID):
        release (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeleteVmResponse202 | ErrorResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            release=release,
        )
    ).parsed
