"""The cost of demand worked out by hand: each kind of demand counted in the baseline and the comparison
period, the baseline scaled to the comparison's length, priced at the configured unit costs."""

import dataclasses
from datetime import date

import pytest

from earlyhelp.measures import costs
from earlyhelp.measures.models import CareEpisodeKind
from earlyhelp.measures.selectors import Period
from earlyhelp.measures.suppression import SUPPRESSED
from tests.assessments.factories import EpisodeFactory

from .factories import CareEpisodeFactory, ReferralFactory, SingleAssessmentFactory

pytestmark = pytest.mark.django_db

BASELINE = Period(start=date(2024, 4, 1), end=date(2025, 3, 31))
COMPARISON = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))


@pytest.fixture
def prices(settings):
    """Round prices: a year looked after at 3,650 is 10 a day."""
    unit_costs = dataclasses.replace(
        settings.EARLY_HELP.measures.unit_costs,
        referral=100,
        single_assessment=200,
        child_in_need_plan=300,
        child_protection_plan=1000,
        year_looked_after=3650,
        early_help_episode=50,
    )
    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP, measures=dataclasses.replace(settings.EARLY_HELP.measures, unit_costs=unit_costs)
    )


def _lines(estimate: costs.CostEstimate) -> dict[str, costs.CostLine]:
    return {line.demand.key: line for line in estimate.lines}


def test_the_change_in_each_kind_of_demand_is_priced_at_its_unit_cost(prices):
    # Referrals: three in the baseline (on its first and last days too), one in the comparison (its first day).
    first, _mid, _last = (
        ReferralFactory(referred_on=day) for day in (date(2024, 4, 1), date(2024, 9, 1), date(2025, 3, 31))
    )
    ReferralFactory(referred_on=date(2025, 4, 1))
    # Single assessments by the day they started: two, then four.
    for day in (
        date(2024, 5, 1),
        date(2024, 6, 1),
        date(2025, 5, 1),
        date(2025, 6, 1),
        date(2025, 7, 1),
        date(2026, 3, 31),
    ):
        SingleAssessmentFactory(referral=first, person=first.person, started_on=day)
    # Plans by the day they started: one child in need plan then none; two child protection plans then one.
    CareEpisodeFactory(kind=CareEpisodeKind.CHILD_IN_NEED, started_on=date(2024, 10, 1), ended_on=date(2025, 6, 1))
    for day in (date(2024, 7, 1), date(2025, 1, 1), date(2025, 8, 1)):
        CareEpisodeFactory(kind=CareEpisodeKind.CHILD_PROTECTION, started_on=day)
    # Looked after: 30 days of April 2024 (from an episode begun before the baseline) and all of March 2025,
    # 61 days in the baseline; the second child stays looked after through the comparison, 365 days.
    CareEpisodeFactory(kind=CareEpisodeKind.LOOKED_AFTER, started_on=date(2024, 1, 1), ended_on=date(2024, 4, 30))
    CareEpisodeFactory(kind=CareEpisodeKind.LOOKED_AFTER, started_on=date(2025, 3, 1))
    # Episodes of early help opened: two, then four.
    for day in (
        date(2024, 4, 2),
        date(2025, 2, 2),
        date(2025, 4, 2),
        date(2025, 5, 2),
        date(2025, 6, 2),
        date(2026, 3, 2),
    ):
        EpisodeFactory(opened_on=day)

    estimate = costs.cost_of_demand(baseline=BASELINE, comparison=COMPARISON)

    lines = _lines(estimate)
    assert estimate.scale == 1.0
    assert (lines["referral"].baseline, lines["referral"].comparison, lines["referral"].cost_change) == (3, 1, -200)
    assert (lines["single_assessment"].change, lines["single_assessment"].cost_change) == (2, 400)
    assert lines["child_in_need_plan"].cost_change == -300
    assert lines["child_protection_plan"].cost_change == -1000
    assert round(lines["year_looked_after"].baseline * 365) == 61
    assert lines["year_looked_after"].comparison == 1.0
    # 304 more days looked after at 10 a day.
    assert lines["year_looked_after"].cost_change == 3040
    assert lines["early_help_episode"].cost_change == 100
    assert estimate.social_care_change == -200 + 400 - 300 - 1000 + 3040
    assert estimate.early_help_change == 100
    assert estimate.net_change == 2040


def test_a_baseline_of_another_length_is_scaled_to_the_comparison_s_length(settings):
    for day in range(1, 6):
        ReferralFactory(referred_on=date(2024, 5, day))
    for day in range(1, 4):
        ReferralFactory(referred_on=date(2025, 5, day))
    half_year = Period(start=date(2025, 4, 1), end=date(2025, 9, 30))

    estimate = costs.cost_of_demand(baseline=BASELINE, comparison=half_year)

    referral = _lines(estimate)["referral"]
    # 183 days against 365: five referrals in the baseline are 5 × 183 / 365 = 2.5068 in half a year.
    assert estimate.scale == round(183 / 365, 4)
    assert referral.baseline_scaled == pytest.approx(5 * 183 / 365)
    unit = settings.EARLY_HELP.measures.unit_costs.referral
    assert referral.cost_change == round((3 - 5 * 183 / 365) * unit)


def test_published_a_line_counting_1_to_4_in_either_period_hides_its_figures_and_the_totals_it_is_in(prices):
    for day in range(1, 6):
        ReferralFactory(referred_on=date(2024, 5, day))
    for day in range(1, 4):
        ReferralFactory(referred_on=date(2025, 5, day))
    for day in range(1, 7):
        EpisodeFactory(opened_on=date(2025, 5, day))
    for day in range(1, 6):
        EpisodeFactory(opened_on=date(2024, 5, day))

    published = costs.cost_published(costs.cost_of_demand(baseline=BASELINE, comparison=COMPARISON))

    referral = next(line for line in published["lines"] if line["key"] == "referral")
    assert {referral[name] for name in ("baseline", "comparison", "change", "cost_change")} == {SUPPRESSED}
    assert referral["unit_cost"] == 100
    episodes = next(line for line in published["lines"] if line["key"] == "early_help_episode")
    assert (episodes["baseline"], episodes["comparison"], episodes["cost_change"]) == (5, 6, 50)
    assert published["social_care_change"] == SUPPRESSED
    assert published["net_change"] == SUPPRESSED
    assert published["early_help_change"] == 50
    assert published["estimate"] is True
    assert len(published["assumptions"]) == len(costs.ASSUMPTIONS)


def test_the_default_periods_are_the_last_whole_council_year_and_the_one_before():
    baseline, comparison = costs.default_periods(date(2026, 12, 7))
    assert comparison == Period(start=date(2025, 4, 1), end=date(2026, 3, 31))
    assert baseline == Period(start=date(2024, 4, 1), end=date(2025, 3, 31))
    assert costs.default_periods(date(2026, 4, 1))[1] == comparison
