"""Pure decisions of the indicators, with no database: dates twelve months apart, age bands, periods
as months, quarters and years, the figures an indicator reports, and what of them may be published.

docs/indicators.md defines every indicator; the words there and the code here must agree.
"""

import statistics
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from earlyhelp.dataprotection.retention import years_after
from earlyhelp.journey.models import HarmReason

from .models import ReferralReason
from .suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED

Figure = dict[str, Any]

UNKNOWN = "unknown"
# Age on the last day of the period, in whole years: (label, youngest age, oldest age or None).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-5", 0, 5),
    ("6-10", 6, 10),
    ("11-15", 11, 15),
    ("16+", 16, None),
)

# A step up names why the family needs social care; a referral is counted under one category of need.
# The first of a step up's reasons in this order decides it.
REASON_BY_HARM: dict[str, str] = {
    HarmReason.VULNERABLE_CHILD: ReferralReason.ABUSE_OR_NEGLECT,
    HarmReason.CSE: ReferralReason.ABUSE_OR_NEGLECT,
    HarmReason.DOMESTIC_ABUSE: ReferralReason.FAMILY_DYSFUNCTION,
    HarmReason.VULNERABLE_ADULT: ReferralReason.PARENTAL_ILLNESS,
    HarmReason.ESCALATING_NEED: ReferralReason.ACUTE_STRESS,
    HarmReason.OTHER_HARM: ReferralReason.ACUTE_STRESS,
}


def referral_reason(harm_reasons: Iterable[str]) -> str:
    """The category of need a step up's reasons count under: the first, in REASON_BY_HARM's order, it names."""
    named = set(harm_reasons)
    for harm, reason in REASON_BY_HARM.items():
        if harm in named:
            return reason
    return ReferralReason.ACUTE_STRESS


def age_band_bounds(on: date) -> list[tuple[str, date | None, date]]:
    """For each age band, the births it holds on a day: (label, born after (exclusive) or None, born on or before)."""
    bounds: list[tuple[str, date | None, date]] = []
    for label, youngest, oldest in AGE_BANDS:
        born_by = years_after(on, -youngest)
        born_after = years_after(on, -(oldest + 1)) if oldest is not None else None
        bounds.append((label, born_after, born_by))
    return bounds


def age_band(date_of_birth: date | None, on: date) -> str:
    """The age band of someone born on `date_of_birth` on the day `on`; unknown without a birth date or before birth."""
    if date_of_birth is None:
        return UNKNOWN
    for label, born_after, born_by in age_band_bounds(on):
        if date_of_birth <= born_by and (born_after is None or date_of_birth > born_after):
            return label
    return UNKNOWN


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def financial_year(day: date) -> str:
    """The council's year, April to March: 1 April 2025 to 31 March 2026 is "2025-26"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def financial_quarter(day: date) -> str:
    """The quarter of the council's year: April to June is Q1 ("2025-26 Q1")."""
    return f"{financial_year(day)} Q{((day.month - 4) % 12) // 3 + 1}"


# --- Figures ---------------------------------------------------------------------------------------------


def count(number: int) -> Figure:
    return {"count": number}


def share(numerator: int, denominator: int) -> Figure:
    """A part of a whole; the share is None where the whole is zero."""
    value = round(numerator / denominator, 4) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "share": value}


def within(days: list[int], target: int) -> Figure:
    """The share of the durations that were `target` days or fewer."""
    return share(sum(1 for elapsed in days if elapsed <= target), len(days))


def ratio(numerator: int, denominator: int) -> Figure:
    value = round(numerator / denominator, 2) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "ratio": value}


def rate(number: int, population: int) -> Figure:
    """A count per 10,000 of the population, to one decimal place."""
    value = round(number * 10_000 / population, 1) if population else None
    return {"count": number, "population": population, "per_10000": value}


def median_days(days: list[int]) -> Figure:
    return {"count": len(days), "median_days": statistics.median(days) if days else None}


def caseloads(loads: list[int]) -> Figure:
    """How many families each lead professional leads: how many leads, the mean, the median and the largest."""
    return {
        "lead_professionals": len(loads),
        "families": sum(loads),
        "mean": round(statistics.mean(loads), 1) if loads else None,
        "median": statistics.median(loads) if loads else None,
        "largest": max(loads, default=None),
    }


# The counts a figure is made of, and the values worked out from them.
COUNTED = ("count", "numerator", "denominator", "lead_professionals", "families")
DERIVED = ("share", "ratio", "per_10000", "median_days", "mean", "median", "largest")


