"""The cost of demand: how the demand on children's social care and early help changed between a baseline
period and a comparison period, priced at the configured unit costs. An estimate, with every assumption it
rests on listed beside it (docs/cost-of-demand.md).

`cost_of_demand` counts and prices; `cost_published` applies the small-number rule for a page or a download.
The dashboard calls the same two functions."""

from dataclasses import dataclass, fields
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q

from earlyhelp.journey.models import Episode

from .models import CareEpisode, CareEpisodeKind, Referral, SingleAssessment
from .selectors import Period
from .suppression import SMALL_NUMBER_THRESHOLD, SUPPRESSED

DAYS_IN_A_YEAR = 365


@dataclass(frozen=True)
class Demand:
    """One kind of demand: what is counted, its unit, and how it is counted."""

    key: str
    label: str
    unit: str
    counted: str


DEMANDS: tuple[Demand, ...] = (
    Demand("referral", "Referrals to children's social care", "a referral", "referrals made in the period"),
    Demand(
        "single_assessment",
        "Single assessments",
        "a single assessment",
        "single assessments started in the period",
    ),
    Demand(
        "child_in_need_plan",
        "Child in need plans",
        "a child in need plan",
        "child in need episodes started in the period, each priced whole at its start",
    ),
    Demand(
        "child_protection_plan",
        "Child protection plans",
        "a child protection plan",
        "child protection plans started in the period, each priced whole at its start",
    ),
    Demand(
        "year_looked_after",
        "Years looked after",
        "a year looked after",
        "the days children were looked after within the period, divided by 365",
    ),
    Demand(
        "early_help_episode",
        "Episodes of early help",
        "an episode of early help",
        "episodes of early help opened in the period",
    ),
)
SOCIAL_CARE = tuple(demand.key for demand in DEMANDS if demand.key != "early_help_episode")

ASSUMPTIONS = (
    "Unit costs are the partnership's settings (EARLY_HELP_UNIT_COST_*); the defaults are illustrative round "
    "figures, not this council's costs.",
    "The same unit costs price both periods: no inflation, and no change in how much a unit costs.",
    "A plan is priced whole in the period it starts, whatever its length; a year looked after is priced by "
    "the days looked after inside each period.",
    "Where the two periods differ in length, the baseline is scaled to the comparison period's length "
    "(per day), so a change in demand is not a change in the number of days.",
    "Only activity recorded here counts: social care's answers to step ups and the social care feed. "
    "Activity the feed has not sent is missing from both periods.",
    "A change in demand is not shown to be caused by early help: population, policy, practice and chance "
    "change demand too. The estimate says what the change would cost or save at these prices, nothing more.",
)


@dataclass(frozen=True)
class CostLine:
    demand: Demand
    unit_cost: int
    baseline: float
    baseline_scaled: float
    comparison: float
    # The records or children the line counts, for the small-number rule (looked-after days come from children).
    baseline_counted: int
    comparison_counted: int

    @property
    def change(self) -> float:
        return self.comparison - self.baseline_scaled

    @property
    def cost_change(self) -> int:
        return round(self.change * self.unit_cost)


@dataclass(frozen=True)
class CostEstimate:
    baseline: Period
    comparison: Period
    scale: float
    lines: tuple[CostLine, ...]
    assumptions: tuple[str, ...] = ASSUMPTIONS

    @property
    def social_care_change(self) -> int:
        return sum(line.cost_change for line in self.lines if line.demand.key in SOCIAL_CARE)

    @property
    def early_help_change(self) -> int:
        return sum(line.cost_change for line in self.lines if line.demand.key not in SOCIAL_CARE)

    @property
    def net_change(self) -> int:
        return self.social_care_change + self.early_help_change


def _days(period: Period) -> int:
    return (period.end - period.start).days + 1


def _looked_after(period: Period) -> tuple[float, int]:
    """Child-years looked after within the period (days inside it / 365), and how many children they were."""
    overlapping = CareEpisode.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.start),
        kind=CareEpisodeKind.LOOKED_AFTER,
        started_on__lte=period.end,
    ).values_list("person_id", "started_on", "ended_on")
    days = 0
    children = set()
    for person, started, ended in overlapping:
        first, last = max(started, period.start), min(ended or period.end, period.end)
        days += (last - first).days + 1
        children.add(person)
    return days / DAYS_IN_A_YEAR, len(children)


