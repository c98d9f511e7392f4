"""Indicators narrowed by locality, agency type and age band: a filtered figure is the matching group of the
unfiltered breakdown, and a filter an indicator does not take leaves it whole."""

from datetime import date

import pytest

from earlyhelp.measures import selectors
from earlyhelp.measures.selectors import FILTERS_HONOURED, Filters, Period
from tests.factories import LocalityFactory

from .factories import ReferralFactory, closure

pytestmark = pytest.mark.django_db

YEAR = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))


def _narrowed(**filters) -> Period:
    return Period(start=YEAR.start, end=YEAR.end, filters=Filters(**filters))


@pytest.fixture
def referrals():
    riverside, hilltop = LocalityFactory(name="Riverside"), LocalityFactory(name="Hilltop")
    toddler, teenager = {"person__date_of_birth": date(2022, 6, 1)}, {"person__date_of_birth": date(2011, 6, 1)}
    for _ in range(2):
        ReferralFactory(locality=riverside, source_agency_type="police", outcome="nfa", **toddler)
    ReferralFactory(locality=riverside, source_agency_type="health", **teenager)
    for _ in range(3):
        ReferralFactory(locality=hilltop, source_agency_type="health", outcome="nfa", **teenager)
    ReferralFactory(locality=None, source_agency_type="police", **toddler)
    return riverside, hilltop


def test_each_filter_keeps_the_matching_group_of_the_breakdown(referrals):
    whole = selectors.k05_referrals(YEAR)["breakdowns"]["referrals"]
    assert whole["locality"] == {"Riverside": {"count": 3}, "Hilltop": {"count": 3}, "unknown": {"count": 1}}
    for dimension, group in [
        ("locality", "Riverside"),
        ("locality", "unknown"),
        ("source_agency_type", "health"),
        ("age_band", "0-5"),
    ]:
        name = "agency_type" if dimension == "source_agency_type" else dimension
        narrowed = selectors.k05_referrals(_narrowed(**{name: group}))
        assert narrowed["figures"]["referrals"]["count"] == whole[dimension][group]["count"]


def test_filters_combine_and_narrow_shares_too(referrals):
    k07 = selectors.k07_referrals_nfa(_narrowed(locality="Riverside", agency_type="police"))
    assert k07["figures"]["no_further_action"] == {"numerator": 2, "denominator": 2, "share": 1.0}
    k07 = selectors.k07_referrals_nfa(_narrowed(age_band="11-15"))
    assert k07["figures"]["no_further_action"] == {"numerator": 3, "denominator": 4, "share": 0.75}


def test_a_filter_an_indicator_does_not_take_leaves_it_whole():
    riverside = LocalityFactory(name="Riverside")
    for day in (date(2025, 5, 1), date(2025, 6, 1)):
        closure(closed_on=day, household=None)
    assert "agency_type" not in FILTERS_HONOURED["K13"]
    whole = selectors.k13_needs_met(YEAR)["figures"]["needs_met"]
    assert selectors.k13_needs_met(_narrowed(agency_type="health"))["figures"]["needs_met"] == whole
    assert whole["denominator"] == 2
    assert selectors.k13_needs_met(_narrowed(locality=riverside.name))["figures"]["needs_met"]["denominator"] == 0


def test_every_indicator_is_computed_with_every_filter_at_once(referrals):
    found = selectors.indicators(_narrowed(locality="Riverside", agency_type="police", age_band="0-5"))
    assert sorted(found) == sorted(FILTERS_HONOURED)
    assert found["K05"]["figures"]["referrals"]["count"] == 2
