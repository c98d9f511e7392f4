"""Reading the aggregates is audited like any other read: who looked, and when."""

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


INSIGHTS_KEY = "insights:report"


def _kept_insights() -> Insights:
    """The report from the cache while it is younger than the dashboard's configured seconds, as the
    dashboard is: counting the whole register takes a quarter of a second at a large authority, for every
    manager and analyst who opens the page, and the counts move by the day, not by the second. The page says
    when they were counted."""
    seconds = settings.EARLY_HELP.measures.dashboard_cache_seconds
    if seconds <= 0:
        return insights_report()
    report = cache.get(INSIGHTS_KEY)
    if report is None:
        report = insights_report()
        cache.set(INSIGHTS_KEY, report, seconds)
    return report


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
    """The dashboard for the choice, from the cache while it is younger than the configured seconds. Working
    out every indicator over a year of a borough's history takes seconds; its figures change by the day."""
    seconds = settings.EARLY_HELP.measures.dashboard_cache_seconds
    if seconds <= 0:
        return dashboard(period, granularity)
    chosen = _chosen(period, granularity) | {"today": timezone.localdate().isoformat()}
    key = "insights:dashboard:" + ":".join(f"{name}={value}" for name, value in sorted(chosen.items()))
    board = cache.get(key)
    if board is None:
        board = dashboard(period, granularity)
        cache.set(key, board, seconds)
    return board


def dashboard_view(*, actor, period: Period, granularity: str) -> Dashboard:
    """The published dashboard, with a view event naming the period and filters in the same transaction."""
    with transaction.atomic():
        board = _kept_dashboard(period, granularity)
        audit_record(actor=actor, action=Action.VIEW, object_type=DASHBOARD, details=_chosen(period, granularity))
    return board


def dashboard_export(*, actor, period: Period, granularity: str, file_format: str) -> Dashboard:
    """The published dashboard for a download, with an export event naming the format in the same transaction."""
    with transaction.atomic():
        board = _kept_dashboard(period, granularity)
        details = _chosen(period, granularity) | {"format": file_format}
        audit_record(actor=actor, action=Action.EXPORT, object_type=DASHBOARD, details=details)
    return board
