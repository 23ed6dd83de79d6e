from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.import_vm_request import ImportVmRequest
from ...models.import_vm_response_201 import ImportVmResponse201
from ...types import Response


def _get_kwargs(
    *,
    body: ImportVmRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/vms/import",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ImportVmResponse201 | None:
    if response.status_code == 201:
        response_201 = ImportVmResponse201.from_dict(response.json())

        return response_201

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
) -> Response[ErrorResponse | ImportVmResponse201]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportVmRequest,
) -> Response[ErrorResponse | ImportVmResponse201]:
    """Adopt an instance that runs at the provider

     Brings an existing instance (see `GET /credentials/{id}/instances`) under management as a VM of the
    workspace, which must be one you may work in and active; the credential must be your active one for
    the instance's account. The VM takes its status, type, zone and addresses from the provider and its
    `created_at` from the launch time when the provider reports one; its history and its costs start
    now. The instance is tagged `skyclust-vm-id` at the provider. An instance that a VM already manages,
    or that is terminated, is a 409; one the provider does not know is a 404.

    Requires the `vm:manage` permission.

    Args:
        body (ImportVmRequest): `POST /vms/import` body. Example: {'credential_id':
            '9b2e4c1a-6d3f-4e8a-b7c5-1f2a3b4c5d6e', 'name': 'legacy-db', 'provider_instance_id':
            'i-0abc123def4567890', 'region': 'us-east-1', 'workspace_id':
            '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImportVmResponse201]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ImportVmRequest,
) -> ErrorResponse | ImportVmResponse201 | None:
    """Adopt an instance that runs at the provider

     Brings an existing instance (see `GET /credentials/{id}/instances`) under management as a VM of the
    workspace, which must be one you may work in and active; the credential must be your active one for
    the instance's account. The VM takes its status, type, zone and addresses from the provider and its
    `created_at` from the launch time when the provider reports one; its history and its costs start
    now. The instance is tagged `skyclust-vm-id` at the provider. An instance that a VM already manages,
    or that is terminated, is a 409; one the provider does not know is a 404.

    Requires the `vm:manage` permission.

    Args:
        body (ImportVmRequest): `POST /vms/import` body. Example: {'credential_id':
            '9b2e4c1a-6d3f-4e8a-b7c5-1f2a3b4c5d6e', 'name': 'legacy-db', 'provider_instance_id':
            'i-0abc123def4567890', 'region': 'us-east-1', 'workspace_id':
            '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImportVmResponse201
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ImportVmRequest,
) -> Response[ErrorResponse | ImportVmResponse201]:
    """Adopt an instance that runs at the provider

     Brings an existing instance (see `GET /credentials/{id}/instances`) under management as a VM of the
    workspace, which must be one you may work in and active; the credential must be your active one for
    the instance's account. The VM takes its status, type, zone and addresses from the provider and its
    `created_at` from the launch time when the provider reports one; its history and its costs start
    now. The instance is tagged `skyclust-vm-id` at the provider. An instance that a VM already manages,
    or that is terminated, is a 409; one the provider does not know is a 404.

    Requires the `vm:manage` permission.

    Args:
        body (ImportVmRequest): `POST /vms/import` body. Example: {'credential_id':
            '9b2e4c1a-6d3f-4e8a-b7c5-1f2a3b4c5d6e', 'name': 'legacy-db', 'provider_instance_id':
            'i-0abc123def4567890', 'region': 'us-east-1', 'workspace_id':
            '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ImportVmResponse201]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ImportVmRequest,
) -> ErrorResponse | ImportVmResponse201 | None:
    """Adopt an instance that runs at the provider

     Brings an existing instance (see `GET /credentials/{id}/instances`) under management as a VM of the
    workspace, which must be one you may work in and active; the credential must be your active one for
    the instance's account. The VM takes its status, type, zone and addresses from the provider and its
    `created_at` from the launch time when the provider reports one; its history and its costs start
    now. The instance is tagged `skyclust-vm-id` at the provider. An instance that a VM already manages,
    or that is terminated, is a 409; one the provider does not know is a 404.

    Requires the `vm:manage` permission.

    Args:
        body (ImportVmRequest): `POST /vms/import` body. Example: {'credential_id':
            '9b2e4c1a-6d3f-4e8a-b7c5-1f2a3b4c5d6e', 'name': 'legacy-db', 'provider_instance_id':
            'i-0abc123def4567890', 'region': 'us-east-1', 'workspace_id':
            '3f6c1c9e-8f2a-4a59-9a4e-5c1d2b3a4f5e'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ImportVmResponse201
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
