"""The demo borough tells one consistent story, with enough families that every page shows counts."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from earlyhelp.demo.borough import build_borough
from earlyhelp.demo.directory import build_directory
from earlyhelp.demo.management.commands.seed_demo import DEFAULT_FAMILIES, DEFAULT_SEED
from earlyhelp.directory.models import Service
from earlyhelp.families.models import Household, Involvement, InvolvementRole
from earlyhelp.insights.selectors import NO_LOCALITY, insights_report
from earlyhelp.journey.models import LevelOfNeed
from earlyhelp.measures.suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED
from earlyhelp.plans.models import Meeting, PlanAction
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

# Most cells of the analyst's page must show a count of 5 or more, not "fewer than 5" or nothing.
COUNTED_SHARE = 0.75


def _seed(**options) -> None:
    call_command("seed_demo", stdout=StringIO(), **options)


def _cells() -> list[str]:
    """Every cell of the insights page, less the row of families with no locality, which the demo
    never makes (every household has one) and so rightly reads 0."""
    report = insights_report()
    cells = [report.open_episodes]
    for table in report.tables:
        for label, row in table.rows:
            if label != NO_LOCALITY:
                cells.extend(row)
    return cells


def _counted_share(cells: list[str]) -> float:
    return sum(cell != SUPPRESSED and int(cell) >= SMALL_NUMBER_THRESHOLD for cell in cells) / len(cells)


@pytest.fixture(scope="class")
def small_borough(django_db_setup, django_db_blocker):
    """A smaller borough by the same builder, for the checks that do not depend on its size: built
    once for the class in a transaction that is rolled back after its last test (each test runs in
    a savepoint inside it), because building it takes longer than all four checks together."""
    with built_once(django_db_blocker):
        _seed(families=900, seed=5)
        yield


# One worker builds the borough once for the class, rather than each worker that gets one of its tests.
@pytest.mark.xdist_group("demo_small_borough")
@pytest.mark.usefixtures("small_borough")
class TestTheSmallBorough:
    def test_every_family_known_to_services_or_in_the_journey_has_a_level_of_need(self):
        known = Household.objects.filter(Q(involvements__isnull=False) | Q(episodes__isnull=False)).distinct()
        assert known.count() > 20
        without = known.exclude(pk__in=LevelOfNeed.objects.values("household_id"))
        assert list(without.values_list("name", flat=True)) == []

    def test_no_lead_professional_starts_after_their_familys_meetings_reviews_or_overdue_actions(self):
        today = timezone.localdate()
        leads = Involvement.objects.filter(role=InvolvementRole.LEAD_PROFESSIONAL)
        overdue_reviews = Meeting.objects.filter(next_review_on__lt=today)
        assert overdue_reviews.exists()
        checked = 0
        for meeting in Meeting.objects.select_related("plan__episode"):
            household_id = meeting.plan.episode.household_id
            for lead in leads.filter(household_id=household_id, started_on__lte=meeting.next_review_on or today):
                checked += 1
                assert lead.started_on <= meeting.held_on, (lead.started_on, meeting.held_on)
            assert not leads.filter(
                household_id=household_id, ended_on__isnull=True, started_on__gt=meeting.held_on
            ).exists()
        for action in PlanAction.objects.filter(due_on__lt=today).select_related("plan__episode"):
            assert not leads.filter(
                household_id=action.plan.episode.household_id, ended_on__isnull=True, started_on__gt=action.due_on
            ).exists()
        assert checked

    def test_the_journey_fills_most_requests_step_ups_and_closures_cells_with_5_or_more(self):
        report = insights_report()
        journey_tables = [table for table in report.tables if not table.title.startswith("Families by locality")]
        cells = [cell for table in journey_tables for _, row in table.rows for cell in row]
        assert cells
        assert _counted_share(cells) >= COUNTED_SHARE, cells

    def test_most_cells_of_the_insights_page_of_a_small_demo_show_a_count_of_5_or_more(self):
        share = _counted_share(_cells())
        assert share >= COUNTED_SHARE, (share, _cells())


def test_no_directory_service_is_named_as_a_numbered_group():
    build_directory(seed=3, services=400)
    names = list(Service.objects.values_list("name", flat=True))
    assert len(names) == 400
    assert [name for name in names if "(group" in name] == []
    assert len(set(names)) == len(names)


def test_the_default_demo_borough_alone_has_5_or_more_families_at_every_level_in_every_locality():
    # The journey only adds families with a level, so the borough alone is the lower bound.
    build_borough(families=DEFAULT_FAMILIES, seed=DEFAULT_SEED)
    by_locality = insights_report().tables[0]
    assert by_locality.title.startswith("Families by locality")
    level_cells = [cell for label, row in by_locality.rows if label != NO_LOCALITY for cell in row[:-1]]
    assert len(level_cells) == 16
    assert _counted_share(level_cells) == 1, level_cells
