"""The indicators' pure rules: twelve months, age bands, the council's quarters, publication."""

from datetime import date

import pytest

from earlyhelp.measures import rules
from earlyhelp.measures.suppression import SUPPRESSED


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2025, 4, 1), -1, date(2024, 4, 1)),
        (date(2024, 2, 29), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), -1, date(2023, 2, 28)),
        (date(2025, 2, 28), -1, date(2024, 2, 28)),
    ],
)
def test_twelve_months_after_is_the_same_day_a_year_on_with_29_february_as_the_28th(day, years, expected):
    assert rules.years_after(day, years) == expected


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2020, 3, 31), "6-10"),  # sixth birthday on the day
        (date(2020, 4, 1), "0-5"),
        (date(2015, 3, 31), "11-15"),
        (date(2015, 4, 1), "6-10"),
        (date(2010, 3, 31), "16+"),
        (date(2010, 4, 1), "11-15"),
        (date(2026, 4, 1), rules.UNKNOWN),  # not born yet
        (None, rules.UNKNOWN),
    ],
)
def test_the_age_band_is_the_age_on_the_periods_last_day(born, band):
    assert rules.age_band(born, date(2026, 3, 31)) == band


def test_a_birthday_on_29_february_comes_on_1_march_in_other_years():
    assert rules.age_band(date(2020, 2, 29), date(2026, 2, 28)) == "0-5"
    assert rules.age_band(date(2020, 2, 29), date(2026, 3, 1)) == "6-10"


@pytest.mark.parametrize(
    ("day", "quarter", "year"),
    [
        (date(2025, 4, 1), "2025-26 Q1", "2025-26"),
        (date(2025, 12, 31), "2025-26 Q3", "2025-26"),
        (date(2026, 3, 31), "2025-26 Q4", "2025-26"),
        (date(1999, 4, 1), "1999-00 Q1", "1999-00"),
    ],
)
def test_quarters_and_years_are_the_councils_from_april(day, quarter, year):
    assert (rules.financial_quarter(day), rules.financial_year(day)) == (quarter, year)


def test_months_add_up_into_quarters_and_years_counts_and_shares_alike():
    folded = rules.by_month_folded(
        {"2025-04": rules.share(1, 4), "2026-01": rules.share(3, 4), "2025-05": rules.share(0, 2)}
    )

    assert folded["quarter"] == {"2025-26 Q1": rules.share(1, 6), "2025-26 Q4": rules.share(3, 4)}
    assert folded["year"] == {"2025-26": rules.share(4, 10)}


@pytest.mark.parametrize(
    ("figure", "published"),
    [
        (rules.count(0), {"count": 0}),
        (rules.count(4), {"count": SUPPRESSED}),
        (rules.count(5), {"count": 5}),
        (rules.share(3, 40), {"numerator": SUPPRESSED, "denominator": 40, "share": SUPPRESSED}),
        (rules.share(0, 3), {"numerator": 0, "denominator": SUPPRESSED, "share": SUPPRESSED}),
        (rules.share(5, 10), {"numerator": 5, "denominator": 10, "share": 0.5}),
        (rules.rate(2, 36_700), {"count": SUPPRESSED, "population": 36_700, "per_10000": SUPPRESSED}),
        (rules.median_days([3, 4, 5]), {"count": SUPPRESSED, "median_days": SUPPRESSED}),
        (rules.median_days([1, 1, 2, 2, 3]), {"count": 5, "median_days": 2}),
    ],
)
def test_a_published_figure_hides_counts_of_1_to_4_and_every_value_worked_out_from_them(figure, published):
    assert rules.figure_published(figure) == published


def test_a_step_ups_reasons_count_under_one_category_of_need_in_a_fixed_order():
    assert rules.referral_reason(["escalating_need", "domestic_abuse"]) == "family_dysfunction"
    assert rules.referral_reason(["domestic_abuse", "cse"]) == "abuse_or_neglect"
    assert rules.referral_reason([]) == "acute_stress"
