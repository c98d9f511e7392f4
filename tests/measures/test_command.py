"""manage.py indicators: every indicator for the period, published (counts of 1 to 4 as the marker)."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.measures import selectors
from earlyhelp.measures.management.commands.indicators import DATE_INVALID, PERIOD_BACKWARDS
from earlyhelp.measures.models import ReferralOutcome
from earlyhelp.measures.selectors import Period
from earlyhelp.measures.suppression import SUPPRESSED

from .factories import ReferralFactory

pytestmark = pytest.mark.django_db


def _run(*arguments: str) -> str:
    out = io.StringIO()
    call_command("indicators", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def history():
    """Seven referrals in April 2025, three of them ending in no further action, all from the police."""
    for day in range(1, 8):
        outcome = ReferralOutcome.NO_FURTHER_ACTION if day <= 3 else ReferralOutcome.SINGLE_ASSESSMENT
        ReferralFactory(referred_on=date(2025, 4, day), outcome=outcome)


def test_the_json_is_keyed_by_indicator_id_with_small_counts_and_what_they_give_away_suppressed(history):
    found = json.loads(_run("--from", "2025-04-01", "--to", "2025-04-30", "--as-of", "2026-06-30"))

    assert list(found) == [f"K{number:02d}" for number in range(1, 20)]
    assert found["K05"]["figures"]["referrals"] == {"count": 7, "population": 36_700, "per_10000": 1.9}
    # 3 of 7 ended in no further action: the 3 and the share that gives it away are both hidden.
    assert found["K07"]["figures"]["no_further_action"] == {
        "numerator": SUPPRESSED,
        "denominator": 7,
        "share": SUPPRESSED,
    }
    assert found["K05"]["breakdowns"]["referrals"]["source_agency_type"] == {"police": {"count": 7}}
    assert found["K01"]["figures"]["requests"] == {"count": 0}
    assert found["K14"]["as_of"] == "2026-06-30"


def test_the_raw_computation_is_not_suppressed(history):
    k07 = selectors.k07_referrals_nfa(Period(start=date(2025, 4, 1), end=date(2025, 4, 30)))

    assert k07["figures"]["no_further_action"] == {"numerator": 3, "denominator": 7, "share": 0.4286}


def test_the_csv_has_a_row_for_every_published_value(history):
    rows = list(csv.reader(io.StringIO(_run("--from", "2025-04-01", "--to", "2025-04-30", "--format", "csv"))))

    assert rows[0] == ["indicator", "figure", "dimension", "group", "measure", "value"]
    assert ["K05", "referrals", "", "", "per_10000", "1.9"] in rows
    assert ["K05", "referrals", "source_agency_type", "police", "count", "7"] in rows
    assert ["K07", "no_further_action", "", "", "share", SUPPRESSED] in rows
    assert ["K05", "referrals", "month", "2025-04", "count", "7"] in rows
    assert {row[0] for row in rows[1:]} == {f"K{number:02d}" for number in range(1, 20)}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "2025-13-01", "--to", "2025-12-31"], DATE_INVALID.format(option="from")),
        (["--from", "2025-04-01", "--to", "2025-03-31"], PERIOD_BACKWARDS),
    ],
)
def test_a_bad_period_is_refused_with_what_to_write(arguments, message):
    with pytest.raises(CommandError) as refusal:
        _run(*arguments)
    assert str(refusal.value) == message
