"""Cloud credentials and the instances their accounts run."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skyclust._core import (
    Body,
    Call,
    DateLike,
    Id,
    ListCall,
    OneOrMany,
    RawBody,
    body_of,
    call,
    enum_of,
    enums_of,
    list_call,
    many,
    returns,
    returns_nothing,
    uuid_of,
)
from skyclust_client.api.credentials import create_credential as _create_credential
from skyclust_client.api.credentials import delete_credential as _delete_credential
from skyclust_client.api.credentials import get_credential as _get_credential
from skyclust_client.api.credentials import list_credential_instances as _list_credential_instances
from skyclust_client.api.credentials import list_credentials as _list_credentials
from skyclust_client.api.credentials import update_credential as _update_credential
from skyclust_client.models import (
    AwsCredentialRequest,
    AzureCredentialRequest,
    Credential,
    CredentialList,
    DiscoveredInstance,
    GcpCredentialRequest,
    InstanceList,
    ListCredentialInstancesSort,
    ListCredentialsSort,
    Provider,
    SandboxCredentialRequest,
    UpdateCredentialRequest,
    VmStatus,
)

# ---- credentials ----

_CREDENTIAL_REQUESTS: Mapping[str, type[Any]] = {
    "aws": AwsCredentialRequest,
    "gcp": GcpCredentialRequest,
    "azure": AzureCredentialRequest,
    "sandbox": SandboxCredentialRequest,
}


def list_credentials(
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListCredentialsSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    provider: OneOrMany[Provider | str] | None = None,
    is_active: bool | None = None,
) -> ListCall[CredentialList, Credential]:
    """``GET /credentials``: yours, each with a masked ``hint``, never the secrets."""
    return list_call(
        _list_credentials,
        CredentialList,
        lambda page: page.credentials,
        limit=limit,
        offset=offset,
        sort=enum_of(ListCredentialsSort, sort),
        start_date=start_date,
        end_date=end_date,
        provider=enums_of(Provider, provider),
        is_active=is_active,
    )


def create_credential(body: Body = None, /, **fields: Any) -> Call[Credential]:
    """``POST /credentials``: ``name``, ``provider`` and the provider's ``data``. Answers carry a
    masked ``hint``, never the secrets."""
    request = {**dict(body or {}), **fields}
    provider = request.get("provider")
    model = _CREDENTIAL_REQUESTS.get(str(getattr(provider, "value", provider)))
    # An unknown provider goes as sent: the server's answer names the valid ones.
    built = RawBody(request) if model is None else body_of(model, request, {})
    return call(_create_credential, returns(Credential), body=built)


def get_credential(credential_id: Id) -> Call[Credential]:
    """``GET /credentials/{id}``."""
    return call(_get_credential, returns(Credential), id=uuid_of(credential_id))


def update_credential(
    credential_id: Id, body: UpdateCredentialRequest | Body = None, /, **fields: Any
) -> Call[Credential]:
    """``PUT /credentials/{id}``: any of ``name``, ``data``, ``is_active``."""
    body = body_of(UpdateCredentialRequest, body, fields)
    return call(_update_credential, returns(Credential), id=uuid_of(credential_id), body=body)


def delete_credential(credential_id: Id) -> Call[None]:
    """``DELETE /credentials/{id}``."""
    return call(_delete_credential, returns_nothing, id=uuid_of(credential_id))


def list_credential_instances(
    credential_id: Id,
    *,
    limit: int | None = None,
    offset: int | None = None,
    sort: ListCredentialInstancesSort | str | None = None,
    start_date: DateLike | None = None,
    end_date: DateLike | None = None,
    region: OneOrMany[str] | None = None,
    status: OneOrMany[VmStatus | str] | None = None,
    managed: bool | None = None,
) -> ListCall[InstanceList, DiscoveredInstance]:
    """``GET /credentials/{id}/instances``: what the credential's account runs, each instance
    ``managed`` (with ``vm_id`` when you can see the VM) or not; ``failed_regions`` names the
    regions the provider did not answer for."""
    return list_call(
        _list_credential_instances,
        InstanceList,
        lambda page: page.instances,
        id=uuid_of(credential_id),
        limit=limit,
        offset=offset,
        sort=enum_of(ListCredentialInstancesSort, sort),
        start_date=start_date,
        end_date=end_date,
        region=many(str, region),
        status=enums_of(VmStatus, status),
        managed=managed,
    )
