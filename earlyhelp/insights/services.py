"""Reading the aggregates is audited like any other read: who looked, and when."""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.measures.selectors import Period

from .dashboard import Dashboard, dashboard
from .selectors import Insights, insights_report

OBJECT_TYPE = "insights"
T = TypeVar("T")


def kept_seconds() -> int:
    """How long the dashboard and the insights keep what they counted (0: counted afresh every time)."""
    return settings.EARLY_HELP.measures.dashboard_cache_seconds


def _kept(key: str, count: Callable[[], T]) -> T:
    """What `count` gives, from the cache while it is younger than `kept_seconds`. The dashboard's and the
    insights' counts cover the whole register and move by the day, not by the second; their pages say when
    they were counted."""
    seconds = kept_seconds()
    if seconds <= 0:
        return count()
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, seconds)
    return found


def _kept_insights() -> Insights:
    return _kept("insights:report", insights_report)


def insights_view(*, actor) -> Insights:
    """The suppressed report, with a view event recorded in the same transaction."""
    with transaction.atomic():
        report = _kept_insights()
        audit_record(actor=actor, action=Action.VIEW, object_type=OBJECT_TYPE)
    return report


def insights_export(*, actor) -> Insights:
    """The suppressed report for a download, with an export event recorded in the same transaction."""
    with transaction.atomic():
        report = _kept_insights()
        audit_record(actor=actor, action=Action.EXPORT, object_type=OBJECT_TYPE, details={"format": "csv"})
    return report


DASHBOARD = "dashboard"


def _chosen(period: Period, granularity: str) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "by": granularity} | (
        period.filters.chosen()
    )


def _kept_dashboard(period: Period, granularity: str) -> Dashboard:
    """The dashboard for the choice, kept while young (`_kept`): working out every indicator over a year of
    a borough's history takes seconds."""
    chosen = _chosen(period, granularity) | {"today": timezone.localdate().isoformat()}
    key = "insights:dashboard:" + ":".join(f"{name}={value}" for name, value in sorted(chosen.items()))
    return _kept(key, lambda: dashboard(period, granularity))


# The dashboard is worked out before the audit event's transaction opens, not inside it: only outside a transaction
# does PostgreSQL compute the indicators on connections of their own, at once (measures.selectors.indicators; the
# page's first, uncached view on the benchmark's history: 8.2 s inside, 6.4 s outside). Nothing is shown without
# its event: the event is written, or the call raises.


def dashboard_view(*, actor, period: Period, granularity: str) -> Dashboard:
    """The published dashboard, with a view event naming the period and filters."""
    board = _kept_dashboard(period, granularity)
    with transaction.atomic():
        audit_record(actor=actor, action=Action.VIEW, object_type=DASHBOARD, details=_chosen(period, granularity))
    return board


def dashboard_export(*, actor, period: Period, granularity: str, file_format: str) -> Dashboard:
    """The published dashboard for a download, with an export event naming the format."""
    board = _kept_dashboard(period, granularity)
    details = _chosen(period, granularity) | {"format": file_format}
    with transaction.atomic():
        audit_record(actor=actor, action=Action.EXPORT, object_type=DASHBOARD, details=details)
    return board
