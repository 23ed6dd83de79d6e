"""Workspaces and their members."""

from __future__ import annotations

from typing import Any

from skyclust._core import (
    Body,
    Call,
    DateLike,
    Id,
    ListCall,
    OneOrMany,
    body_of,
    call,
    enum_of,
    list_call,
    many,
    returns,
    returns_nothing,
    uuid_of,
)
from skyclust_client.api.workspaces import add_workspace_member as _add_workspace_member
from skyclust_client.api.workspaces import create_workspace as _create_workspace
from skyclust_client.api.workspaces import delete_workspace as _delete_workspace
from skyclust_client.api.workspaces import get_workspace as _get_workspace
from skyclust_client.api.workspaces import list_workspace_members as _list_workspace_members
from skyclust_client.api.workspaces import list_workspaces as _list_workspaces
from skyclust_client.api.workspaces import remove_workspace_member as _remove_workspace_member
from skyclust_client.api.workspaces import update_workspace as _update_workspace
from skyclust_client.models import (
    AddMemberRequest,
    CreateWorkspaceRequest,
    ListWorkspaceMembersSort,
    ListWorkspacesSort,
    MemberList,
    UpdateWorkspaceRequest,
    Workspace,
    WorkspaceList,
    WorkspaceMember,
)

# ---- workspaces ----


def list_workspaces(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListWorkspacesSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    is_active: bool | None = None,
    owner_id: OneOrMany[Id] | None = None,
) -> ListCall[WorkspaceList, Workspace]:
    """``GET /workspaces``: the workspaces you own or belong to (``limit`` default 10)."""
    return list_call(
        _list_workspaces,
        WorkspaceList,
        lambda page: page.workspaces,
        limit=limit,
        offset=offset,
        sort=enum_of(ListWorkspacesSort, sort),
        start_date=start_date,
        end_date=end_date,
        is_active=is_active,
        owner_id=many(uuid_of, owner_id),
    )


def create_workspace(body: CreateWorkspaceRequest | Body = None, /, **fields: Any) -> Call[Workspace]:
    """``POST /workspaces``: ``name``, optional ``description``."""
    return call(_create_workspace, returns(Workspace), body=body_of(CreateWorkspaceRequest, body, fields))


def get_workspace(workspace_id: Id) -> Call[Workspace]:
    """``GET /workspaces/{id}``."""
    return call(_get_workspace, returns(Workspace), id=uuid_of(workspace_id))


def update_workspace(workspace_id: Id, body: UpdateWorkspaceRequest | Body = None, /, **fields: Any) -> Call[Workspace]:
    """``PUT /workspaces/{id}``: any of ``name``, ``description``, ``is_active``."""
    body = body_of(UpdateWorkspaceRequest, body, fields)
    return call(_update_workspace, returns(Workspace), id=uuid_of(workspace_id), body=body)


def delete_workspace(workspace_id: Id) -> Call[None]:
    """``DELETE /workspaces/{id}``."""
    return call(_delete_workspace, returns_nothing, id=uuid_of(workspace_id))


def list_workspace_members(
    workspace_id: Id,
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListWorkspaceMembersSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
) -> ListCall[MemberList, WorkspaceMember]:
    """``GET /workspaces/{id}/members``."""
    return list_call(
        _list_workspace_members,
        MemberList,
        lambda page: page.members,
        id=uuid_of(workspace_id),
        limit=limit,
        offset=offset,
        sort=enum_of(ListWorkspaceMembersSort, sort),
        start_date=start_date,
        end_date=end_date,
    )


def add_workspace_member(
    workspace_id: Id, body: AddMemberRequest | Body = None, /, **fields: Any
) -> Call[WorkspaceMember]:
    """``POST /workspaces/{id}/members``: exactly one of ``user_id``, ``email`` or ``username``, and
    ``role`` (``admin|member|viewer``, default ``member``)."""
    body = body_of(AddMemberRequest, body, fields)
    return call(_add_workspace_member, returns(WorkspaceMember), id=uuid_of(workspace_id), body=body)


def remove_workspace_member(workspace_id: Id, user_id: Id) -> Call[None]:
    """``DELETE /workspaces/{id}/members/{user_id}``."""
    return call(_remove_workspace_member, returns_nothing, id=uuid_of(workspace_id), user_id=uuid_of(user_id))
