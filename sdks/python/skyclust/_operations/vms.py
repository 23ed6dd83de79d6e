"""VMs: lifecycle, adoption and release."""

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
    enums_of,
    list_call,
    many,
    returns,
    uuid_of,
)
from skyclust_client.api.vms import create_vm as _create_vm
from skyclust_client.api.vms import delete_vm as _delete_vm
from skyclust_client.api.vms import get_vm as _get_vm
from skyclust_client.api.vms import import_vm as _import_vm
from skyclust_client.api.vms import list_vms as _list_vms
from skyclust_client.api.vms import reboot_vm as _reboot_vm
from skyclust_client.api.vms import start_vm as _start_vm
from skyclust_client.api.vms import stop_vm as _stop_vm
from skyclust_client.models import (
    CreateVmRequest,
    ImportVmRequest,
    ListVmsSort,
    Provider,
    Vm,
    VmList,
    VmStatus,
)

# ---- VMs ----


def list_vms(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListVmsSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    workspace_id: OneOrMany[Id] | None = None,
    provider: OneOrMany[Provider | str] | None = None,
    status: OneOrMany[VmStatus | str] | None = None,
    region: OneOrMany[str] | None = None,
) -> ListCall[VmList, Vm]:
    """``GET /vms``: the VMs of the workspaces you can see (admins: all)."""
    return list_call(
        _list_vms,
        VmList,
        lambda page: page.vms,
        limit=limit,
        offset=offset,
        sort=enum_of(ListVmsSort, sort),
        start_date=start_date,
        end_date=end_date,
        workspace_id=many(uuid_of, workspace_id),
        provider=enums_of(Provider, provider),
        status=enums_of(VmStatus, status),
        region=many(str, region),
    )


def create_vm(body: CreateVmRequest | Body = None, /, *, idempotency_key: str | None = None, **fields: Any) -> Call[Vm]:
    """``POST /vms``: ``name``, ``provider``, ``instance_type``, ``region``, optional ``workspace_id``
    (default: your personal workspace), ``zone``, ``image_id``, ``key_pair``, ``credential_id``.
    Answers at once with the VM ``pending``; see ``wait_until``.

    With ``idempotency_key`` the call is safe to repeat (and so is retried): the same key and
    request within a day answer the first VM instead of creating another; the key with another
    request is a ``CONFLICT``."""
    body = body_of(CreateVmRequest, body, fields)
    return call(_create_vm, returns(Vm), body=body, idempotency_key=idempotency_key)


def get_vm(vm_id: Id) -> Call[Vm]:
    """``GET /vms/{id}``."""
    return call(_get_vm, returns(Vm), id=uuid_of(vm_id))


def delete_vm(vm_id: Id, *, release: bool | None = None) -> Call[Vm]:
    """``DELETE /vms/{id}``: answers at once with the VM ``terminating``. With ``release=True``
    SkyClust stops managing the VM and leaves its instance running, untagged (the answer is the
    VM ``terminated``, released)."""
    return call(_delete_vm, returns(Vm), id=uuid_of(vm_id), release=release)


def import_vm(body: ImportVmRequest | Body = None, /, **fields: Any) -> Call[Vm]:
    """``POST /vms/import``: ``credential_id``, ``provider_instance_id``, ``region``,
    ``workspace_id`` and optional ``name`` bring an existing instance under management."""
    body = body_of(ImportVmRequest, body, fields)
    return call(_import_vm, returns(Vm), body=body)


def start_vm(vm_id: Id) -> Call[Vm]:
    """``POST /vms/{id}/start``."""
    return call(_start_vm, returns(Vm), id=uuid_of(vm_id))


def stop_vm(vm_id: Id) -> Call[Vm]:
    """``POST /vms/{id}/stop``."""
    return call(_stop_vm, returns(Vm), id=uuid_of(vm_id))


def reboot_vm(vm_id: Id) -> Call[Vm]:
    """``POST /vms/{id}/reboot``."""
    return call(_reboot_vm, returns(Vm), id=uuid_of(vm_id))
