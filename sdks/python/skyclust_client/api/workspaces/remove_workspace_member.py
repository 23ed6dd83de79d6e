from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.remove_workspace_member_response_200 import (
    RemoveWorkspaceMemberResponse200,
)
from ...types import Response


def _get_kwargs(
    id: UUID,
    user_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/workspaces/{id}/members/{user_id}".format(
            id=quote(str(id), safe=""),
            user_id=quote(str(user_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | RemoveWorkspaceMemberResponse200 | None:
    if response.status_code == 200:
        response_200 = RemoveWorkspaceMemberResponse200.from_dict(response.json())

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
) -> Response[ErrorResponse | RemoveWorkspaceMemberResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResponse | RemoveWorkspaceMemberResponse200]:
    """Remove a member

     For the owner, workspace admins and system admins, with `workspace:manage`; any member may remove
    themselves (leave), whatever their role. The removed member is notified, unless they left. Refused
    (409) while the member's credentials serve VMs of the workspace that are not terminated.

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        user_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RemoveWorkspaceMemberResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        user_id=user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorResponse | RemoveWorkspaceMemberResponse200 | None:
    """Remove a member

     For the owner, workspace admins and system admins, with `workspace:manage`; any member may remove
    themselves (leave), whatever their role. The removed member is notified, unless they left. Refused
    (409) while the member's credentials serve VMs of the workspace that are not terminated.

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        user_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RemoveWorkspaceMemberResponse200
    """

    return sync_detailed(
        id=id,
        user_id=user_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorResponse | RemoveWorkspaceMemberResponse200]:
    """Remove a member

     For the owner, workspace admins and system admins, with `workspace:manage`; any member may remove
    themselves (leave), whatever their role. The removed member is notified, unless they left. Refused
    (409) while the member's credentials serve VMs of the workspace that are not terminated.

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        user_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | RemoveWorkspaceMemberResponse200]
    """

    kwargs = _get_kwargs(
        id=id,
        user_id=user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    user_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ErrorResponse | RemoveWorkspaceMemberResponse200 | None:
    """Remove a member

     For the owner, workspace admins and system admins, with `workspace:manage`; any member may remove
    themselves (leave), whatever their role. The removed member is notified, unless they left. Refused
    (409) while the member's credentials serve VMs of the workspace that are not terminated.

    Requires the `workspace:read` permission.

    Args:
        id (UUID):
        user_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | RemoveWorkspaceMemberResponse200
    """

    return (
        await asyncio_detailed(
            id=id,
            user_id=user_id,
            client=client,
        )
    ).parsed
