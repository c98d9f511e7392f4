"""One way to move a workflow: a state machine's allowed moves, and the transition that applies one.

Every workflow of the product (requests, episodes, step ups and downs, assessments, plan actions)
is a `Machine`: its states are a model's TextChoices, its moves map each state to the states it may
go to, and each refusal is worded for the person who tried. `transition` is the only code that
changes a workflow's state: inside the caller's transaction it re-reads the record under a row
lock, checks the move, sets the state and any other fields, saves, writes the audit event and,
where the workflow keeps one, the family's chronology entry. A refused move raises `RefusedError`
(a 409 on the API, the form's error on a page) and changes nothing.

docs/decisions/0005-state-machines.md says why this is written here rather than taken from
django-fsm-2.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models, transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.web.errors import RefusedError

__all__ = ["Machine", "RefusedError", "audit_change", "transition"]

Record = TypeVar("Record", bound=models.Model)


@dataclass(frozen=True)
class Machine:
    """A workflow's states and moves, with the words for a refused move.

    `moves` maps each state to the states it may move to. `refusals` words a refusal by the state the
    record is in; `cannot` words any other refused move, with `{current}` and `{target}` (the states'
    labels, lower case) to fill in."""

    name: str
    states: type[models.TextChoices]
    moves: Mapping[str, frozenset[str]]
    refusals: Mapping[str, str] = field(default_factory=dict)
    cannot: str = "A {name} that is {current} cannot become {target}"
    field: str = "status"

    def __post_init__(self) -> None:
        known = set(self.states.values)
        unknown = (set(self.moves) | {s for targets in self.moves.values() for s in targets}) - known
        if unknown:
            raise ValueError(f"{self.name}: moves name unknown states {sorted(unknown)}")

    def allows(self, current: str, target: str) -> bool:
        return target in self.moves.get(current, frozenset())

    def refusal(self, current: str, target: str) -> str | None:
        """None if the move is allowed; otherwise why not, in words a person can act on."""
        if self.allows(current, target):
            return None
        if current in self.refusals:
            return self.refusals[current]
        return self.cannot.format(
            name=self.name.replace("_", " "), current=self._label(current), target=self._label(target)
        )

    def _label(self, state: str) -> str:
        return str(self.states(state).label).lower() if state in self.states.values else state

    def check(self, current: str, target: str) -> None:
        """Raise `RefusedError` unless the move is allowed."""
        reason = self.refusal(current, target)
        if reason:
            raise RefusedError(reason)


def transition(
    *,
    actor: Any,
    record: Record,
    machine: Machine,
    to: str,
    household_id: Any = None,
    person_id: Any = None,
    changes: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    chronicle: Callable[[Record], object] | None = None,
    object_type: str = "",
) -> Record:
    """Move `record` to state `to` by `machine`'s rules, with `changes` to other fields, and record it.

    Runs in the caller's transaction (one is opened if there is none). The record is re-read under
    a row lock, so two people cannot move it at once; the caller's object is left as it was and
    the locked, saved copy is returned. `object_type` names the record in the audit trail where its
    events were named before this helper existed (default: the model's name)."""
    with transaction.atomic():
        locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
        current = getattr(locked, machine.field)
        machine.check(current, to)
        setattr(locked, machine.field, to)
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
        locked.save(update_fields=[machine.field, *(changes or {})])
        audit_record(
            actor=actor,
            action=Action.CHANGE,
            object_type=object_type or _object_type(locked),
            object_id=locked.pk,
            household_id=household_id,
            person_id=person_id,
            details={"from": current, "to": to, **(details or {})},
        )
        if chronicle is not None:
            chronicle(locked)
        return locked


def _object_type(record: models.Model) -> str:
    # The model's name, as `_meta.model_name` gives it; that attribute is typed optional because an
    # abstract model may lack one, but a saved record's label always ends with it.
    return record._meta.label_lower.rpartition(".")[2]


def audit_change(
    *,
    actor: Any,
    record: models.Model,
    action: str = Action.CHANGE,
    household_id: Any = None,
    person_id: Any = None,
    object_type: str = "",
    **details: Any,
) -> None:
    """The one audit helper for a change to a record: its type and id, the family it concerns, and
    structured details (field names, ids, counts; never free text). In the caller's transaction."""
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type or _object_type(record),
        object_id=record.pk,
        household_id=household_id,
        person_id=person_id,
        details=details,
    )
