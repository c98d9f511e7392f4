"""Merging a duplicate register record into the survivor's, and undoing the merge.

Every row anywhere in the project that refers to the duplicate (a membership, a consent, a plan's
action, an assessment's section, a partner record, ...) is moved to the survivor. The register stands
on a low floor and may not import the apps above it, so the rows are found through Django's model
meta (every relation to `Person`, hidden ones included), never by naming them. A row that would clash
with one the survivor already has (both were members of the same household; a relationship between
the two records) is parked: left on the duplicate, and listed. The merge records each row it moved or
parked, so that undoing it moves exactly those back.

The duplicate is kept, marked `merged_into` the survivor: searches and household lists leave it out,
and opening it leads to the survivor. Each merge and each undo is one transaction with its audit
events (one for each of the two people); the apps above are told through `answer_merge_recorded`
(the journey writes the merge into both people's chronology).
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel, Q
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.web.errors import RefusedError

from . import rules
from .models import Person, PersonMerge, PersonMergeMove, PersonName

MERGE_INTO_SELF = "A record cannot be merged into itself: choose the duplicate record to merge into this one"
SURVIVOR_MERGED = "The record to keep has itself been merged into another record: merge into that record instead"
DUPLICATE_MERGED = "The duplicate has already been merged into another record"
NHS_NUMBERS_DIFFER = (
    "These records have different NHS numbers, so they are about different people: if one NHS number is "
    "wrong, correct it first"
)
UPNS_DIFFER = (
    "These records have different Unique Pupil Numbers, so they are about different people: if one is "
    "wrong, correct it first"
)
REASON_REQUIRED = "Say why these records are about the same person"
ALREADY_UNDONE = "This merge has already been undone"
LATER_MERGE = "A later merge involving one of these records depends on this one: undo that merge first"
UNDO_CLASH = (
    "The merge cannot be undone: a row would clash with one recorded on the duplicate since. Ask your "
    "system administrator"
)
NOT_ALLOWED = "Only the Early Help Team merges records on the register"

# What the merge is called in the audit trail.
OBJECT_TYPE = "person_merge"
# Identifiers the survivor takes from the duplicate where it has none of its own.
IDENTIFIERS = ("nhs_number", "upn")
MISSING_FIELDS = (
    "nhs_number_missing_reason",
    "nhs_number_missing_detail",
    "nhs_number_missing_recorded_at",
    "nhs_number_missing_recorded_by_id",
)


# --- What refers to a person ------------------------------------------------------------------------


@dataclass(frozen=True)
class UniqueRule:
    """A uniqueness the database holds over the reference: the other fields, and when it applies."""

    name: str
    others: tuple[str, ...]
    condition: Q | None


@dataclass(frozen=True)
class Reference:
    """One foreign key to `Person` on some model, with what moving a row along it may clash with."""

    model: type[models.Model]
    field: models.ForeignKey
    unique: tuple[UniqueRule, ...]
    # The model's other foreign keys to Person: a row must not end up pointing at the survivor twice.
    siblings: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def name(self) -> str:
        return f"{self.model._meta.verbose_name_plural} ({self.field.verbose_name})"

    @property
    def rows(self) -> models.QuerySet[Any]:
        """Every row of the model, whatever its default manager leaves out."""
        manager: models.Manager[Any] = self.model._base_manager
        return manager.all()

    @property
    def needs_care(self) -> bool:
        return bool(self.unique or self.siblings)


def _unique_rules(model: type[models.Model], field: models.ForeignKey) -> tuple[UniqueRule, ...]:
    found = []
    if field.unique:
        found.append(UniqueRule(f"{model._meta.label}.{field.name} unique", (), None))
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and field.name in (constraint.fields or ()):
            others = tuple(name for name in constraint.fields if name != field.name)
            found.append(UniqueRule(constraint.name, others, constraint.condition))
    for together in model._meta.unique_together:
        if field.name in together:
            found.append(UniqueRule("unique together", tuple(name for name in together if name != field.name), None))
    return tuple(found)


def _person_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is Person
    ]


@functools.cache
def person_references() -> tuple[Reference, ...]:
    """Every foreign key to Person in the project, hidden ones (related_name "+", many-to-many
    tables) included, but the merge's own records and a person's `merged_into`."""
    found = []
    for relation in Person._meta.get_fields(include_hidden=True):
        # Many-to-many relations are reached through their tables' own foreign keys, hidden ones.
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        field = relation.field
        if model in (Person, PersonMerge, PersonMergeMove) or not isinstance(model, type):
            continue
        if not isinstance(field, models.ForeignKey):  # a one-to-one field is a foreign key too
            continue
        siblings = tuple(other.attname for other in _person_keys(model) if other.name != field.name)
        found.append(Reference(model, field, _unique_rules(model, field), siblings))
    return tuple(sorted(found, key=lambda reference: (reference.label, reference.field.name)))


def references_to(person: Person) -> list[tuple[Reference, int]]:
    """How many rows of each kind refer to this person: what a merge would move."""
    counts = []
    for reference in person_references():
        count = reference.rows.filter(**{reference.field.attname: person.pk}).count()
        if count:
            counts.append((reference, count))
    return counts


# --- Telling the apps above ---------------------------------------------------------------------------

MergeRecorded = Callable[[PersonMerge, bool], None]
_answers: dict[str, MergeRecorded] = {}


def answer_merge_recorded(app: str, callback: MergeRecorded) -> None:
    """Register, under the app's name, what it records when a merge is made (False) or undone (True);
    called inside the merge's transaction."""
    _answers[app] = callback


