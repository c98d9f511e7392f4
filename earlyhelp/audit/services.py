"""Writing audit events. Callers run these inside their own transaction, so the event and the
change it describes commit or roll back together. Events are sealed into the hash chain after they
commit (chain.py)."""

import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction

from .chain import seal
from .middleware import current_request_id
from .models import Action, AuditEvent

_last_seal = 0.0
_last_seal_guard = threading.Lock()


def seal_soon() -> None:
    """Seal what has committed, unless this process tried within AUDIT_SEAL_INTERVAL seconds or
    another sealer is at work: run after each commit that wrote an event, so the chain keeps up
    with the trail without a request ever waiting for another's seal."""
    global _last_seal
    now = time.monotonic()
    with _last_seal_guard:
        if now - _last_seal < settings.AUDIT_SEAL_INTERVAL:
            return
        _last_seal = now
    seal(wait=False)


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
    """Record one event, with the actor's role and agency as they are at this moment. It joins the
    hash chain when it is sealed, soon after it commits (see chain.py)."""
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
    event.save(force_insert=True)
    # A failed seal never fails the request that has already committed: the next one seals.
    transaction.on_commit(seal_soon, robust=True)
    return event
