"""manage.py import_social_care: the feed is checked in full first, stored all together or not at all,
and recognised when it comes again."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.imports.messages import VALUE_NOT_DATE
from earlyhelp.imports.models import ImportedFile
from earlyhelp.measures import feed, services
from earlyhelp.measures.models import CareEpisode, Referral, SingleAssessment
from tests.factories import ChildFactory, HouseholdFactory, LocalityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "record_id",
    "record_type",
    "nhs_number",
    "start_date",
    "end_date",
    "source_agency_type",
    "reason",
    "outcome",
    "early_help_offer",
    "referral_id",
]


@pytest.fixture
def loader():
    return UserFactory(username="analyst")


@pytest.fixture
def child():
    household = HouseholdFactory(locality=LocalityFactory(name="South"))
    return MembershipFactory(household=household).person


def _row(record_id: str, record_type: str, nhs_number: str, start: str, **values: str) -> dict[str, str]:
    return {"record_id": record_id, "record_type": record_type, "nhs_number": nhs_number, "start_date": start, **values}


def _file(tmp_path: Path, rows: list[dict[str, str]], name: str = "feed.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _good_rows(nhs_number: str) -> list[dict[str, str]]:
    # The assessment comes before its referral in the file: a referral is stored first wherever it is.
    return [
        _row(
            "A1",
            "single_assessment",
            nhs_number,
            "2025-05-02",
            end_date="2025-06-10",
            outcome="nfa",
            early_help_offer="yes",
            referral_id="R1",
        ),
        _row(
            "R1",
            "referral",
            nhs_number,
            "2025-05-01",
            source_agency_type="police",
            reason="family_dysfunction",
            outcome="single_assessment",
        ),
        _row("E1", "child_in_need", nhs_number, "2025-07-01"),
    ]


def _load(path: Path, **options) -> str:
    out = io.StringIO()
    call_command("import_social_care", str(path), user="analyst", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def _stored() -> tuple[int, int, int, int]:
    return (
        Referral.objects.count(),
        SingleAssessment.objects.count(),
        CareEpisode.objects.count(),
        ImportedFile.objects.count(),
    )


def test_a_good_feed_stores_every_record_linked_and_placed_in_the_childs_locality(tmp_path, loader, child):
    output = _load(_file(tmp_path, _good_rows(child.nhs_number)))

    assert "3 new records stored; 0 already held" in output
    referral = Referral.objects.get(source_id="R1")
    assert (referral.person, referral.referred_on, referral.locality.name) == (child, date(2025, 5, 1), "South")
    assessment = SingleAssessment.objects.get(source_id="A1")
    assert (assessment.referral, assessment.completed_on, assessment.early_help_offer) == (
        referral,
        date(2025, 6, 10),
        True,
    )
    assert CareEpisode.objects.get(source_id="E1").kind == "child_in_need"


def test_the_same_file_loaded_again_changes_nothing(tmp_path, loader, child):
    path = _file(tmp_path, _good_rows(child.nhs_number))
    _load(path)
    before = _stored()

    output = _load(_file(tmp_path, _good_rows(child.nhs_number), name="renamed.csv"))

    assert "already loaded" in output
    assert _stored() == before


def test_a_new_file_repeating_records_already_held_stores_only_the_new_ones(tmp_path, loader, child):
    _load(_file(tmp_path, _good_rows(child.nhs_number)))
    rows = [
        *_good_rows(child.nhs_number),
        _row(
            "R2",
            "referral",
            child.nhs_number,
            "2025-09-01",
            source_agency_type="education",
            reason="low_income",
            outcome="nfa",
        ),
    ]

    output = _load(_file(tmp_path, rows, name="next.csv"))

    assert "1 new records stored; 3 already held" in output
    assert Referral.objects.count() == 2


def _refused(tmp_path: Path, rows: list[dict[str, str]]) -> tuple[set[tuple[str, str, str]], str]:
    """Load a feed that must be refused: check nothing was stored, and give (row, column, message) of each problem."""
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        _load(_file(tmp_path, rows), report=report)
    assert _stored() == (0, 0, 0, 0)
    text = report.read_text(encoding="utf-8")
    return {(p["row"], p["column"], p["message"]) for p in csv.DictReader(io.StringIO(text))}, text


def test_a_bad_feed_is_refused_with_a_row_level_report_and_stores_nothing(tmp_path, loader, child):
    stranger = ChildFactory()
    stranger_number = stranger.nhs_number
    stranger.delete()
    unknown = _row("R3", "referral", stranger_number, "2025-05-01", source_agency_type="police", outcome="nfa")
    rows = [*_good_rows(child.nhs_number), unknown, _row("E2", "looked_after", child.nhs_number, "2025-13-01")]

    found, text = _refused(tmp_path, rows)

    assert ("5", "nhs_number", feed.CHILD_NOT_IN_REGISTER) in found
    assert ("6", "start_date", VALUE_NOT_DATE.format(example="2025-03-31 or 31/03/2025")) in found
    assert stranger_number not in text


def test_records_the_layout_accepts_but_the_rules_refuse_are_reported_by_row_and_column(tmp_path, loader, child):
    number = child.nhs_number
    wrong_outcome = _row(
        "R2",
        "referral",
        number,
        "2025-05-01",
        source_agency_type="police",
        reason="low_income",
        outcome="other",
        early_help_offer="yes",
    )
    rows = [
        *_good_rows(number),
        _row("E2", "looked_after", number, "2025-07-01", end_date="2025-06-30"),
        _row("A2", "single_assessment", number, "2025-07-01", referral_id="R9"),
        _row("A3", "single_assessment", number, "2025-04-30", referral_id="R1"),
        wrong_outcome,
        _row(
            "R3",
            "referral",
            number,
            "2025-05-01",
            source_agency_type="police",
            reason="low_income",
            outcome="child_in_need",
        ),
    ]

    found, _ = _refused(tmp_path, rows)

    assert found == {
        ("5", "end_date", services.ENDED_BEFORE_STARTED),
        ("6", "referral_id", feed.REFERRAL_NOT_FOUND),
        ("7", "start_date", services.STARTED_BEFORE_REFERRAL.format(date="2025-05-01")),
        ("8", "early_help_offer", services.OFFER_ONLY_AFTER_NFA),
        ("9", "outcome", services.REFERRAL_OUTCOME_UNKNOWN.format(choices="nfa, single_assessment, other")),
    }


def test_the_feed_needs_a_known_user_to_load_it(tmp_path, child):
    with pytest.raises(CommandError, match="No active user"):
        _load(_file(tmp_path, _good_rows(child.nhs_number)))
