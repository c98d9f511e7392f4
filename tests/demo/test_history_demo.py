"""The demo's three years of history: imported through import_history, and enough in every year that each
indicator's chart has a trend to show."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.demo.borough import build_borough
from earlyhelp.demo.history import build_history
from earlyhelp.history.models import ImportedRow
from earlyhelp.journey.models import Episode
from earlyhelp.measures import selectors
from earlyhelp.measures.selectors import Period
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """Built once for the module (every test only reads it), in a transaction rolled back after the last."""
    with built_once(django_db_blocker):
        build_borough(families=20, seed=3)
        yield build_history(seed=3, families=150)


def _years() -> list[Period]:
    today = timezone.localdate()
    return [
        Period(start=today - timedelta(days=365 * n), end=today - timedelta(days=365 * (n - 1) + 1)) for n in (3, 2, 1)
    ]


def test_every_one_of_the_last_three_years_has_requests_assessments_closures_and_referrals(history):
    for year in _years():
        found = selectors.indicators(year)
        assert found["K01"]["figures"]["requests"]["count"] >= 5, year
        assert found["K02"]["figures"]["assessments"]["count"] >= 5, year
        assert found["K05"]["figures"]["referrals"]["count"] >= 5, year
        assert found["K13"]["figures"]["needs_met"]["denominator"] >= 5, year


def test_requests_grow_and_referrals_fall_over_the_three_years(history):
    first, _, last = (selectors.indicators(year) for year in _years())
    assert last["K01"]["figures"]["requests"]["count"] > first["K01"]["figures"]["requests"]["count"]
    assert last["K05"]["figures"]["referrals"]["count"] < first["K05"]["figures"]["referrals"]["count"]


def test_the_history_is_imported_once_audited_and_every_imported_episode_began_in_the_past(history):
    assert history.stored["families"] == 150
    assert AuditEvent.objects.filter(object_type="history_import").count() == 1
    imported = ImportedRow.objects.filter(file="episodes").values_list("record_id", flat=True)
    assert not Episode.objects.filter(pk__in=list(imported), opened_on__gte=timezone.localdate()).exists()
