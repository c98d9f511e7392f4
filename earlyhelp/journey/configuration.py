"""Changes to the journey's configuration: the thresholds tool's indicators. Each change is audited
in its own transaction, naming the fields that changed (never their values' history elsewhere)."""

from django.db import transaction

from earlyhelp.accounts.models import User
from earlyhelp.workflow import audit_change

from .models import NeedIndicator


@transaction.atomic
def indicator_save(*, actor: User, indicator: NeedIndicator, changed: list[str]) -> NeedIndicator:
    """Save an indicator of the thresholds tool (added or changed by an administrator), audited."""
    created = indicator.pk is None
    indicator.save()
    audit_change(actor=actor, record=indicator, action="create" if created else "change", fields=sorted(changed))
    return indicator
