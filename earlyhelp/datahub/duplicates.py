"""Finding the register's duplicates of itself: the matching model (earlyhelp/matching) run over every
person on the register not merged into another record, each likely pair kept for the Early Help Team to
merge (families/merging.py) or to decide are two people.

A search is idempotent: a pair found again keeps its place and its decision, a pair decided "not the same
person" is never proposed again, a pair whose records were merged is marked merged, and a waiting pair the
model no longer finds (someone corrected a record) is withdrawn. Each search is audited with its counts
only; each decision with the pair and the two people it is about."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.models import PersonMerge
from earlyhelp.matching.model import PairEvidence, deduplicate
from earlyhelp.matching.rules import Band
from earlyhelp.web.errors import RefusedError

from . import messages
from .linkage import BATCH, configured_bands, register_table
from .models import DuplicateSearch, DuplicateStatus, RegisterDuplicate, SearchStatus

logger = logging.getLogger(__name__)

# What the audit trail calls a search and a pair.
SEARCH_OBJECT = "register_duplicate_search"
PAIR_OBJECT = "register_duplicate"
# Below this many people the model's parameters cannot be estimated; the search says so and changes nothing.
FEWEST_PEOPLE = 10
# A search still queued or running after this long is taken to have died with its worker.
SEARCH_STALE_AFTER = timedelta(hours=2)
NOTE_LONGEST = 1000
# Stored to this precision, so that a search over the same register finds the same numbers.
PROBABILITY_PLACES = 6


Stages = Callable[[str], None]


@dataclass(frozen=True)
class DuplicatesOutcome:
    """What one search did: people compared, pairs newly proposed, pairs waiting after it, waiting pairs
    withdrawn (no longer found) or marked merged; `stopped` says why nothing was searched, if so."""

    compared: int = 0
    proposed: int = 0
    updated: int = 0
    withdrawn: int = 0
    merged: int = 0
    waiting: int = 0
    stopped: str = ""


def ordered(first: Any, second: Any) -> tuple[uuid.UUID, uuid.UUID]:
    """The pair's two ids, lower first, as the pair is stored."""
    one, other = uuid.UUID(str(first)), uuid.UUID(str(second))
    return (one, other) if one < other else (other, one)


def _found(pairs: list[PairEvidence]) -> dict[tuple[uuid.UUID, uuid.UUID], PairEvidence]:
    """The likely pairs, each once: the review band or above, after the model's guards (a different NHS
    number or UPN is never proposed)."""
    found: dict[tuple[uuid.UUID, uuid.UUID], PairEvidence] = {}
    for pair in pairs:
        if pair.band is Band.NO_MATCH:
            continue
        key = ordered(pair.partner_record_id, pair.register_record_id)
        if key not in found or pair.match_probability > found[key].match_probability:
            found[key] = pair
    return found


def register_duplicates_find(
    *, actor: User | None = None, search: DuplicateSearch | None = None, report: Stages | None = None
) -> DuplicatesOutcome:
    """Search the register for duplicates of itself and refresh the stored pairs (see the module's rules).
    Each stage is kept on the search (for its page) and told to `report` (a command's output). Nothing is
    changed when the model cannot be estimated (too few people)."""

    def progress(stage: str) -> None:
        if search is not None:
            search.stage = stage[:200]
            search.save(update_fields=["stage"])
        if report is not None:
            report(stage)

    progress("Reading the register")
    table = register_table()
    if table.num_rows < FEWEST_PEOPLE:
        return DuplicatesOutcome(compared=table.num_rows, stopped=messages.DUPLICATES_TOO_FEW)
    try:
        pairs = deduplicate(records=table, bands=configured_bands(), progress=progress)
    except ValueError:
        # Splink cannot estimate its parameters from some registers; the type is enough to log.
        logger.warning("The search for duplicates stopped: the model could not be estimated")
        return DuplicatesOutcome(compared=table.num_rows, stopped=messages.DUPLICATES_TOO_FEW)
    progress("Storing the likely pairs")
    return _store(actor=actor, search=search, found=_found(pairs), compared=table.num_rows)


def _current_merges() -> dict[uuid.UUID, PersonMerge]:
    """Each record merged into another (and not undone): the merge, by the merged record's id. Merges are
    few beside the people, so all are read at once rather than looked up by a long list of ids."""
    return {merge.duplicate_id: merge for merge in PersonMerge.objects.filter(undone_at__isnull=True)}


