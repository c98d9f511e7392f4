"""Writing audit events. Callers run these inside their own transaction, so the event and the
change it describes commit or roll back together."""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from .chain import chain_head, event_hash, lock_chain
from .middleware import current_request_id
from .models import Action, AuditEvent


def audit_record(
    *,
    actor: Any,
    action: Action | str,
    object_type: str = "",
    object_id: Any = "",
    household_id: uuid.UUID | None = None,
    person_id: uuid.UUID | None = None,
    purpose: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Record one event, with the actor's role and agency as they are at this moment, chained
    onto the event before it (see chain.py)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if authenticated else None,
        actor_username=actor.username if authenticated else "",
        actor_role=actor.role if authenticated else "",
        actor_agency=actor.agency.name if authenticated and actor.agency_id else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id else "",
        household_id=household_id,
        person_id=person_id,
        purpose=purpose[:300],
        request_id=current_request_id(),
        details=details or {},
    )
    lock_chain()
    event.at = timezone.now()
    event.prev_hash = chain_head()
    event.event_hash = event_hash(event)
    event.save(force_insert=True)
    return event