def figures_combined(figures: Iterable[Figure]) -> Figure:
    """Counts and shares added together (months into quarters and years); None where figures are not additive."""
    listed = list(figures)
    if all(set(figure) == {"count"} for figure in listed):
        return count(sum(figure["count"] for figure in listed))
    if all(set(figure) == {"numerator", "denominator", "share"} for figure in listed):
        return share(sum(f["numerator"] for f in listed), sum(f["denominator"] for f in listed))
    raise ValueError("only counts and shares add up")


def by_month_folded(by_month: Mapping[str, Figure]) -> dict[str, dict[str, Figure]]:
    """The month breakdown ("2025-04": figure) with its quarters and years of the council's year."""
    quarters: dict[str, list[Figure]] = {}
    years: dict[str, list[Figure]] = {}
    for key, figure in sorted(by_month.items()):
        first = date(int(key[:4]), int(key[5:7]), 1)
        quarters.setdefault(financial_quarter(first), []).append(figure)
        years.setdefault(financial_year(first), []).append(figure)
    return {
        "month": dict(sorted(by_month.items())),
        "quarter": {key: figures_combined(figures) for key, figures in quarters.items()},
        "year": {key: figures_combined(figures) for key, figures in years.items()},
    }


# --- Publication ---------------------------------------------------------------------------------------


def _is_small(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < SMALL_NUMBER_THRESHOLD


def figure_published(figure: Figure) -> Figure:
    """A figure as it may be published: a count of 1 to 4 becomes the marker, and so does every value
    worked out from a figure holding one (a share of 3 in 40 would give the 3 away)."""
    if not any(_is_small(figure.get(key)) for key in COUNTED):
        return dict(figure)
    return {key: SUPPRESSED if key in DERIVED or _is_small(value) else value for key, value in figure.items()}


def indicator_published(indicator: Mapping[str, Any]) -> dict[str, Any]:
    """An indicator's result with every figure, in its headline and its breakdowns, as it may be published."""
    published = dict(indicator)
    published["figures"] = {name: figure_published(figure) for name, figure in indicator["figures"].items()}
    published["breakdowns"] = {
        name: {
            dimension: {key: figure_published(figure) for key, figure in groups.items()}
            for dimension, groups in dimensions.items()
        }
        for name, dimensions in indicator["breakdowns"].items()
    }
    return published


def csv_rows(indicators: Mapping[str, Mapping[str, Any]]) -> list[list[Any]]:
    """Every value of every indicator as a row: indicator, figure, dimension, group, measure, value."""
    rows: list[list[Any]] = [["indicator", "figure", "dimension", "group", "measure", "value"]]
    for indicator_id, indicator in indicators.items():
        for name, figure in indicator["figures"].items():
            rows += [[indicator_id, name, "", "", measure, value] for measure, value in figure.items()]
        for name, dimensions in indicator["breakdowns"].items():
            for dimension, groups in dimensions.items():
                for group, figure in groups.items():
                    rows += [[indicator_id, name, dimension, group, m, value] for m, value in figure.items()]
    return rows


# --- The practitioner confidence survey ----------------------------------------------------------------

CONFIDENCE_QUESTIONS = {
    "identifying_need": "How confident are you in identifying a child's or family's need for early help?",
    "using_levels": "How confident are you in using the levels of need to decide what support a family needs?",
    "leading_assessment": "How confident are you in leading an early help assessment?",
}
CONFIDENCE_SCALE = {
    1: "Not at all confident",
    2: "Slightly confident",
    3: "Fairly confident",
    4: "Confident",
    5: "Very confident",
}
# A score of 4 or 5 says the practitioner is confident.
CONFIDENT = 4
PERIOD_MONTHS_ALLOWED = (1, 2, 3, 4, 6, 12)


def confidence_period(day: date, months: int) -> tuple[date, date]:
    """The survey period holding the day: periods of `months` months counted from 1 April (the council's
    year), so 6 gives April to September and October to March. `months` must divide the year."""
    if months not in PERIOD_MONTHS_ALLOWED:
        raise ValueError(f"A survey period is one of {PERIOD_MONTHS_ALLOWED} months, not {months}")
    into_year = (day.month - 4) % 12
    first = into_year - into_year % months
    start_month = (first + 3) % 12 + 1
    start = date(day.year if start_month <= day.month else day.year - 1, start_month, 1)
    after = start_month + months
    end = date(start.year + (after - 1) // 12, (after - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def confidence_figure(respondents: int, confident: int, mean: float | None) -> Figure:
    """The answers to one question: of those who answered, the share scoring 4 or 5, and the mean score."""
    return {**share(confident, respondents), "mean": round(mean, 2) if mean is not None and respondents else None}