def _tell(merge: PersonMerge, *, undone: bool) -> None:
    for callback in _answers.values():
        callback(merge, undone)


# --- Merging ------------------------------------------------------------------------------------------


def _locked(*people: Person) -> dict[Any, Person]:
    """The people, locked in one order (so two merges cannot deadlock), as they are now."""
    return {
        person.pk: person
        for person in Person.objects.select_for_update().filter(pk__in=[p.pk for p in people]).order_by("pk")
    }


def merge_refusals(survivor: Person, duplicate: Person) -> list[str]:
    """Why these two records may not be merged (empty: they may)."""
    if survivor.pk == duplicate.pk:
        return [MERGE_INTO_SELF]
    refusals = []
    if survivor.merged_into_id is not None:
        refusals.append(SURVIVOR_MERGED)
    if duplicate.merged_into_id is not None:
        refusals.append(DUPLICATE_MERGED)
    if survivor.nhs_number and duplicate.nhs_number and survivor.nhs_number != duplicate.nhs_number:
        refusals.append(NHS_NUMBERS_DIFFER)
    if survivor.upn and duplicate.upn and survivor.upn != duplicate.upn:
        refusals.append(UPNS_DIFFER)
    return refusals


def _clash(reference: Reference, row: models.Model, survivor: Person, duplicate: Person) -> str:
    """The rule moving this row to the survivor would break, or "" where it may move."""
    for sibling in reference.siblings:
        if getattr(row, sibling) in (survivor.pk, duplicate.pk):
            return "refers to both records"
    for rule in reference.unique:
        if rule.condition is not None and not reference.rows.filter(rule.condition, pk=row.pk).exists():
            continue
        attnames = [_attname(reference.model, name) for name in rule.others]
        lookup = {attname: getattr(row, attname) for attname in attnames} | {reference.field.attname: survivor.pk}
        others = reference.rows.filter(**lookup).exclude(pk=row.pk)
        if rule.condition is not None:
            others = others.filter(rule.condition)
        if others.exists():
            return rule.name
    return ""


def _attname(model: type[models.Model], name: str) -> str:
    """The column a field's value is read from (`household_id` for `household`)."""
    field = model._meta.get_field(name)
    return field.attname if isinstance(field, models.Field) else name


def _move_rows(reference: Reference, survivor: Person, duplicate: Person) -> list[PersonMergeMove]:
    """Move the reference's rows from the duplicate to the survivor, or park those that would clash."""
    attname = reference.field.attname
    rows = reference.rows.filter(**{attname: duplicate.pk})
    if not reference.needs_care:
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            return []
        try:
            with transaction.atomic():
                reference.rows.filter(pk__in=pks).update(**{attname: survivor.pk})
        except IntegrityError:
            pass  # a rule the model's meta does not show: moved one by one below, the clashing rows parked
        else:
            return [_move(reference, pk) for pk in pks]
    moves = []
    for row in rows.order_by("pk"):
        clash = _clash(reference, row, survivor, duplicate) if reference.needs_care else ""
        if not clash:
            try:
                with transaction.atomic():
                    reference.rows.filter(pk=row.pk).update(**{attname: survivor.pk})
            except IntegrityError:
                clash = "database constraint"
        moves.append(_move(reference, row.pk, clash=clash))
    return moves


