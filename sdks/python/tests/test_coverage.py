"""Every operation of openapi.json has a method on both clients: adding an operation to the
contract without one fails here, as does a table entry for an operation that no longer exists."""

from __future__ import annotations

import inspect
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from skyclust import AsyncSkyClustClient, SkyClustClient
from skyclust import _operations as operations

CONTRACT = Path(__file__).resolve().parents[3] / "openapi.json"

# operationId → the facade method that calls it (on SkyClustClient and AsyncSkyClustClient alike).
METHODS = {
    "register": "auth.register",
    "login": "auth.login",
    "logout": "auth.logout",
    "get_current_user": "auth.me",
    "get_health": "health.get",
    "get_db_health": "health.db",
    "get_redis_health": "health.redis",
    "list_api_keys": "api_keys.list",
    "create_api_key": "api_keys.create",
    "delete_api_key": "api_keys.delete",
    "list_users": "users.list",
    "create_user": "users.create",
    "get_user": "users.get",
    "update_user": "users.update",
    "delete_user": "users.delete",
    "list_audit_logs": "audit_logs.list",
    "list_workspaces": "workspaces.list",
    "create_workspace": "workspaces.create",
    "get_workspace": "workspaces.get",
    "update_workspace": "workspaces.update",
    "delete_workspace": "workspaces.delete",
    "list_workspace_members": "workspaces.members",
    "add_workspace_member": "workspaces.add_member",
    "remove_workspace_member": "workspaces.remove_member",
    "list_credentials": "credentials.list",
    "create_credential": "credentials.create",
    "get_credential": "credentials.get",
    "update_credential": "credentials.update",
    "delete_credential": "credentials.delete",
    "list_credential_instances": "credentials.instances",
    "list_notifications": "notifications.list",
    "mark_notification_read": "notifications.mark_read",
    "mark_all_notifications_read": "notifications.mark_all_read",
    "list_vms": "vms.list",
    "create_vm": "vms.create",
    "get_vm": "vms.get",
    "delete_vm": "vms.delete",
    "import_vm": "vms.import_",
    "start_vm": "vms.start",
    "stop_vm": "vms.stop",
    "reboot_vm": "vms.reboot",
    "get_cost_analysis": "cost_analysis.get",
    "get_cost_breakdown": "cost_analysis.breakdown",
    "list_providers": "providers.list",
}

# Paginated list operations → the facade method that walks all their pages.
ITERATORS = {
    "list_api_keys": "api_keys.iterate",
    "list_users": "users.iterate",
    "list_audit_logs": "audit_logs.iterate",
    "list_workspaces": "workspaces.iterate",
    "list_workspace_members": "workspaces.iterate_members",
    "list_credentials": "credentials.iterate",
    "list_credential_instances": "credentials.iterate_instances",
    "list_notifications": "notifications.iterate",
    "list_vms": "vms.iterate",
}


def contract_operations() -> dict[str, dict[str, Any]]:
    document = json.loads(CONTRACT.read_text())
    return {
        operation["operationId"]: operation
        for methods in document["paths"].values()
        for operation in methods.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def resolve(client: object, dotted: str) -> Any:
    resource, method = dotted.split(".")
    return getattr(getattr(client, resource), method)


def test_every_operation_has_a_method_and_every_method_an_operation() -> None:
    in_contract = set(contract_operations())
    assert sorted(in_contract - set(METHODS)) == [], "operations of openapi.json without a facade method"
    assert sorted(set(METHODS) - in_contract) == [], "facade methods for operations openapi.json no longer has"


def test_every_paginated_list_can_be_iterated() -> None:
    paginated = {
        operation_id
        for operation_id, operation in contract_operations().items()
        if any(parameter["name"] == "offset" for parameter in operation.get("parameters", []))
    }
    assert set(ITERATORS) == paginated


@pytest.mark.parametrize("client_class", [SkyClustClient, AsyncSkyClustClient])
def test_each_method_runs_its_operation_on_both_clients(client_class: type[Any]) -> None:
    client = client_class(base_url="http://127.0.0.1:9/api/v1")
    is_async = client_class is AsyncSkyClustClient
    for operation_id, dotted in METHODS.items():
        method = resolve(client, dotted)
        assert callable(method), dotted
        assert inspect.iscoroutinefunction(method) == is_async, dotted
        # The method is made from the operation's one description, named by its operationId,
        # and shows its signature (help(), editors).
        description = getattr(operations, operation_id)
        assert method.operation is description, dotted
        assert inspect.signature(method).parameters == inspect.signature(description).parameters, dotted
    for operation_id, dotted in ITERATORS.items():
        method = resolve(client, dotted)
        assert method.operation is getattr(operations, operation_id), dotted


def sample_call(operation_id: str) -> Any:
    """The operation's description with made-up required arguments (ids; a provider)."""
    description = getattr(operations, operation_id)
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    for parameter in inspect.signature(description).parameters.values():
        value = "sandbox" if parameter.name == "provider" else uuid.uuid4()
        if parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind == parameter.POSITIONAL_ONLY:
            positional.append(value)
        elif parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
            keywords[parameter.name] = value
    return description(*positional, **keywords)


def test_each_description_sends_its_operation_as_the_contract_says() -> None:
    for operation_id in METHODS:
        call = sample_call(operation_id)
        assert call.operation.__name__.endswith(f".{operation_id}"), operation_id
        request = call.operation._get_kwargs(**call.kwargs)
        method, path = next(
            (method, path)
            for path, methods in json.loads(CONTRACT.read_text())["paths"].items()
            for method, operation in methods.items()
            if isinstance(operation, dict) and operation.get("operationId") == operation_id
        )
        assert request["method"] == method, operation_id
        assert re.fullmatch(re.sub(r"\{[^}]+\}", "[0-9a-f-]{36}", path), request["url"]), operation_id
