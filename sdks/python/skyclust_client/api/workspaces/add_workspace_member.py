from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_member_request import AddMemberRequest
from ...models.add_workspace_member_response_201 import AddWorkspaceMemberResponse201
from ...models.error_response import ErrorResponse
from ...types import Response


def _get_kwargs(
    id: UUID,
    *,
    body: AddMemberRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/workspaces/{id}/members".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AddWorkspaceMemberResponse201 | ErrorResponse | None:
    if response.status_code == 201:
        response_201 = AddWorkspaceMemberResponse201.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = ErrorResponse.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AddWorkspaceMemberResponse201 | ErrorResponse]:
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
    body: AddMemberRequest,
) -> Response[AddWorkspaceMemberResponse201 | ErrorResponse]:
    """Add a member

     For the owner, workspace admins and system admins. The new member is notified. An unknown user is a
    404; the owner or an existing member, a 409.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (AddMemberRequest): `POST /workspaces/{id}/members` body: the user to add, named by
            exactly one of `user_id`,
            `email` or `username`. Example: {'email': 'grace@example.com', 'role': 'member'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AddWorkspaceMemberResponse201 | ErrorResponse]
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
    body: AddMemberRequest,
) -> AddWorkspaceMemberResponse201 | ErrorResponse | None:
    """Add a member

     For the owner, workspace admins and system admins. The new member is notified. An unknown user is a
    404; the owner or an existing member, a 409.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (AddMemberRequest): `POST /workspaces/{id}/members` body: the user to add, named by
            exactly one of `user_id`,
            `email` or `username`. Example: {'email': 'grace@example.com', 'role': 'member'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AddWorkspaceMemberResponse201 | ErrorResponse
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
    body: AddMemberRequest,
) -> Response[AddWorkspaceMemberResponse201 | ErrorResponse]:
    """Add a member

     For the owner, workspace admins and system admins. The new member is notified. An unknown user is a
    404; the owner or an existing member, a 409.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (AddMemberRequest): `POST /workspaces/{id}/members` body: the user to add, named by
            exactly one of `user_id`,
            `email` or `username`. Example: {'email': 'grace@example.com', 'role': 'member'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AddWorkspaceMemberResponse201 | ErrorResponse]
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
    body: AddMemberRequest,
) -> AddWorkspaceMemberResponse201 | ErrorResponse | None:
    """Add a member

     For the owner, workspace admins and system admins. The new member is notified. An unknown user is a
    404; the owner or an existing member, a 409.

    Requires the `workspace:manage` permission.

    Args:
        id (UUID):
        body (AddMemberRequest): `POST /workspaces/{id}/members` body: the user to add, named by
            exactly one of `user_id`,
            `email` or `username`. Example: {'email': 'grace@example.com', 'role': 'member'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AddWorkspaceMemberResponse201 | ErrorResponse
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
