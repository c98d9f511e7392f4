"""The social care system's feed: one CSV (or workbook) of referrals, single assessments and episodes,
loaded through the import floor (declared layout, every row checked first, all or nothing, recognised
when sent again). docs/social-care-feed.md describes every column and rule."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household, Person
from earlyhelp.imports.layouts import Check, Layout, layout_from_dict
from earlyhelp.imports.progress import Progress
from earlyhelp.imports.services import LoadOutcome, load
from earlyhelp.imports.sources import split_by_source_id
from earlyhelp.imports.validation import Problem, Report, Row

from . import models as records
from . import services

REFERRAL = "referral"
SINGLE_ASSESSMENT = "single_assessment"
RECORD_TYPES = [REFERRAL, SINGLE_ASSESSMENT, *records.CareEpisodeKind.values]
OUTCOMES = sorted({*records.ReferralOutcome.values, *records.AssessmentOutcome.values})

LAYOUT: Layout = layout_from_dict(
    {
        "name": "social_care_activity",
        "version": 1,
        "description": "Children's social care activity from the council's social care system",
        "source_id": "record_id",
        "columns": [
            {"name": "record_id", "type": "text", "role": "fact", "required": True, "max_length": 100},
            {"name": "record_type", "type": "choice", "role": "fact", "required": True, "choices": RECORD_TYPES},
            {"name": "nhs_number", "type": "nhs_number", "role": "identifying", "required": True},
            {"name": "start_date", "type": "date", "role": "fact", "required": True},
            {"name": "end_date", "type": "date", "role": "fact"},
            {
                "name": "source_agency_type",
                "type": "choice",
                "role": "fact",
                "choices": [value for value, _ in records.SOURCE_AGENCY_TYPES],
            },
            {"name": "reason", "type": "choice", "role": "fact", "choices": records.ReferralReason.values},
            {"name": "outcome", "type": "choice", "role": "fact", "choices": OUTCOMES},
            {"name": "early_help_offer", "type": "boolean", "role": "fact"},
            {"name": "referral_id", "type": "text", "role": "fact", "max_length": 100},
        ],
    }
)

CHILD_NOT_IN_REGISTER = "No one in the register has this NHS number: add the child to the register first"
REFERRAL_NOT_FOUND = "No referral with this record_id is in the file or was loaded before"
NOT_A_REFERRAL = "The record_id named here is a {found}, not a referral"
UNKNOWN_CHILD = "unknown_child"
FEED_RULE = "feed"


class FeedRefusedError(Exception):
    """Rows the layout accepted but the social care records refuse; raised inside the load, so nothing stays."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class FeedOutcome:
    """What a load of the feed did: `load`'s outcome, or the rows the social care records refused."""

    outcome: LoadOutcome
    stored: int = 0
    already_held: int = 0

    @property
    def report(self) -> Report:
        return self.outcome.report


# Which column a service's field is read from, so a refusal names the file's column.
_COLUMN_OF_FIELD = {
    "referred_on": "start_date",
    "started_on": "start_date",
    "completed_on": "end_date",
    "ended_on": "end_date",
    "kind": "record_type",
    "source_id": "record_id",
}


def _known_nhs_number(number: Any) -> bool:
    return Person.objects.filter(nhs_number=number).exists()


@dataclass(frozen=True)
class _Placing:
    """Whose a row is, in which family (None: the child's current family), and whether each record is audited."""

    person: Person
    household: Household | None = None
    audited: bool = True


def _stored_row(
    actor: User, values: dict[str, Any], placing: _Placing, referrals: dict[str, records.Referral]
) -> records.SocialCareRecord:
    kind, record_id = values["record_type"], values["record_id"]
    referral: records.Referral | None = None
    if values["referral_id"]:
        referral = referrals.get(values["referral_id"]) or _stored_referral(values["referral_id"])
    common: dict[str, Any] = {
        "actor": actor,
        "route": records.RecordRoute.FEED,
        "source_id": record_id,
        "audited": placing.audited,
    }
    person = placing.person
    offer = bool(values["early_help_offer"])
    if kind == REFERRAL:
        referrals[record_id] = services.referral_record(
            **common,
            person=person,
            household=placing.household,
            referred_on=values["start_date"],
            source_agency_type=values["source_agency_type"] or "",
            reason=values["reason"] or "",
            outcome=values["outcome"] or "",
            early_help_offer=offer,
        )
        return referrals[record_id]
    if kind == SINGLE_ASSESSMENT:
        if referral is None:
            raise ValidationError({"referral_id": REFERRAL_NOT_FOUND})
        return services.single_assessment_record(
            **common,
            referral=referral,
            started_on=values["start_date"],
            completed_on=values["end_date"],
            outcome=values["outcome"] or "",
            early_help_offer=offer,
        )
    return services.care_episode_record(
        **common,
        person=person,
        household=placing.household,
        kind=kind,
        started_on=values["start_date"],
        ended_on=values["end_date"],
        referral=referral,
    )


