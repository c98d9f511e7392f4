"""The database router: the indicators and the dashboards' counts read from the `replica` alias when
one is configured, casework and every write stay on `default`.

The test settings declare `replica` as a TEST MIRROR of the test database (another connection to the
same database), so these tests commit their rows (transaction=True) for the mirror to see them.
"""

from datetime import timedelta

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.families.models import Household
from earlyhelp.insights.selectors import insights_report
from earlyhelp.insights.services import insights_view
from earlyhelp.measures import selectors
from earlyhelp.measures.replica import REPLICA, reporting_database
from earlyhelp.measures.selectors import Period
from tests.factories import UserFactory
from tests.journey.factories import EpisodeFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

OPEN_EPISODES = 6  # above the small-number threshold, so the count is shown rather than suppressed


@pytest.fixture
def replica_configured(settings):
    settings.REPORTING_DATABASE = REPLICA


@pytest.fixture
def authority():
    for _ in range(OPEN_EPISODES):
        EpisodeFactory()
    SupportRequestFactory()


def _reads(call):
    """What `call` returns, and the SQL it ran on each alias."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        result = call()
    return result, [q["sql"] for q in primary.captured_queries], [q["sql"] for q in replica.captured_queries]


def _this_year() -> Period:
    today = timezone.localdate()
    return Period(start=today - timedelta(days=364), end=today)


def test_with_a_replica_configured_the_indicators_are_read_from_it(authority, replica_configured):
    found, on_primary, on_replica = _reads(lambda: selectors.indicators(_this_year()))
    assert on_replica
    assert on_primary == []
    assert found["K01"]["figures"]["requests"] == {"count": 1}


def test_with_a_replica_configured_the_dashboard_counts_are_read_from_it_and_the_audit_written_to_the_primary(
    authority, replica_configured
):
    manager = UserFactory(role="manager")
    report, on_primary, on_replica = _reads(lambda: insights_view(actor=manager))
    assert report.open_episodes == str(OPEN_EPISODES)
    assert any("journey_episode" in sql for sql in on_replica)
    assert not any("journey_episode" in sql for sql in on_primary)
    assert any(sql.startswith("INSERT") and "audit" in sql for sql in on_primary)
    assert not any(sql.startswith("INSERT") for sql in on_replica)


def test_with_a_replica_configured_casework_still_reads_the_primary(authority, replica_configured):
    _, on_primary, on_replica = _reads(lambda: list(Household.objects.all()))
    assert (len(on_primary), on_replica) == (1, [])


def test_without_a_replica_the_dashboard_counts_are_read_from_the_primary(authority, settings):
    settings.REPORTING_DATABASE = "default"
    report, on_primary, on_replica = _reads(insights_report)
    assert report.open_episodes == str(OPEN_EPISODES)
    assert on_primary
    assert on_replica == []


def test_a_replica_named_but_not_configured_falls_back_to_the_primary(settings):
    settings.REPORTING_DATABASE = "reporting-that-is-not-there"
    assert reporting_database() == "default"
