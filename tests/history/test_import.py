"""manage.py import_history: the example bundle in docs/examples/history imports and the indicators count
it; a broken bundle is refused with its report and stores nothing; the same bundle twice changes nothing."""

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.accounts.models import AgencyKind
from earlyhelp.assessments.models import AssessmentVersion
from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import Household, Membership, Person
from earlyhelp.history import rules
from earlyhelp.history.models import ImportedRow
from earlyhelp.history.services import CHANGED, history_import
from earlyhelp.imports import messages
from earlyhelp.journey.models import Episode, EpisodeClosure, StepUp, SupportRequest
from earlyhelp.measures import selectors
from earlyhelp.measures.models import CareEpisode, Referral
from earlyhelp.measures.selectors import Period
from tests.factories import AgencyFactory, LocalityFactory, PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "history"
YEAR = Period(start=date(2024, 4, 1), end=date(2025, 3, 31))
# Every model a bundle writes to: a refused bundle must leave each as it was.
STORED = (
    Person,
    Household,
    Membership,
    Episode,
    SupportRequest,
    AssessmentVersion,
    EpisodeClosure,
    StepUp,
    Referral,
    CareEpisode,
)


@pytest.fixture
def partnership():
    """The localities and agencies the example bundle names, as the council set them up."""
    LocalityFactory(name="North")
    LocalityFactory(name="South")
    AgencyFactory(name="Northfield Primary School", kind=AgencyKind.EDUCATION)
    AgencyFactory(name="Hartley Early Help Team", kind=AgencyKind.LOCAL_AUTHORITY)
    TeamFactory(name="MASH", agency=AgencyFactory(name="Hartley Children's Social Care", kind=AgencyKind.SOCIAL_CARE))


@pytest.fixture
def importer():
    return UserFactory(username="migration")


@pytest.fixture
def bundle(tmp_path):
    directory = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, directory)
    return directory


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*STORED, ImportedRow, AuditEvent)}


def _edit(directory: Path, name: str, row: int, **values: str) -> None:
    """Change cells of one row (numbered as a spreadsheet counts: the header is row 1)."""
    path = directory / name
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[row - 2].update(values)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _problems(outcome) -> list[tuple[str, int | None, str, str]]:
    return [(name, p.row, p.column, p.rule) for name, p in outcome.report.sorted_problems()]


