"""The measures' aggregates as pages and downloads show them: published (small numbers suppressed), and each
read audited in its transaction, like every read of the insights."""

from typing import Any

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import rules
from .costs import cost_of_demand, cost_published
from .selectors import Period, k19_practitioner_confidence


def _viewed(actor: Any, object_type: str, *periods: Period) -> None:
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type=object_type,
        details={"periods": [[period.start.isoformat(), period.end.isoformat()] for period in periods]},
    )


def confidence_results_view(*, actor: Any, period: Period) -> dict[str, Any]:
    """The practitioner confidence survey's results for answers given in the period, as published."""
    with transaction.atomic():
        results = rules.indicator_published(k19_practitioner_confidence(period))
        _viewed(actor, "confidence_results", period)
    return results


def cost_of_demand_view(*, actor: Any, baseline: Period, comparison: Period) -> dict[str, Any]:
    """The cost of demand estimate between the periods, as published."""
    with transaction.atomic():
        estimate = cost_published(cost_of_demand(baseline=baseline, comparison=comparison))
        _viewed(actor, "cost_of_demand", baseline, comparison)
    return estimate
