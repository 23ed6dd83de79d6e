from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_vm_request import CreateVmRequest
from ...models.create_vm_response_202 import CreateVmResponse202
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CreateVmRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/vms",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateVmResponse202 | ErrorResponse | None:
    if response.status_code == 202:
        response_202 = CreateVmResponse202.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

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
) -> Response[CreateVmResponse202 | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateVmRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[CreateVmResponse202 | ErrorResponse]:
    """Create a VM

     Stores the VM as `pending` and queues its creation (202). The workspace (your personal workspace
    when `workspace_id` is absent) must be one you may work in and active (409 when inactive); the
    provider must be enabled and offer the region and instance type; the credential (yours, for that
    provider) defaults to your newest active one, and drives VMs only in workspaces you own or belong to
    (403 otherwise, system admins included). All of this is checked before anything reaches the
    provider. With an `Idempotency-Key` header, repeating the request (after a lost response, say)
    answers the first result instead of creating a second VM.

    Requires the `vm:manage` permission.

    Args:
        idempotency_key (str | Unset):
        body (CreateVmRequest): `POST /vms` body. Example: {'image_id': 'ami-12345678',
            'instance_type': 't3.micro', 'key_pair': 'my-key-pair', 'name': 'web-1', 'provider':
            'sandbox', 'region': 'us-east-1', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateVmResponse202 | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CreateVmRequest,
    idempotency_key: str | Unset = UNSET,
) -> CreateVmResponse202 | ErrorResponse | None:
    """Create a VM

     Stores the VM as `pending` and queues its creation (202). The workspace (your personal workspace
    when `workspace_id` is absent) must be one you may work in and active (409 when inactive); the
    provider must be enabled and offer the region and instance type; the credential (yours, for that
    provider) defaults to your newest active one, and drives VMs only in workspaces you own or belong to
    (403 otherwise, system admins included). All of this is checked before anything reaches the
    provider. With an `Idempotency-Key` header, repeating the request (after a lost response, say)
    answers the first result instead of creating a second VM.

    Requires the `vm:manage` permission.

    Args:
        idempotency_key (str | Unset):
        body (CreateVmRequest): `POST /vms` body. Example: {'image_id': 'ami-12345678',
            'instance_type': 't3.micro', 'key_pair': 'my-key-pair', 'name': 'web-1', 'provider':
            'sandbox', 'region': 'us-east-1', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateVmResponse202 | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateVmRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[CreateVmResponse202 | ErrorResponse]:
    """Create a VM

     Stores the VM as `pending` and queues its creation (202). The workspace (your personal workspace
    when `workspace_id` is absent) must be one you may work in and active (409 when inactive); the
    provider must be enabled and offer the region and instance type; the credential (yours, for that
    provider) defaults to your newest active one, and drives VMs only in workspaces you own or belong to
    (403 otherwise, system admins included). All of this is checked before anything reaches the
    provider. With an `Idempotency-Key` header, repeating the request (after a lost response, say)
    answers the first result instead of creating a second VM.

    Requires the `vm:manage` permission.

    Args:
        idempotency_key (str | Unset):
        body (CreateVmRequest): `POST /vms` body. Example: {'image_id': 'ami-12345678',
            'instance_type': 't3.micro', 'key_pair': 'my-key-pair', 'name': 'web-1', 'provider':
            'sandbox', 'region': 'us-east-1', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateVmResponse202 | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CreateVmRequest,
    idempotency_key: str | Unset = UNSET,
) -> CreateVmResponse202 | ErrorResponse | None:
    """Create a VM

     Stores the VM as `pending` and queues its creation (202). The workspace (your personal workspace
    when `workspace_id` is absent) must be one you may work in and active (409 when inactive); the
    provider must be enabled and offer the region and instance type; the credential (yours, for that
    provider) defaults to your newest active one, and drives VMs only in workspaces you own or belong to
    (403 otherwise, system admins included). All of this is checked before anything reaches the
    provider. With an `Idempotency-Key` header, repeating the request (after a lost response, say)
    answers the first result instead of creating a second VM.

    Requires the `vm:manage` permission.

    Args:
        idempotency_key (str | Unset):
        body (CreateVmRequest): `POST /vms` body. Example: {'image_id': 'ami-12345678',
            'instance_type': 't3.micro', 'key_pair': 'my-key-pair', 'name': 'web-1', 'provider':
            'sandbox', 'region': 'us-east-1', 'workspace_id': '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateVmResponse202 | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