def _move(reference: Reference, pk: Any, *, clash: str = "") -> PersonMergeMove:
    return PersonMergeMove(
        model_label=reference.label,
        object_pk=str(pk),
        field_name=reference.field.name,
        parked=bool(clash),
        clash=clash[:100],
    )


def _carry_identifiers(survivor: Person, duplicate: Person) -> dict[str, Any]:
    """Give the survivor the duplicate's identifiers it lacks (taken off the duplicate: they are unique);
    what was carried, and the survivor's reason for a missing NHS number it replaces, for the undo."""
    carried: dict[str, Any] = {
        name: getattr(duplicate, name)
        for name in IDENTIFIERS
        if getattr(duplicate, name) and not getattr(survivor, name)
    }
    if not carried:
        return {}
    if "nhs_number" in carried and survivor.nhs_number_missing_reason:
        carried["nhs_number_missing"] = {
            "reason": survivor.nhs_number_missing_reason,
            "detail": survivor.nhs_number_missing_detail,
            "recorded_at": survivor.nhs_number_missing_recorded_at.isoformat()
            if survivor.nhs_number_missing_recorded_at
            else None,
            "recorded_by": survivor.nhs_number_missing_recorded_by_id,
        }
    for name in IDENTIFIERS:
        if name in carried:
            setattr(duplicate, name, None)
    duplicate.save(update_fields=[name for name in IDENTIFIERS if name in carried])
    for name in IDENTIFIERS:
        if name in carried:
            setattr(survivor, name, carried[name])
    if "nhs_number" in carried:
        _clear_missing_reason(survivor)
    survivor.save(update_fields=[*(name for name in IDENTIFIERS if name in carried), *_missing_names(carried)])
    return carried


def _missing_names(carried: dict[str, Any]) -> list[str]:
    return [name.removesuffix("_id") for name in MISSING_FIELDS] if "nhs_number_missing" in carried else []


def _clear_missing_reason(person: Person) -> None:
    person.nhs_number_missing_reason = ""
    person.nhs_number_missing_detail = ""
    person.nhs_number_missing_recorded_at = None
    person.nhs_number_missing_recorded_by = None


def _add_name(survivor: Person, duplicate: Person) -> PersonName | None:
    """The duplicate's name among the survivor's previous names, so a search by it finds the survivor."""
    key = rules.name_search_key(duplicate.given_name, duplicate.family_name)
    if key == survivor.search_name or survivor.previous_names.filter(search_name=key).exists():
        return None
    return PersonName.objects.create(
        person=survivor, given_name=duplicate.given_name, family_name=duplicate.family_name, search_name=key
    )


def _audit(actor: User, merge: PersonMerge, action: str, details: dict[str, Any]) -> None:
    for person_id, part in ((merge.survivor_id, "survivor"), (merge.duplicate_id, "duplicate")):
        audit_record(
            actor=actor,
            action=action,
            object_type=OBJECT_TYPE,
            object_id=merge.pk,
            person_id=person_id,
            details={
                "part": part,
                "survivor": str(merge.survivor_id),
                "duplicate": str(merge.duplicate_id),
                **details,
            },
        )


def _counts(moves: Iterable[PersonMergeMove], *, parked: bool) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for move in moves:
        if move.parked == parked:
            counts[f"{move.model_label}.{move.field_name}"] += 1
    return dict(sorted(counts.items()))


@transaction.atomic
def person_merge(*, actor: User, survivor: Person, duplicate: Person, reason: str) -> PersonMerge:
    """Merge the duplicate record into the survivor's: every row referring to the duplicate is moved
    to the survivor, or parked where the survivor already has its like; the duplicate is kept, marked
    merged. Refused, with nothing changed, for a record merged into itself, a record already merged,
    and two records whose NHS numbers or Unique Pupil Numbers differ."""
    if not capabilities.can_merge_persons(actor):
        raise PermissionDenied(NOT_ALLOWED)
    if survivor.pk == duplicate.pk:
        raise RefusedError(MERGE_INTO_SELF)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    locked = _locked(survivor, duplicate)
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    refusals = merge_refusals(survivor, duplicate)
    if refusals:
        raise RefusedError(*refusals)
    merge = PersonMerge.objects.create(
        survivor=survivor, duplicate=duplicate, reason=reason.strip(), merged_at=timezone.now(), merged_by=actor
    )
    moves = [move for reference in person_references() for move in _move_rows(reference, survivor, duplicate)]
    for move in moves:
        move.merge = merge
    PersonMergeMove.objects.bulk_create(moves)
    merge.carried = _carry_identifiers(survivor, duplicate)
    merge.added_name = _add_name(survivor, duplicate)
    merge.save(update_fields=["carried", "added_name"])
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    _audit(
        actor,
        merge,
        Action.CREATE,
        {
            "moved": _counts(moves, parked=False),
            "parked": _counts(moves, parked=True),
            "carried": sorted(name for name in IDENTIFIERS if name in merge.carried),
        },
    )
    _tell(merge, undone=False)
    return merge


