"""Writing to a family's chronology. Called by every journey service, inside its transaction."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household, Person

from .models import ChronologyEntry, Episode


def chronology_record(
    *,
    actor: User | None,
    household: Household,
    kind: str,
    summary: str,
    person: Person | None = None,
    episode: Episode | None = None,
    occurred_at: datetime | None = None,
    source: object | None = None,
) -> ChronologyEntry:
    """Add one entry to the family's chronology; must run inside the transaction of the change."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chronology_record must run inside the transaction of the change it records")
    return ChronologyEntry.objects.create(
        household=household,
        person=person,
        episode=episode,
        occurred_at=occurred_at or timezone.now(),
        kind=kind,
        summary=summary[:500],
        actor=actor if actor is not None and actor.is_authenticated else None,
        source_type=source._meta.model_name if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )
