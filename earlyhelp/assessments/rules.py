"""Pure decisions about assessments: which state changes are allowed, what a submission needs,
and how two versions differ. No database here."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from earlyhelp.workflow import Machine

from .models import AssessmentStatus

# Transition name -> (states it may start from, state it ends in).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((AssessmentStatus.DRAFT, AssessmentStatus.RETURNED), AssessmentStatus.SUBMITTED),
    "approve": ((AssessmentStatus.SUBMITTED,), AssessmentStatus.APPROVED),
    "return": ((AssessmentStatus.SUBMITTED,), AssessmentStatus.RETURNED),
}

CANNOT = {
    "submit": "Only a draft or a returned assessment can be submitted: this one is {status}",
    "approve": "Only a submitted assessment can be approved: this one is {status}",
    "return": "Only a submitted assessment can be returned: this one is {status}",
    "edit": "This assessment is {status} and can no longer be changed: start a review to make a new version",
}

SCALE_MISSING = "Enter the scale from 0 to 10 as the family scores it"
PRACTITIONER_SCALE_MISSING = "Enter the scale from 0 to 10 as you score it"
SCALE_OUT_OF_RANGE = "The scale runs from 0 to 10"
VOICE_MISSING = "Record what {name} says, in their own words, or why their voice could not be heard"
CONSENT_MISSING = "Record whether {name} consents to information being shared"
CONSENT_DETAIL_MISSING = "Say what of {name}'s information may be shared, and with whom"
BASIS_MISSING = "Choose the lawful basis for sharing {name}'s information without consent"
NEEDS_MISSING = "Record at least one need, tagged with its outcome area, before submitting"


def _machine(name: str) -> Machine:
    starts, end = TRANSITIONS[name]
    # One machine per step, because each step's refusal is worded for that step: the words name
    # the state the version is in, which the machine fills in as {current}.
    return Machine(
        name=f"assessment {name}",
        states=AssessmentStatus,
        moves={start: frozenset({end}) for start in starts},
        cannot=CANNOT[name].format(status="{current}"),
    )


MACHINES: dict[str, Machine] = {name: _machine(name) for name in TRANSITIONS}


def transition_allowed(name: str, status: str) -> bool:
    """Whether the transition may start from this status."""
    return MACHINES[name].allows(status, TRANSITIONS[name][1])


def scale_error(value: int | None, *, missing: str) -> str | None:
    if value is None:
        return missing
    if not 0 <= value <= 10:
        return SCALE_OUT_OF_RANGE
    return None


@dataclass(frozen=True)
class SectionContent:
    """One member's section: their situation, their voice if a child, their consent if an adult."""

    about: str = ""
    child_voice: str = ""
    voice_not_heard_reason: str = ""
    consent_given: bool | None = None
    consent_what: str = ""
    consent_with_whom: str = ""
    lawful_basis: str = ""


@dataclass(frozen=True)
class SectionFacts:
    """What the completeness check needs to know of one member's section: whose it is, and what it says."""

    field_prefix: str
    name: str
    is_child: bool
    content: SectionContent


def section_errors(section: SectionFacts, *, submitting: bool) -> dict[str, str]:
    """A section's errors: consent without a basis is refused at any save; gaps only at submission."""
    errors: dict[str, str] = {}
    prefix, said = section.field_prefix, section.content
    if section.is_child:
        if submitting and not (said.child_voice.strip() or said.voice_not_heard_reason.strip()):
            errors[f"{prefix}child_voice"] = VOICE_MISSING.format(name=section.name)
        return errors
    if said.consent_given is False and not said.lawful_basis:
        errors[f"{prefix}lawful_basis"] = BASIS_MISSING.format(name=section.name)
    if submitting:
        if said.consent_given is None:
            errors[f"{prefix}consent_given"] = CONSENT_MISSING.format(name=section.name)
        elif said.consent_given and not (said.consent_what.strip() and said.consent_with_whom.strip()):
            errors[f"{prefix}consent_what"] = CONSENT_DETAIL_MISSING.format(name=section.name)
    return errors


def submission_errors(
    *, family_scale: int | None, practitioner_scale: int | None, sections: Iterable[SectionFacts], need_count: int
) -> dict[str, str]:
    """Everything a submitted assessment must hold: both scales, each child's voice, each adult's
    consent or lawful basis, and at least one need."""
    errors: dict[str, str] = {}
    if error := scale_error(family_scale, missing=SCALE_MISSING):
        errors["family_scale"] = error
    if error := scale_error(practitioner_scale, missing=PRACTITIONER_SCALE_MISSING):
        errors["practitioner_scale"] = error
    for section in sections:
        errors.update(section_errors(section, submitting=True))
    if need_count == 0:
        errors["needs"] = NEEDS_MISSING
    return errors


@dataclass(frozen=True)
class Change:
    """One difference between two versions: where, what it was, what it is now."""

    where: str
    field: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def diff_fields(where: str, before: dict[str, str], after: dict[str, str], labels: dict[str, str]) -> list[Change]:
    """Changes between two records' fields, in the order of `labels`."""
    return [
        Change(where, label, before.get(name, ""), after.get(name, ""))
        for name, label in labels.items()
        if before.get(name, "") != after.get(name, "")
    ]


def diff_keyed(
    where_of: dict[str, str],
    before: dict[str, dict[str, str]],
    after: dict[str, dict[str, str]],
    labels: dict[str, str],
) -> list[Change]:
    """Changes between two sets of records matched by key: added, removed or changed."""
    changes: list[Change] = []
    keys: Sequence[str] = [*before, *(key for key in after if key not in before)]
    for key in keys:
        changes.extend(diff_fields(where_of[key], before.get(key, {}), after.get(key, {}), labels))
    return changes
