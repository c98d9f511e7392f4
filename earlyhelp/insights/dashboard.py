"""The dashboard of the indicators (docs/indicators.md): for each, its headline figures for the period, its
trend over months, quarters or years as a chart and a table, and the comparison figures configured.

Every figure here is as it may be published (measures.rules.figure_published): a count of 1 to 4, and
anything worked out from one, is the marker. The page, the CSV and the XLSX are all written from the
same `Dashboard`, so they show the same figures.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from earlyhelp.measures import rules
from earlyhelp.measures.selectors import (
    FILTERS_HONOURED,
    TITLES,
    Period,
    figures_over_time,
    indicators_and_figures_over_time,
    reporting_transaction,
)
from earlyhelp.measures.suppression import SUPPRESSED
from earlyhelp.oversight.selectors import supervision_coverage

from .charts import Chart, line_chart

GRANULARITIES = {"month": "month", "quarter": "quarter", "year": "year"}
FILTER_LABELS = {"locality": "locality", "agency_type": "agency type", "age_band": "age band"}
NONE_RECORDED = "none recorded"
WHOLE_PERIOD = "Whole period"
PER_10000 = "per 10,000 children"

# What each indicator's chart draws (its figures, one line each) and the unit of its axis. A figure broken
# down by month is read from that breakdown; the others (rates at a day, ratios, caseloads) are worked out
# for each month, quarter or year of the period in turn.
CHARTS: dict[str, tuple[tuple[str, ...], str]] = {
    "K01": (("requests",), "requests"),
    "K02": (("assessments",), "assessments"),
    "K03": (("within_target",), "% within the target"),
    "K04": (("good_or_better",), "% good or better"),
    "K05": (("referrals",), "referrals"),
    "K06": (("referrals_per_assessment",), "referrals for each assessment"),
    "K07": (("no_further_action",), "% no further action"),
    "K08": (("no_further_action",), "% no further action"),
    "K09": (("re_referrals",), "% re-referred"),
    "K10": (("step_downs_accepted",), "step-downs accepted"),
    "K11": (("step_ups",), "step-ups"),
    "K12": (("followed_by_child_protection",), "% followed by a plan"),
    "K13": (("needs_met",), "% closed with needs met"),
    "K14": (("sustained",), "% sustained"),
    "K15": (("child_in_need", "child_protection", "looked_after"), PER_10000),
    "K16": (("better_supported_and_know_where_to_go",), "% better supported and know where to go"),
    "K17": (("needs_met_with_a_service",), "% closed with needs met"),
    "K18": (("open_episodes",), "open episodes"),
    "K19": (("identifying_need", "using_levels", "leading_assessment"), "% confident"),
}

# The indicators whose charted figures no breakdown gives by month, so that they are worked out for each month,
# quarter or year (selectors.figures_over_time), beside the indicators themselves. Only where the work is done
# hangs on this list: a figure with no breakdown that is not named here is worked out all the same, after.
BY_PART = ("K06", "K15", "K17", "K18", "K19")

FIGURE_LABELS = {
    "better_supported_and_know_where_to_go": "Feel better supported and know where to go for help",
    "better_supported": "Feel better supported",
    "know_where_to_go": "Know where to go for help",
    "identifying_need": "Confident in identifying need",
    "using_levels": "Confident in using the levels of need",
    "leading_assessment": "Confident in leading an assessment",
    "requests": "Requests received",
    "assessments": "Assessments completed",
    "partner_led": "Led by partners other than the council",
    "median": "Median days from request to assessment",
    "within_target": "Completed within the target",
    "without_request": "Completed without a request recorded",
    "good_or_better": "Rated good or better",
    "referrals": "Referrals",
    "referrals_per_assessment": "Referrals for each assessment",
    "no_further_action": "Ending in no further action",
    "re_referrals": "Re-referrals within 12 months",
    "step_downs_requested": "Step-downs requested",
    "step_downs_accepted": "Step-downs accepted",
    "no_further_action_with_offer": "No further action with an early help offer",
    "step_ups": "Step-ups sent",
    "closures_stepped_up": "Closures that were step-ups",
    "followed_by_child_protection": "Followed by a child protection plan",
    "needs_met": "Closed with needs met",
    "sustained": "Needs met and sustained",
    "awaiting_twelve_months": "Closures still inside their 12 months",
    "child_in_need": "Children in need",
    "child_protection": "On a child protection plan",
    "looked_after": "Looked after",
    "found_it_helpful": "Found early help helpful",
    "response_rate": "Answered the feedback survey",
    "needs_met_with_a_service": "Closures using a service with needs met",
    "open_episodes": "Open episodes",
    "caseload": "Families for each lead professional",
}


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[str]


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    unit: str
    headline: list[Row]
    comparisons: list[Row]
    series: list[str]
    trend: list[Row]
    chart: Chart
    filters_not_applied: list[str]


@dataclass(frozen=True)
class Dashboard:
    period: Period
    granularity: str
    panels: list[Panel]
    worked_out_at: datetime
    # Management oversight today, for the whole partnership: not an indicator, and not narrowed by the filters.
    oversight: list[Row] = field(default_factory=list)


# --- Figures as words and as points ----------------------------------------------------------------------


def _n(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def figure_shown(figure: rules.Figure) -> str:
    """A published figure in words: the marker where it is suppressed, "none recorded" where it has no records."""
    if "share" in figure:
        value, counts = figure["share"], f"{_n(figure['numerator'])} of {_n(figure['denominator'])}"
        return _shown(value, lambda share: f"{share * 100:.1f}% ({counts})")
    if "ratio" in figure:
        counts = f"{_n(figure['numerator'])} referrals, {_n(figure['denominator'])} assessments"
        return _shown(figure["ratio"], lambda ratio: f"{ratio:.2f} ({counts})")
    if "per_10000" in figure:
        return _shown(figure["per_10000"], lambda rate: f"{rate:.1f} {PER_10000} ({_n(figure['count'])})")
    if "median_days" in figure:
        return _shown(figure["median_days"], lambda days: f"{_n(days)} days ({_n(figure['count'])} assessments)")
    if "mean" in figure:
        leads = f"{_n(figure['lead_professionals'])} lead professionals"
        return _shown(figure["mean"], lambda mean: f"mean {mean}, largest {_n(figure['largest'])} ({leads})")
    return _n(figure["count"])


def _shown(value: Any, words) -> str:
    if value == SUPPRESSED:
        return SUPPRESSED
    if value is None:
        return NONE_RECORDED
    return words(value)


def figure_plotted(figure: rules.Figure) -> float | None:
    """The value a chart draws for a published figure (a share as a percentage); None where it is hidden."""
    for key, scale in (("share", 100), ("ratio", 1), ("per_10000", 1), ("median_days", 1), ("mean", 1)):
        if key in figure:
            value = figure[key]
            return round(value * scale, 1) if isinstance(value, int | float) else None
    value = figure.get("count")
    return float(value) if isinstance(value, int) else None


# --- The months, quarters or years of a period ------------------------------------------------------------


def _month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _bucket_key(first_of_month: date, granularity: str) -> str:
    if granularity == "month":
        return rules.month_key(first_of_month)
    if granularity == "quarter":
        return rules.financial_quarter(first_of_month)
    return rules.financial_year(first_of_month)


def buckets(period: Period, granularity: str) -> list[tuple[str, str, Period]]:
    """The months, quarters or years (of the council's April-to-March year) the period touches, in order:
    (key as the indicators' breakdowns name it, label, the part of the period in it)."""
    found: dict[str, list[date]] = {}
    month = period.start.replace(day=1)
    while month <= period.end:
        found.setdefault(_bucket_key(month, granularity), []).append(month)
        month = _month_after(month)
    listed = []
    for key, months in found.items():
        start = max(period.start, months[0])
        end = min(period.end, _month_after(months[-1]) - timedelta(days=1))
        label = months[0].strftime("%b %Y") if granularity == "month" else key
        listed.append((key, label, replace(period, start=start, end=end)))
    return listed


# --- The dashboard ----------------------------------------------------------------------------------------


def _empty_like(figures: list[rules.Figure], headline: rules.Figure) -> rules.Figure:
    """A group with no records, shaped like the breakdown's other groups (or, failing any, the headline)."""
    sample = figures[0] if figures else headline
    return rules.share(0, 0) if "share" in sample else rules.count(0)


def _trend(
    key: str,
    indicator: dict,
    slices: list[tuple[str, str, Period]],
    granularity: str,
    worked_out: dict[str, list[rules.Figure]],
) -> dict[str, list[rules.Figure]]:
    """Each charted figure's published value in each month, quarter or year: read from its breakdown where it
    has one by `granularity`, else from those `worked_out` for each of them beside the indicators, else worked
    out for each of them now (selectors.figures_over_time)."""
    names, _ = CHARTS[key]
    broken_down = {name: indicator["breakdowns"].get(name, {}).get(granularity) for name in names}
    missing = [name for name, groups in broken_down.items() if groups is None and name not in worked_out]
    computed = worked_out | (figures_over_time(key, missing, [part for _, _, part in slices]) if missing else {})
    trend: dict[str, list[rules.Figure]] = {}
    for name, groups in broken_down.items():
        if groups is None:
            trend[name] = [rules.figure_published(figure) for figure in computed[name]]
            continue
        empty = _empty_like(list(groups.values()), indicator["figures"][name])
        trend[name] = [groups.get(bucket, empty) for bucket, _, _ in slices]
    return trend


def _comparisons(key: str) -> list[Row]:
    return [
        Row(
            label=f"{comparison.area}: {FIGURE_LABELS.get(comparison.figure, comparison.figure).lower()}",
            cells=[f"{comparison.per_10000:.1f} {PER_10000}", comparison.source],
        )
        for comparison in settings.EARLY_HELP.measures.comparisons
        if comparison.indicator == key
    ]


def _panel(
    key: str,
    indicator: dict,
    slices: list[tuple[str, str, Period]],
    granularity: str,
    period: Period,
    worked_out: dict[str, list[rules.Figure]],
) -> Panel:
    names, unit = CHARTS[key]
    trend = _trend(key, indicator, slices, granularity, worked_out)
    labels = [FIGURE_LABELS.get(name, name) for name in names]
    categories = [label for _, label, _ in slices]
    references = [
        (comparison.area, comparison.per_10000)
        for comparison in settings.EARLY_HELP.measures.comparisons
        if comparison.indicator == key and comparison.figure in names and unit == PER_10000
    ]
    title = TITLES[key]
    chart = line_chart(
        title=f"{key} {title}: {unit} by {granularity}",
        description=(
            f"{', '.join(labels)}, in {unit}, for each {granularity} from {categories[0]} to {categories[-1]}. "
            "Hidden and empty values leave a gap. The table below the chart gives every value."
        ),
        unit=unit,
        categories=categories,
        series=[
            (label, [figure_plotted(figure) for figure in trend[name]])
            for name, label in zip(names, labels, strict=True)
        ],
        references=references,
    )
    chosen = period.filters.chosen()
    return Panel(
        key=key,
        title=title,
        unit=unit,
        headline=[
            Row(FIGURE_LABELS.get(name, name), [figure_shown(figure)]) for name, figure in indicator["figures"].items()
        ],
        comparisons=_comparisons(key),
        series=labels,
        trend=[
            Row(label, [figure_shown(trend[name][index]) for name in names]) for index, label in enumerate(categories)
        ],
        chart=chart,
        filters_not_applied=[FILTER_LABELS[name] for name in chosen if name not in FILTERS_HONOURED[key]],
    )


def dashboard(period: Period, granularity: str, *, as_of: date | None = None) -> Dashboard:
    """Every indicator for the period, published, with its trend by `granularity` (month, quarter or year)."""
    slices = buckets(period, granularity)
    wanted = {key: CHARTS[key][0] for key in BY_PART}
    found, over_time = indicators_and_figures_over_time(period, [part for _, _, part in slices], wanted, as_of=as_of)
    published = {key: rules.indicator_published(value) for key, value in found.items()}
    with reporting_transaction():
        panels = [
            _panel(key, indicator, slices, granularity, period, over_time.get(key, {}))
            for key, indicator in published.items()
        ]
    return Dashboard(
        period=period, granularity=granularity, panels=panels, worked_out_at=timezone.now(), oversight=oversight()
    )


OVERSIGHT_TITLE = "Management oversight"


def oversight() -> list[Row]:
    """The open episodes with supervision recorded in the configured days, as a published share of all
    open episodes (a count of 1 to 4 is the marker, as for the indicators)."""
    coverage = supervision_coverage()
    figure = rules.figure_published(rules.share(coverage.supervised, coverage.open_episodes))
    return [
        Row(f"Open episodes with supervision in the last {coverage.days} days", [figure_shown(figure)]),
    ]


def dashboard_rows(board: Dashboard) -> list[list[str]]:
    """The dashboard as rows for a spreadsheet, each figure as the page shows it."""
    rows = [["Indicator", "Title", "Figure", "Period", "Value"]]
    for panel in board.panels:
        rows += [[panel.key, panel.title, row.label, WHOLE_PERIOD, row.cells[0]] for row in panel.headline]
        rows += [
            [panel.key, panel.title, series, row.label, cell]
            for row in panel.trend
            for series, cell in zip(panel.series, row.cells, strict=True)
        ]
        rows += [[panel.key, panel.title, row.label, row.cells[1], row.cells[0]] for row in panel.comparisons]
    rows += [["", OVERSIGHT_TITLE, row.label, "Today", row.cells[0]] for row in board.oversight]
    return rows
