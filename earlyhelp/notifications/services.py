"""Raising and dismissing alerts. An alert is raised inside the transaction of the change it reports."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from .models import Alert


def alert_raise(*, recipient: User, kind: str, message: str, household_id: uuid.UUID | None = None) -> Alert:
    """Tell a manager or the data protection officer something; runs inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("alert_raise must run inside the transaction of the change it reports")
    return Alert.objects.create(recipient=recipient, kind=kind, message=message[:300], household_id=household_id)


@transaction.atomic
def alert_dismiss(*, actor: User, alert: Alert) -> Alert:
    """Mark one of the actor's own alerts as read."""
    if alert.recipient_id != actor.pk:
        raise ValidationError({"alert": "This alert is not yours"})
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
        audit_record(actor=actor, action=Action.CHANGE, object_type="alert", object_id=alert.id)
    return alert