def _mark_merged(pair: RegisterDuplicate, merge: PersonMerge) -> None:
    pair.status = DuplicateStatus.MERGED
    pair.merge = merge
    pair.decided_by_id = merge.merged_by_id
    pair.decided_at = merge.merged_at
    pair.note = ""


def _set_waiting(pair: RegisterDuplicate) -> None:
    pair.status = DuplicateStatus.WAITING
    pair.merge = None
    pair.decided_by = None
    pair.decided_at = None
    pair.note = ""


DECISION_FIELDS = ["status", "merge", "decided_by", "decided_at", "note"]
EVIDENCE_FIELDS = ["match_probability", "match_weight", "match_weights", "band"]


def _evidence_fields(pair: PairEvidence) -> dict[str, Any]:
    return {
        "match_probability": round(pair.match_probability, PROBABILITY_PLACES),
        "match_weight": round(pair.match_weight, 4),
        "match_weights": pair.weights,
        "band": str(pair.band),
    }


@transaction.atomic
def _store(
    *,
    actor: User | None,
    search: DuplicateSearch | None,
    found: dict[tuple[uuid.UUID, uuid.UUID], PairEvidence],
    compared: int,
) -> DuplicatesOutcome:
    rows = RegisterDuplicate.objects.select_for_update(of=("self",)).select_related("merge")
    stored = {(pair.person_a, pair.person_b): pair for pair in rows}
    # A merge undone since its pair was marked merged (before the merge told the data hub): waiting again.
    undone = [
        pair
        for pair in stored.values()
        if pair.status == DuplicateStatus.MERGED and (pair.merge is None or pair.merge.undone_at is not None)
    ]
    for pair in undone:
        _set_waiting(pair)
    waiting = {key: pair for key, pair in stored.items() if pair.status == DuplicateStatus.WAITING}
    merges = _current_merges()
    changed: list[RegisterDuplicate] = list(undone)
    merged = withdrawn = updated = 0
    gone: list[int] = []
    for key, pair in waiting.items():
        merge = merges.get(key[0]) or merges.get(key[1])
        if merge is not None:
            _mark_merged(pair, merge)
            changed.append(pair)
            merged += 1
        elif key not in found:
            gone.append(pair.pk)
            withdrawn += 1
        else:
            fresh = _evidence_fields(found[key])
            if any(getattr(pair, name) != value for name, value in fresh.items()):
                for name, value in fresh.items():
                    setattr(pair, name, value)
                if pair not in changed:
                    changed.append(pair)
                updated += 1
    for start in range(0, len(gone), BATCH):
        RegisterDuplicate.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    if changed:
        RegisterDuplicate.objects.bulk_update(changed, [*DECISION_FIELDS, *EVIDENCE_FIELDS], batch_size=BATCH)
    new = [
        RegisterDuplicate(person_a=key[0], person_b=key[1], **_evidence_fields(pair))
        for key, pair in found.items()
        if key not in stored
    ]
    RegisterDuplicate.objects.bulk_create(new, batch_size=BATCH)
    outcome = DuplicatesOutcome(
        compared=compared,
        proposed=len(new),
        updated=updated,
        withdrawn=withdrawn,
        merged=merged,
        waiting=RegisterDuplicate.objects.filter(status=DuplicateStatus.WAITING).count(),
    )
    bands = configured_bands()
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type=SEARCH_OBJECT,
        object_id=search.pk if search is not None else "",
        details={
            "compared": outcome.compared,
            "proposed": outcome.proposed,
            "updated": outcome.updated,
            "withdrawn": outcome.withdrawn,
            "merged": outcome.merged,
            "waiting": outcome.waiting,
            "auto_link": bands.auto_link,
            "review": bands.review,
        },
    )
    return outcome


# --- Searching in the background ------------------------------------------------------------------------


def search_under_way() -> DuplicateSearch | None:
    """The search queued or running now, if any (one left by a worker that died long ago does not count)."""
    return (
        DuplicateSearch.objects.filter(
            status__in=[SearchStatus.QUEUED, SearchStatus.RUNNING], queued_at__gt=timezone.now() - SEARCH_STALE_AFTER
        )
        .order_by("-queued_at")
        .first()
    )


