"""Cost analysis and the provider catalog."""

from __future__ import annotations

from skyclust._core import (
    Call,
    Id,
    call,
    enum_of,
    returns,
    uuid_of,
)
from skyclust_client.api.costs import get_cost_analysis as _get_cost_analysis
from skyclust_client.api.costs import get_cost_breakdown as _get_cost_breakdown
from skyclust_client.api.costs import list_providers as _list_providers
from skyclust_client.models import (
    CostAnalysis,
    CostBreakdown,
    CostPeriod,
    CostService,
    Provider,
    ProviderCatalog,
)

# ---- costs and prices ----


def get_cost_analysis(
    *,
    period: CostPeriod | str | None = None,
    workspace_id: Id | None = None,
    provider: Provider | str | None = None,
) -> Call[CostAnalysis]:
    """``GET /cost-analysis``: total, per provider and per UTC day (``period``: 1d, 7d, 30d, 90d)."""
    return call(
        _get_cost_analysis,
        returns(CostAnalysis),
        period=enum_of(CostPeriod, period),
        workspace_id=None if workspace_id is None else uuid_of(workspace_id),
        provider=enum_of(Provider, provider),
    )


def get_cost_breakdown(
    provider: Provider | str,
    *,
    service: CostService | str | None = None,
    period: CostPeriod | str | None = None,
    workspace_id: Id | None = None,
) -> Call[CostBreakdown]:
    """``GET /cost-analysis/breakdown``: one provider's cost per service (aws: ``EC2``, ``EBS``)."""
    return call(
        _get_cost_breakdown,
        returns(CostBreakdown),
        provider=enum_of(Provider, provider),
        service=enum_of(CostService, service),
        period=enum_of(CostPeriod, period),
        workspace_id=None if workspace_id is None else uuid_of(workspace_id),
    )


def list_providers() -> Call[ProviderCatalog]:
    """``GET /providers``: enabled providers, their regions, instance types and prices."""
    return call(_list_providers, returns(ProviderCatalog))