def demand_in(period: Period) -> dict[str, tuple[float, int]]:
    """Each kind of demand in the period: its quantity, and the records or children counted for it."""
    started = CareEpisode.objects.filter(started_on__range=period.days)
    counts = {
        "referral": Referral.objects.filter(referred_on__range=period.days).count(),
        "single_assessment": SingleAssessment.objects.filter(started_on__range=period.days).count(),
        "child_in_need_plan": started.filter(kind=CareEpisodeKind.CHILD_IN_NEED).count(),
        "child_protection_plan": started.filter(kind=CareEpisodeKind.CHILD_PROTECTION).count(),
        "early_help_episode": Episode.objects.filter(opened_on__range=period.days).count(),
    }
    found: dict[str, tuple[float, int]] = {key: (float(count), count) for key, count in counts.items()}
    found["year_looked_after"] = _looked_after(period)
    return found


def unit_costs() -> dict[str, int]:
    configured = settings.EARLY_HELP.measures.unit_costs
    return {each.name: getattr(configured, each.name) for each in fields(configured)}


def cost_of_demand(*, baseline: Period, comparison: Period) -> CostEstimate:
    """The change in each kind of demand from the baseline (scaled to the comparison's length) to the
    comparison period, priced at the configured unit costs: raw, before the small-number rule."""
    scale = _days(comparison) / _days(baseline)
    before, after, costs = demand_in(baseline), demand_in(comparison), unit_costs()
    lines = tuple(
        CostLine(
            demand=demand,
            unit_cost=costs[demand.key],
            baseline=before[demand.key][0],
            baseline_scaled=before[demand.key][0] * scale,
            comparison=after[demand.key][0],
            baseline_counted=before[demand.key][1],
            comparison_counted=after[demand.key][1],
        )
        for demand in DEMANDS
    )
    return CostEstimate(baseline=baseline, comparison=comparison, scale=round(scale, 4), lines=lines)


def _small(number: int) -> bool:
    return 0 < number < SMALL_NUMBER_THRESHOLD


def cost_published(estimate: CostEstimate) -> dict:
    """The estimate as it may be published: a line counting 1 to 4 records or children in either period shows
    the marker for its counts, its change and its cost (any of them gives the others away), and then the totals
    that include it show the marker too."""
    lines = []
    hidden = set()
    for line in estimate.lines:
        small = _small(line.baseline_counted) or _small(line.comparison_counted)
        if small:
            hidden.add(line.demand.key)
        lines.append(
            {
                "key": line.demand.key,
                "label": line.demand.label,
                "unit": line.demand.unit,
                "counted": line.demand.counted,
                "unit_cost": line.unit_cost,
                **{
                    name: SUPPRESSED if small else value
                    for name, value in {
                        "baseline": round(line.baseline, 2),
                        "baseline_scaled": round(line.baseline_scaled, 2),
                        "comparison": round(line.comparison, 2),
                        "change": round(line.change, 2),
                        "cost_change": line.cost_change,
                    }.items()
                },
            }
        )
    social_care_hidden = bool(hidden & set(SOCIAL_CARE))
    early_help_hidden = "early_help_episode" in hidden
    return {
        "estimate": True,
        "baseline": {"from": estimate.baseline.start.isoformat(), "to": estimate.baseline.end.isoformat()},
        "comparison": {"from": estimate.comparison.start.isoformat(), "to": estimate.comparison.end.isoformat()},
        "baseline_scale": estimate.scale,
        "lines": lines,
        "social_care_change": SUPPRESSED if social_care_hidden else estimate.social_care_change,
        "early_help_change": SUPPRESSED if early_help_hidden else estimate.early_help_change,
        "net_change": SUPPRESSED if hidden else estimate.net_change,
        "assumptions": list(estimate.assumptions),
    }


def council_year(containing: date) -> Period:
    """The council's year (1 April to 31 March) holding the day."""
    start_year = containing.year if containing.month >= 4 else containing.year - 1
    return Period(start=date(start_year, 4, 1), end=date(start_year + 1, 3, 31))


def default_periods(today: date) -> tuple[Period, Period]:
    """The last whole council year as the comparison, and the year before it as the baseline."""
    comparison = council_year(council_year(today).start - timedelta(days=1))
    return council_year(comparison.start - timedelta(days=1)), comparison