# --- Undoing ------------------------------------------------------------------------------------------


def undo_refusals(merge: PersonMerge) -> list[str]:
    """Why this merge may not be undone (empty: it may)."""
    if merge.undone_at is not None:
        return [ALREADY_UNDONE]
    people = [merge.survivor_id, merge.duplicate_id]
    later = PersonMerge.objects.filter(pk__gt=merge.pk, undone_at__isnull=True).filter(
        Q(survivor_id__in=people) | Q(duplicate_id__in=people)
    )
    return [LATER_MERGE] if later.exists() else []


def _move_back(merge: PersonMerge, survivor: Person, duplicate: Person) -> tuple[int, int]:
    """Move the rows the merge moved back to the duplicate: (moved back, no longer on the survivor)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for label, field_name, pk in merge.moves.filter(parked=False).values_list("model_label", "field_name", "object_pk"):
        groups[(label, field_name)].append(pk)
    back = gone = 0
    for (label, field_name), pks in sorted(groups.items()):
        model = apps.get_model(label)
        attname = _attname(model, field_name)
        try:
            with transaction.atomic():
                moved = model._base_manager.filter(pk__in=pks, **{attname: survivor.pk}).update(
                    **{attname: duplicate.pk}
                )
        except IntegrityError as error:
            raise RefusedError(UNDO_CLASH) from error
        back += moved
        gone += len(pks) - moved
    return back, gone


def _restore_identifiers(merge: PersonMerge, survivor: Person, duplicate: Person) -> list[str]:
    """Give the duplicate back the identifiers the survivor took, where the survivor still has them."""
    restored = [
        name for name in IDENTIFIERS if name in merge.carried and getattr(survivor, name) == merge.carried[name]
    ]
    if not restored:
        return []
    for name in restored:
        setattr(survivor, name, None)
    missing = merge.carried.get("nhs_number_missing")
    if "nhs_number" in restored and missing:
        survivor.nhs_number_missing_reason = missing["reason"]
        survivor.nhs_number_missing_detail = missing["detail"]
        survivor.nhs_number_missing_recorded_at = missing["recorded_at"]
        survivor.nhs_number_missing_recorded_by_id = missing["recorded_by"]
    survivor.save(update_fields=[*restored, *(_missing_names(merge.carried) if "nhs_number" in restored else [])])
    for name in restored:
        setattr(duplicate, name, merge.carried[name])
    duplicate.save(update_fields=restored)
    return restored


@transaction.atomic
def person_merge_undo(*, actor: User, merge: PersonMerge) -> PersonMerge:
    """Undo a merge: move back exactly the rows it moved, give the duplicate back what the survivor
    took, and show the duplicate again. Refused, with nothing changed, for a merge already undone and
    for one a later merge (of either record) depends on."""
    if not capabilities.can_merge_persons(actor):
        raise PermissionDenied(NOT_ALLOWED)
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    refusals = undo_refusals(merge)
    if refusals:
        raise RefusedError(*refusals)
    locked = _locked(merge.survivor, merge.duplicate)
    survivor, duplicate = locked[merge.survivor_id], locked[merge.duplicate_id]
    back, gone = _move_back(merge, survivor, duplicate)
    restored = _restore_identifiers(merge, survivor, duplicate)
    if merge.added_name_id is not None:
        PersonName.objects.filter(pk=merge.added_name_id).delete()
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    _audit(
        actor,
        merge,
        Action.CHANGE,
        {"fields": ["undone_at"], "moved_back": back, "no_longer_there": gone, "restored": restored},
    )
    _tell(merge, undone=True)
    return merge