def test_the_example_bundle_imports_and_the_indicators_count_it(partnership, importer, bundle):
    outcome = history_import(actor=importer, directory=bundle)

    assert outcome.ok, outcome.report.to_csv()
    assert outcome.stored["persons"] == 5
    found = selectors.indicators(YEAR, as_of=date(2025, 6, 30))
    # K01: R1 to R4 were received in the year: two from the school, one from the family, one from the council.
    assert found["K01"]["figures"]["requests"] == {"count": 4}
    assert found["K01"]["breakdowns"]["requests"]["source_agency_type"] == {
        "education": {"count": 2},
        "family": {"count": 1},
        "local_authority": {"count": 1},
    }
    # K02: A1 (E1, led by the school) and A2 (E2, led by the council) are the first approved versions of
    # their episodes; A3 is E1's second approval, A4 was returned. One of the two was led by a partner.
    assert found["K02"]["figures"]["partner_led"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    # K03: A1 took 40 days from R1 (1 May to 10 June), A2 61 days from R2 (20 August to 20 October).
    assert found["K03"]["figures"]["within_target"]["numerator"] == 1
    # K04: four versions were quality-assured in the year, three approved.
    assert found["K04"]["figures"]["good_or_better"] == {"numerator": 3, "denominator": 4, "share": 0.75}
    # K05 and K07: SC1 and SC4 were referrals in the year; SC4 ended in no further action.
    assert found["K05"]["figures"]["referrals"]["count"] == 2
    assert found["K07"]["figures"]["no_further_action"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    # K11 and K13: C1 closed with outcomes achieved, C2 stepped up (S1 was sent on 11 March).
    assert found["K11"]["figures"]["step_ups"] == {"count": 1}
    assert found["K13"]["figures"]["needs_met"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    # K15: Kofi's child protection plan (SC3) was open on 31 March.
    assert found["K15"]["figures"]["child_protection"]["count"] == 1
    # K18: E3, opened by the step down D1, is the one episode open at the year's end.
    assert found["K18"]["figures"]["open_episodes"] == {"count": 1}


def test_a_person_already_in_the_register_is_linked_by_nhs_number_not_made_again(partnership, importer, bundle):
    known = PersonFactory(nhs_number="9990000018", given_name="Yusuf", family_name="Khan")

    outcome = history_import(actor=importer, directory=bundle)

    assert outcome.ok, outcome.report.to_csv()
    assert outcome.linked_persons == 1
    assert Person.objects.count() == 5
    assert Membership.objects.filter(person=known).count() == 1
    assert Referral.objects.get(source_id="SC4").person == known


def test_the_import_is_audited_once_with_counts_and_no_personal_data(partnership, importer, bundle):
    history_import(actor=importer, directory=bundle)

    event = AuditEvent.objects.get(object_type="history_import")
    assert event.details["stored"]["episodes"] == 3
    assert "Khan" not in str(event.details)


def test_importing_the_same_bundle_twice_changes_nothing(partnership, importer, bundle):
    history_import(actor=importer, directory=bundle)
    before = _counts()

    again = history_import(actor=importer, directory=bundle)

    assert again.ok
    assert again.stored == {}
    assert again.unchanged == sum(1 for path in bundle.glob("*.csv") for _ in path.open()) - 12
    assert _counts() == before


def test_a_later_bundle_may_name_rows_an_earlier_import_holds(partnership, importer, bundle):
    history_import(actor=importer, directory=bundle)
    (bundle / "closures.csv").write_text(
        "closure_id,episode_id,closed_on,reason,detail\nC3,E3,2025-04-30,outcomes_achieved,\n", encoding="utf-8"
    )
    (bundle / "need_outcomes.csv").write_text(
        "need_outcome_id,closure_id,outcome_area,need,outcome\n", encoding="utf-8"
    )

    outcome = history_import(actor=importer, directory=bundle)

    assert outcome.ok, outcome.report.to_csv()
    assert outcome.stored == {"closures": 1}
    episode = Episode.objects.get(opened_on=date(2025, 1, 27))
    assert (episode.status, episode.closed_on) == ("closed", date(2025, 4, 30))


def test_a_row_changed_since_it_was_imported_refuses_the_bundle(partnership, importer, bundle):
    history_import(actor=importer, directory=bundle)
    before = _counts()
    _edit(bundle, "episodes.csv", 3, level="4")

    outcome = history_import(actor=importer, directory=bundle)

    assert _problems(outcome) == [("episodes.csv", 3, "episode_id", "changed_since_import")]
    assert outcome.report.sorted_problems()[0][1].message == CHANGED
    assert _counts() == before


def _refused(importer, bundle):
    before = _counts()
    outcome = history_import(actor=importer, directory=bundle)
    assert not outcome.ok
    assert _counts() == before
    return outcome


def test_a_missing_file_refuses_the_bundle_and_stores_nothing(partnership, importer, bundle):
    (bundle / "feedback.csv").unlink()

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [("feedback.csv", None, "", "missing_file")]
    assert outcome.report.problems[0][1].message == messages.BUNDLE_FILE_MISSING


def test_a_bad_date_refuses_the_bundle_and_stores_nothing(partnership, importer, bundle):
    _edit(bundle, "episodes.csv", 3, opened_on="31/02/2024")

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [("episodes.csv", 3, "opened_on", "date")]


def test_a_dangling_id_refuses_the_bundle_and_stores_nothing(partnership, importer, bundle):
    _edit(bundle, "memberships.csv", 4, person_id="P99")

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [("memberships.csv", 4, "person_id", "unknown_id")]
    problem = outcome.report.problems[0][1]
    assert problem.value == "P99"
    assert problem.message == messages.BUNDLE_ID_UNKNOWN.format(file="persons.csv", column="person_id")


def test_a_duplicate_source_id_refuses_the_bundle_and_stores_nothing(partnership, importer, bundle):
    _edit(bundle, "requests.csv", 4, request_id="R1")

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [("requests.csv", 4, "request_id", "source_id_repeated")]


def test_rules_across_files_are_checked_before_anything_is_stored(partnership, importer, bundle):
    _edit(bundle, "closures.csv", 2, closed_on="2024-05-01")
    _edit(bundle, "requests.csv", 3, source_agency="Northfield Primary School")

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [
        ("requests.csv", 3, "source_agency", rules.RULE_BLANK),
        ("closures.csv", 2, "closed_on", rules.RULE_ORDER),
    ]


def test_a_row_social_care_refuses_at_storing_rolls_back_the_whole_bundle(partnership, importer, bundle):
    # The single assessment starts before the referral it follows: the social care records' own rule.
    _edit(bundle, "social_care.csv", 3, start_date="2025-03-01")

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [("social_care.csv", 3, "start_date", "feed")]


def test_an_agency_the_system_does_not_have_is_refused(partnership, importer, bundle):
    _edit(bundle, "episodes.csv", 2, lead_agency="Nowhere Agency")

    outcome = _refused(importer, bundle)

    assert _problems(outcome) == [("episodes.csv", 2, "lead_agency", "unknown_agency")]


def test_the_command_prints_and_writes_the_report_of_a_refused_bundle(partnership, importer, bundle, tmp_path):
    _edit(bundle, "memberships.csv", 4, person_id="P99")
    report = tmp_path / "report.csv"

    with pytest.raises(CommandError, match="1 problems"):
        call_command("import_history", str(bundle), "--user", "migration", "--report", str(report))

    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(r["file"], r["row"], r["column"], r["rule"]) for r in rows] == [
        ("memberships.csv", "4", "person_id", "unknown_id")
    ]


def test_the_command_imports_then_says_nothing_is_new(partnership, importer, bundle, capsys):
    call_command("import_history", str(bundle), "--user", "migration")
    call_command("import_history", str(bundle), "--user", "migration")

    out = capsys.readouterr().out
    assert "Imported 5 persons" in out
    assert "Nothing new" in out
