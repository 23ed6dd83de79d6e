from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.aws_credential_request import AwsCredentialRequest
from ...models.azure_credential_request import AzureCredentialRequest
from ...models.create_credential_response_201 import CreateCredentialResponse201
from ...models.error_response import ErrorResponse
from ...models.gcp_credential_request import GcpCredentialRequest
from ...models.sandbox_credential_request import SandboxCredentialRequest
from ...types import Response


def _get_kwargs(
    *,
    body: AwsCredentialRequest
    | AzureCredentialRequest
    | GcpCredentialRequest
    | SandboxCredentialRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/credentials",
    }

    if (
        isinstance(body, AwsCredentialRequest)
        or isinstance(body, GcpCredentialRequest)
        or isinstance(body, AzureCredentialRequest)
    ):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreateCredentialResponse201 | ErrorResponse | None:
    if response.status_code == 201:
        response_201 = CreateCredentialResponse201.from_dict(response.json())

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
) -> Response[CreateCredentialResponse201 | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AwsCredentialRequest
    | AzureCredentialRequest
    | GcpCredentialRequest
    | SandboxCredentialRequest,
) -> Response[CreateCredentialResponse201 | ErrorResponse]:
    """Store a credential

     `data` is checked against the provider's fields and stored encrypted (AES-256-GCM); answers only
    ever carry a masked hint.

    Requires the `credential:manage` permission.

    Args:
        body (AwsCredentialRequest | AzureCredentialRequest | GcpCredentialRequest |
            SandboxCredentialRequest): A credential for one provider; `data` holds that provider's
            fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateCredentialResponse201 | ErrorResponse]
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
    body: AwsCredentialRequest
    | AzureCredentialRequest
    | GcpCredentialRequest
    | SandboxCredentialRequest,
) -> CreateCredentialResponse201 | ErrorResponse | None:
    """Store a credential

     `data` is checked against the provider's fields and stored encrypted (AES-256-GCM); answers only
    ever carry a masked hint.

    Requires the `credential:manage` permission.

    Args:
        body (AwsCredentialRequest | AzureCredentialRequest | GcpCredentialRequest |
            SandboxCredentialRequest): A credential for one provider; `data` holds that provider's
            fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateCredentialResponse201 | ErrorResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AwsCredentialRequest
    | AzureCredentialRequest
    | GcpCredentialRequest
    | SandboxCredentialRequest,
) -> Response[CreateCredentialResponse201 | ErrorResponse]:
    """Store a credential

     `data` is checked against the provider's fields and stored encrypted (AES-256-GCM); answers only
    ever carry a masked hint.

    Requires the `credential:manage` permission.

    Args:
        body (AwsCredentialRequest | AzureCredentialRequest | GcpCredentialRequest |
            SandboxCredentialRequest): A credential for one provider; `data` holds that provider's
            fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreateCredentialResponse201 | ErrorResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AwsCredentialRequest
    | AzureCredentialRequest
    | GcpCredentialRequest
    | SandboxCredentialRequest,
) -> CreateCredentialResponse201 | ErrorResponse | None:
    """Store a credential

     `data` is checked against the provider's fields and stored encrypted (AES-256-GCM); answers only
    ever carry a masked hint.

    Requires the `credential:manage` permission.

    Args:
        body (AwsCredentialRequest | AzureCredentialRequest | GcpCredentialRequest |
            SandboxCredentialRequest): A credential for one provider; `data` holds that provider's
            fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreateCredentialResponse201 | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
