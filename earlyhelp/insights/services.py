"""Reading the aggregates is audited like any other read: who looked, and when."""

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from .selectors import Insights, insights_report

OBJECT_TYPE = "insights"


def insights_view(*, actor) -> Insights:
    """The suppressed report, with a view event recorded in the same transaction."""
    with transaction.atomic():
        report = insights_report()
        audit_record(actor=actor, action=Action.VIEW, object_type=OBJECT_TYPE)
    return report


def insights_export(*, actor) -> Insights:
    """The suppressed report for a download, with an export event recorded in the same transaction."""
    with transaction.atomic():
        report = insights_report()
        audit_record(actor=actor, action=Action.EXPORT, object_type=OBJECT_TYPE, details={"format": "csv"})
    return report
