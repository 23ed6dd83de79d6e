from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.update_workspace_request import UpdateWorkspaceRequest
from ...models.update_workspace_response_200 import UpdateWorkspaceResponse200
from ...types import Response


def _get_kwargs(
    id: UUID,
    *,
    body: UpdateWorkspaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/workspaces/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UpdateWorkspaceResponse200 | None:
    if response.status_code == 200:
        response_200 = UpdateWorkspaceResponse200.from_dict(response.json())

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
) -> Response[ErrorResponse | UpdateWorkspaceResponse200]:
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
    body: UpdateWorkspaceRequest,
) -> Response[ErrorResponse | UpdateWorkspaceResponse200]:
    """Change a workspace

     For the owner, workspace admins and system admins (others who can see it: 403). Concurrent changes
    are applied one after the other; the last one wins.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (UpdateWorkspaceRequest): `PUT /workspaces/{id}` body: absent fields keep their
            value. Example: {'description': 'Moved to Frankfurt', 'name': 'production-eu'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UpdateWorkspaceResponse200]
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
    body: UpdateWorkspaceRequest,
) -> ErrorResponse | UpdateWorkspaceResponse200 | None:
    """Change a workspace

     For the owner, workspace admins and system admins (others who can see it: 403). Concurrent changes
    are applied one after the other; the last one wins.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (UpdateWorkspaceRequest): `PUT /workspaces/{id}` body: absent fields keep their
            value. Example: {'description': 'Moved to Frankfurt', 'name': 'production-eu'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UpdateWorkspaceResponse200
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
    body: UpdateWorkspaceRequest,
) -> Response[ErrorResponse | UpdateWorkspaceResponse200]:
    """Change a workspace

     For the owner, workspace admins and system admins (others who can see it: 403). Concurrent changes
    are applied one after the other; the last one wins.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (UpdateWorkspaceRequest): `PUT /workspaces/{id}` body: absent fields keep their
            value. Example: {'description': 'Moved to Frankfurt', 'name': 'production-eu'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UpdateWorkspaceResponse200]
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
    body: UpdateWorkspaceRequest,
) -> ErrorResponse | UpdateWorkspaceResponse200 | None:
    """Change a workspace

     For the owner, workspace admins and system admins (others who can see it: 403). Concurrent changes
    are applied one after the other; the last one wins.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (UpdateWorkspaceRequest): `PUT /workspaces/{id}` body: absent fields keep their
            value. Example: {'description': 'Moved to Frankfurt', 'name': 'production-eu'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UpdateWorkspaceResponse200
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