@transaction.atomic
def duplicate_search_queue(*, actor: User) -> DuplicateSearch:
    """Queue a search of the register for duplicates, for the background worker. Refused while one is
    under way."""
    if not capabilities.can_merge_persons(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_REVIEW_DUPLICATES)
    if search_under_way() is not None:
        raise RefusedError(messages.DUPLICATE_SEARCH_UNDER_WAY)
    search = DuplicateSearch.objects.create(requested_by=actor)
    audit_record(actor=actor, action=Action.CREATE, object_type=SEARCH_OBJECT, object_id=search.pk, details={})
    from .tasks import find_register_duplicates

    # Queued once the search is stored, so that the worker finds it.
    transaction.on_commit(lambda: find_register_duplicates.enqueue(search_id=search.pk))
    return search


def duplicate_search_run(search: DuplicateSearch, *, report: Stages | None = None) -> DuplicatesOutcome:
    """Run a search, keeping its progress and outcome on its record; a fault marks it failed (nothing of
    the pairs was changed: they are stored in one transaction) and is raised again."""
    search.status = SearchStatus.RUNNING
    search.save(update_fields=["status"])
    try:
        outcome = register_duplicates_find(actor=search.requested_by, search=search, report=report)
    except Exception:
        DuplicateSearch.objects.filter(pk=search.pk).update(
            status=SearchStatus.FAILED, message=messages.DUPLICATE_SEARCH_FAILED, finished_at=timezone.now()
        )
        raise
    search.status = SearchStatus.STOPPED if outcome.stopped else SearchStatus.FINISHED
    search.message = outcome.stopped
    search.stage = ""
    search.compared = outcome.compared
    search.proposed = outcome.proposed
    search.waiting = outcome.waiting
    search.finished_at = timezone.now()
    search.save()
    return outcome


# --- Deciding ---------------------------------------------------------------------------------------------


def _audit_pair(actor: User | None, pair: RegisterDuplicate, **details: Any) -> None:
    """One event for each of the two people, so that each one's trail shows the decision."""
    for person, other in ((pair.person_a, pair.person_b), (pair.person_b, pair.person_a)):
        audit_record(
            actor=actor,
            action=Action.CHANGE,
            object_type=PAIR_OBJECT,
            object_id=pair.pk,
            person_id=person,
            details={"other": str(other), **details},
        )


@transaction.atomic
def register_duplicate_not_same(*, actor: User, pair: RegisterDuplicate, note: str = "") -> RegisterDuplicate:
    """Record that the pair's two records are about different people: the pair is never proposed again.
    Refused for a pair already decided."""
    if not capabilities.can_merge_persons(actor):
        raise PermissionDenied(messages.NOT_ALLOWED_TO_REVIEW_DUPLICATES)
    note = note.strip()
    if len(note) > NOTE_LONGEST:
        raise ValidationError({"note": messages.DUPLICATE_NOTE_TOO_LONG})
    pair = RegisterDuplicate.objects.select_for_update().get(pk=pair.pk)
    if pair.status != DuplicateStatus.WAITING:
        raise RefusedError(messages.DUPLICATE_ALREADY_DECIDED.format(status=pair.get_status_display().lower()))
    pair.status = DuplicateStatus.NOT_SAME
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.note = note
    pair.save(update_fields=["status", "decided_by", "decided_at", "note"])
    # The note is the reviewer's words about the people: kept on the pair, not copied into the trail.
    _audit_pair(actor, pair, status=pair.status, note_given=bool(note))
    return pair


def merge_recorded(merge: PersonMerge, undone: bool) -> None:
    """Told by the register inside a merge's transaction (families.merging.answer_merge_recorded): the
    waiting pairs of the merged duplicate are settled by the merge; undoing it sets them waiting again."""
    if undone:
        pairs = list(RegisterDuplicate.objects.select_for_update().filter(merge=merge))
        for pair in pairs:
            _set_waiting(pair)
    else:
        pairs = list(
            RegisterDuplicate.objects.select_for_update().filter(
                Q(person_a=merge.duplicate_id) | Q(person_b=merge.duplicate_id), status=DuplicateStatus.WAITING
            )
        )
        for pair in pairs:
            _mark_merged(pair, merge)
    if not pairs:
        return
    RegisterDuplicate.objects.bulk_update(pairs, DECISION_FIELDS)
    actor = merge.undone_by if undone else merge.merged_by
    for pair in pairs:
        _audit_pair(actor, pair, status=pair.status, merge=merge.pk)