def _stored_referral(record_id: str) -> records.Referral | None:
    return records.Referral.objects.filter(route=records.RecordRoute.FEED, source_id=record_id).first()


def _row_order(row: Row) -> tuple[int, int]:
    # Referrals first, so the records that follow them in the same file find them.
    return (0 if row.values["record_type"] == REFERRAL else 1, row.number)


def _refusals(row: Row, error: ValidationError) -> list[Problem]:
    problems = []
    for field, messages in error.message_dict.items():
        column = _COLUMN_OF_FIELD.get(field, field)
        shown = row.values.get(column)
        for message in messages:
            problems.append(
                Problem(
                    rule=FEED_RULE,
                    message=message,
                    row=row.number,
                    column=column,
                    value=None if shown is None else str(shown),
                )
            )
    return problems


def social_care_rows_store(
    *,
    actor: User,
    rows: list[Row],
    person_of: Callable[[Row], Person],
    household_of: Callable[[Row], Household | None] | None = None,
    audited: bool = True,
) -> dict[int, records.SocialCareRecord]:
    """Store checked rows of the feed's columns (referrals first), each child found by `person_of` (in the
    family `household_of` names, else their current one); every row the social care records refuse is
    collected and raised together as FeedRefusedError, so the caller's transaction keeps nothing. Each record
    is audited unless the caller audits the whole load in the same transaction (`audited=False`). The records
    stored, by row number."""
    referrals: dict[str, records.Referral] = {}
    problems: list[Problem] = []
    stored: dict[int, records.SocialCareRecord] = {}
    for row in sorted(rows, key=_row_order):
        try:
            household = household_of(row) if household_of is not None else None
            placing = _Placing(person=person_of(row), household=household, audited=audited)
            stored[row.number] = _stored_row(actor, row.values, placing, referrals)
        except ValidationError as error:
            problems += _refusals(row, error)
    if problems:
        raise FeedRefusedError(sorted(problems, key=lambda problem: problem.row or 0))
    return stored


def _person_by_nhs_number(row: Row) -> Person:
    return Person.objects.get(nhs_number=row.values["nhs_number"])


def social_care_held_ids(ids: set[Any]) -> set[Any]:
    """Which of these record ids the feed's route already holds."""
    present: set[Any] = set()
    for model in (records.Referral, records.SingleAssessment, records.CareEpisode):
        present |= set(
            model.objects.filter(route=records.RecordRoute.FEED, source_id__in=ids).values_list("source_id", flat=True)
        )
    return present


def _store(actor: User, counts: dict[str, int]) -> Callable[[list[Row]], None]:
    def store(rows: list[Row]) -> None:
        split = split_by_source_id(rows, column="record_id", present_ids=social_care_held_ids)
        counts["already_held"] = len(split.present)
        social_care_rows_store(actor=actor, rows=split.new, person_of=_person_by_nhs_number)
        counts["stored"] = len(split.new)

    return store


def social_care_feed_load(*, actor: User, source: Path, progress: Progress | None = None) -> FeedOutcome:
    """Load the feed: every row checked against the layout, then every record against the social care
    records' rules; stored all together, or nothing. Records already held (by record_id) are left as they are."""
    counts = {"stored": 0, "already_held": 0}
    checks = {"nhs_number": [Check(rule=UNKNOWN_CHILD, message=CHILD_NOT_IN_REGISTER, passes=_known_nhs_number)]}
    try:
        outcome = load(
            actor=actor, layout=LAYOUT, source=source, store=_store(actor, counts), checks=checks, progress=progress
        )
    except FeedRefusedError as refusal:
        report = Report(file_name=source.name, layout=LAYOUT, problems=refusal.problems)
        return FeedOutcome(outcome=LoadOutcome(report=report))
    return FeedOutcome(outcome=outcome, stored=counts["stored"], already_held=counts["already_held"])
