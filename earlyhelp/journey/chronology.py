"""Writing to a family's chronology, and naming its kinds of entry in words. Called by every journey
service, inside its transaction."""

from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household, Person, PersonMerge

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
    source: models.Model | None = None,
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
        source_type=(source._meta.model_name or "") if source is not None else "",
        source_id=str(source.pk) if source is not None else "",
    )


# What each kind of entry is called on the page. Apps name their own kinds; one not listed here is
# shown from its code with the underscores as spaces.
KIND_LABELS = {
    "request": "Request for support",
    "triage": "Triage",
    "episode": "Episode",
    "lead": "Lead professional",
    "level": "Level of need",
    "assessment": "Assessment",
    "plan": "Plan",
    "action": "Plan action",
    "meeting": "Meeting",
    "review": "Review",
    "taf": "Team Around the Family",
    "step_up": "Step up",
    "social_care_response": "Social care response",
    "step_down": "Step down",
    "step_prompt": "Prompt to consider a step",
    "sharing_requested": "Sharing without consent asked for",
    "sharing_without_consent": "Sharing without consent",
    "closure": "Closure",
    "feedback": "Family feedback",
    "merge": "Duplicate record merged",
}


def kind_label(kind: str) -> str:
    """The words for a kind of chronology entry."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def merge_recorded(merge: PersonMerge, undone: bool) -> None:
    """A duplicate record merged into the survivor's (or the merge undone), in the chronology of each
    family either of the two lives or lived in, once for each of them (the register asks: merging.py)."""
    survivor, duplicate = merge.survivor, merge.duplicate
    actor = merge.undone_by if undone else merge.merged_by
    households = Household.objects.filter(memberships__person__in=[survivor, duplicate]).distinct().order_by("pk")
    if undone:
        entries = [
            (survivor, f"Merge undone: the record of {duplicate.full_name} is separate again"),
            (duplicate, f"Merge undone: this record is no longer part of the record of {survivor.full_name}"),
        ]
    else:
        entries = [
            (survivor, f"The duplicate record of {duplicate.full_name} was merged into this record"),
            (duplicate, f"This record was merged into the record of {survivor.full_name} as a duplicate"),
        ]
    for household in households:
        for person, summary in entries:
            chronology_record(
                actor=actor, household=household, kind="merge", summary=summary, person=person, source=merge
            )
