from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.update_credential_request import UpdateCredentialRequest
from ...models.update_credential_response_200 import UpdateCredentialResponse200
from ...types import Response


def _get_kwargs(
    id: UUID,
    *,
    body: UpdateCredentialRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/credentials/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UpdateCredentialResponse200 | None:
    if response.status_code == 200:
        response_200 = UpdateCredentialResponse200.from_dict(response.json())

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
) -> Response[ErrorResponse | UpdateCredentialResponse200]:
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
    body: UpdateCredentialRequest,
) -> Response[ErrorResponse | UpdateCredentialResponse200]:
    """Change a credential

     New `data` replaces the stored fields and is re-encrypted with a fresh nonce under the current key.
    Credentials belong to their creator; anyone else gets 404.

    Requires the `credential:manage` permission.

    Args:
        id (UUID):
        body (UpdateCredentialRequest): `PUT /credentials/{id}` body: absent fields keep their
            value; `data` replaces all fields.
            `Debug` names the fields of `data`, never their values. Example: {'data': {'access_key':
            'AKIAIOSFODNN7EXAMPLE', 'region': 'us-east-1', 'secret_key':
            'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}, 'name': 'aws-prod-rotated'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UpdateCredentialResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateCredentialRequest,
) -> ErrorResponse | UpdateCredentialResponse200 | None:
    """Change a credential

     New `data` replaces the stored fields and is re-encrypted with a fresh nonce under the current key.
    Credentials belong to their creator; anyone else gets 404.

    Requires the `credential:manage` permission.

    Args:
        id (UUID):
        body (UpdateCredentialRequest): `PUT /credentials/{id}` body: absent fields keep their
            value; `data` replaces all fields.
            `Debug` names the fields of `data`, never their values. Example: {'data': {'access_key':
            'AKIAIOSFODNN7EXAMPLE', 'region': 'us-east-1', 'secret_key':
            'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}, 'name': 'aws-prod-rotated'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UpdateCredentialResponse200
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateCredentialRequest,
) -> Response[ErrorResponse | UpdateCredentialResponse200]:
    """Change a credential

     New `data` replaces the stored fields and is re-encrypted with a fresh nonce under the current key.
    Credentials belong to their creator; anyone else gets 404.

    Requires the `credential:manage` permission.

    Args:
        id (UUID):
        body (UpdateCredentialRequest): `PUT /credentials/{id}` body: absent fields keep their
            value; `data` replaces all fields.
            `Debug` names the fields of `data`, never their values. Example: {'data': {'access_key':
            'AKIAIOSFODNN7EXAMPLE', 'region': 'us-east-1', 'secret_key':
            'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}, 'name': 'aws-prod-rotated'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UpdateCredentialResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: UpdateCredentialRequest,
) -> ErrorResponse | UpdateCredentialResponse200 | None:
    """Change a credential

     New `data` replaces the stored fields and is re-encrypted with a fresh nonce under the current key.
    Credentials belong to their creator; anyone else gets 404.

    Requires the `credential:manage` permission.

    Args:
        id (UUID):
        body (UpdateCredentialRequest): `PUT /credentials/{id}` body: absent fields keep their
            value; `data` replaces all fields.
            `Debug` names the fields of `data`, never their values. Example: {'data': {'access_key':
            'AKIAIOSFODNN7EXAMPLE', 'region': 'us-east-1', 'secret_key':
            'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}, 'name': 'aws-prod-rotated'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UpdateCredentialResponse200
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
