"""The directory's pure rules: ages, days, distances, postcode areas, staleness and plain words."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.directory import rules

ages = st.one_of(st.none(), st.decimals(min_value=0, max_value=25, places=2))


@given(age=st.integers(min_value=0, max_value=25), minimum=ages, maximum=ages)
def test_an_age_fits_exactly_when_it_is_within_both_limits(age, minimum, maximum):
    expected = (minimum is None or minimum <= age) and (maximum is None or age <= maximum)
    assert rules.age_fits(age, minimum, maximum) is expected


@given(minimum=ages, maximum=ages)
def test_age_ranges_out_of_order_are_refused(minimum, maximum):
    errors = rules.age_range_errors(minimum, maximum)
    assert bool(errors) == (minimum is not None and maximum is not None and minimum > maximum)


@pytest.mark.parametrize(
    ("minimum", "maximum", "text"),
    [
        (None, None, "All ages"),
        (Decimal(0), Decimal(4), "Up to age 4"),
        (Decimal(11), None, "Ages 11 and over"),
        (Decimal(5), Decimal("12.00"), "Ages 5 to 12"),
        (Decimal("0.5"), Decimal(2), "Ages 6 months to 2"),
    ],
)
def test_age_ranges_in_words(minimum, maximum, text):
    assert rules.age_range_text(minimum, maximum) == text


@given(st.lists(st.sampled_from(rules.DAY_CODES), unique=True), st.lists(st.integers(-5, 5), max_size=7))
def test_byday_names_its_weekdays_in_week_order_whatever_the_occurrence_numbers(days, numbers):
    parts = [
        f"{numbers[index] if index < len(numbers) and numbers[index] else ''}{day}" for index, day in enumerate(days)
    ]
    byday = ",".join(parts)
    assert rules.byday_is_valid(byday)
    assert rules.byday_codes(byday) == [code for code in rules.DAY_CODES if code in days]


@pytest.mark.parametrize(("value", "code"), [("MO", "MO"), ("monday", "MO"), ("Sat", "SA"), ("su", "SU"), ("x", None)])
def test_days_are_read_by_code_or_name(value, code):
    assert rules.day_code(value) == code


@given(
    st.floats(min_value=49, max_value=60),
    st.floats(min_value=-8, max_value=2),
    st.floats(min_value=49, max_value=60),
    st.floats(min_value=-8, max_value=2),
)
def test_distance_is_symmetric_and_keeps_the_triangle_inequality(lat1, lon1, lat2, lon2):
    there = rules.distance_m(lat1, lon1, lat2, lon2)
    assert there == pytest.approx(rules.distance_m(lat2, lon2, lat1, lon1))
    assert there >= 0
    via_origin = rules.distance_m(lat1, lon1, 54, -3) + rules.distance_m(54, -3, lat2, lon2)
    assert there <= via_origin + 1e-6


def test_known_distance():
    # Liverpool Lime Street to Manchester Piccadilly is about 50 km.
    assert rules.distance_m(53.4075, -2.9779, 53.4774, -2.2309) == pytest.approx(50_000, rel=0.03)


@pytest.mark.parametrize(
    ("extent", "districts"),
    [("L33 L34", ["L33", "L34"]), ("l33, L33;M1", ["L33", "M1"]), ("Liverpool", []), ("", []), ("L33 and L34", [])],
)
def test_a_text_extent_lists_postcode_districts_or_nothing(extent, districts):
    assert rules.parse_postcode_districts(extent) == districts


def test_postcode_parts():
    assert rules.postcode_district("l369xy") == "L36"
    assert rules.postcode_sector("L36 9XY") == "L36 9"
    assert rules.clean_postcode("sw1a1aa") == "SW1A 1AA"
    assert rules.clean_postcode("nonsense") is None


def test_schedules_in_words():
    weekdays = rules.schedule_text(
        freq="WEEKLY", interval=1, byday="MO,TU,WE,TH,FR", opens_at=time(9), closes_at=time(17), description=""
    )
    assert weekdays == "Monday to Friday, 9am to 5pm"
    fortnightly = rules.schedule_text(
        freq="WEEKLY", interval=2, byday="WE", opens_at=time(12), closes_at=time(13, 30), description=""
    )
    assert fortnightly == "Every 2 weeks on Wednesdays, midday to 1:30pm"
    own_words = rules.schedule_text(
        freq="", interval=None, byday="", opens_at=None, closes_at=None, description="Term time"
    )
    assert own_words == "Term time"


def test_costs_in_words():
    assert rules.cost_text([("", Decimal(0), "")], "") == "Free"
    assert rules.cost_text([("Adults", Decimal("3.5"), "per class"), ("Children", Decimal(0), "")], "") == (
        "£3.50 per class (Adults)"
    )
    assert rules.cost_text([], "Donations welcome") == "Donations welcome"
    assert rules.cost_text([], "") == "Ask the service about any cost"


def test_a_listing_is_stale_after_the_configured_days_or_if_never_reviewed():
    today = date(2025, 6, 30)
    assert not rules.is_stale(date(2025, 1, 1), today=today, stale_after_days=365)
    assert rules.is_stale(date(2024, 6, 29), today=today, stale_after_days=365)
    assert rules.is_stale(None, today=today, stale_after_days=365)


def test_coverage_levels():
    assert [rules.coverage_level(count, few=2) for count in (0, 1, 2, 3)] == ["none", "few", "few", "enough"]


@given(st.decimals(min_value=0, max_value=999, places=2))
def test_oruk_numbers_are_whole_when_they_can_be(value):
    number = rules.oruk_number(value)
    assert Decimal(str(number)) == value
    assert isinstance(number, int) == (value == value.to_integral_value())


def test_moments_keep_whole_milliseconds():
    assert rules.whole_milliseconds(datetime(2025, 1, 1, 10, 0, 0, 123456, tzinfo=UTC)).microsecond == 123000


def test_search_words():
    assert rules.search_words("Café, toddlers & a Parent!") == ["cafe", "toddlers", "parent"]
