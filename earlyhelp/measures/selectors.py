"""The indicators K01 to K18, computed by the database exactly as docs/indicators.md defines them.

Each indicator is a dict: its `title`, its headline `figures` (name -> figure, see rules.py) and its
`breakdowns` (figure name -> dimension -> group -> figure). Counts are raw here; what may be
published is decided by `rules.indicator_published`. Every count is an aggregate in the database;
Python sees only the groups, or (K03, K18) the rows of the period's own completions and leads.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar, copy_context
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from earlyhelp.accounts.models import AgencyKind
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion, MemberSection
from earlyhelp.families.models import Involvement, InvolvementRole
from earlyhelp.journey.models import (
    ClosureReason,
    Episode,
    EpisodeClosure,
    FeedbackAnswer,
    FeedbackInvitation,
    RequestSource,
    StepDown,
    StepDownStatus,
    StepUp,
    StepUpStatus,
    SupportRequest,
)
from earlyhelp.plans.models import ActionStatus, PlanAction

from . import rules
from .expressions import YearsAfter
from .models import (
    SELF_REFERRAL,
    AssessmentOutcome,
    CareEpisode,
    CareEpisodeKind,
    ConfidenceAnswer,
    Referral,
    ReferralOutcome,
    SingleAssessment,
)
from .replica import reporting_database, reporting_reads
from .rules import UNKNOWN, Figure

TITLES = {
    "K01": "Requests for early help received",
    "K02": "Early help assessments completed",
    "K03": "Timeliness of early help assessments",
    "K04": "Quality of early help assessments",
    "K05": "Referrals to children's social care",
    "K06": "Social care referrals for each early help assessment",
    "K07": "Social care referrals ending in no further action",
    "K08": "Single assessments ending in no further action",
    "K09": "Re-referrals to children's social care within 12 months",
    "K10": "Step-downs from social care, and early help offers after no further action",
    "K11": "Step-ups from early help to social care",
    "K12": "Early help assessments followed by a child protection plan within 12 months",
    "K13": "Episodes closed with needs met",
    "K14": "Needs met and sustained for 12 months",
    "K15": "Children in need, on a child protection plan, looked after at the period's end",
    "K16": "Family feedback",
    "K17": "Needs met by service used",
    "K18": "Open episodes and caseloads at the period's end",
    "K19": "Practitioner confidence",
}

# Closure reasons that count as needs met (K13, K14, K17).
NEEDS_MET = (ClosureReason.OUTCOMES_ACHIEVED, ClosureReason.STEPPED_DOWN)
# The council's own services; a lead from any other agency is a partner (K02).
COUNCIL = (AgencyKind.LOCAL_AUTHORITY, AgencyKind.SOCIAL_CARE)
# A step up a manager approved, whatever social care then answered (K11).
SENT = (StepUpStatus.SENT, StepUpStatus.ACCEPTED, StepUpStatus.NO_FURTHER_ACTION)
# Feedback of 4 or 5 out of 5 says the family found early help helpful (K16).
HELPFUL_RATING = 4


# The dimensions a filter narrows. Agency type is the agency an indicator is broken down by: the source of a
# request or referral, the lead's agency of an assessment.
FILTERED_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "locality": ("locality",),
    "agency_type": ("source_agency_type", "lead_agency_type"),
    "age_band": ("age_band",),
}


@dataclass(frozen=True)
class Filters:
    """Narrow every indicator to one locality (by name), agency type and age band, each where it applies."""

    locality: str | None = None
    agency_type: str | None = None
    age_band: str | None = None

    def wanted(self, dimension: str) -> str | None:
        """The group the filters keep of a dimension, or None to keep them all."""
        for name, dimensions in FILTERED_DIMENSIONS.items():
            if dimension in dimensions:
                return getattr(self, name)
        return None

    def chosen(self) -> dict[str, str]:
        return {name: value for name in FILTERED_DIMENSIONS if (value := getattr(self, name)) is not None}


@dataclass(frozen=True)
class Period:
    """From the first day to the last, both included; with filters, the records of one group only."""

    start: date
    end: date
    filters: Filters = field(default_factory=Filters)

    @property
    def days(self) -> tuple[date, date]:
        return (self.start, self.end)

    def moments(self, field: str) -> Q:
        """The moments of the field on the period's days in local time: from midnight on the first day to
        before midnight after the last, compared on the column itself so that its index serves."""
        first = timezone.make_aware(datetime.combine(self.start, time.min))
        after = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return Q(**{f"{field}__gte": first, f"{field}__lt": after})


# --- Dimensions and grouping ---------------------------------------------------------------------------


def _locality(path: str) -> Coalesce:
    return Coalesce(F(f"{path}__name"), Value(UNKNOWN))


def _kind(path: str) -> Coalesce:
    return Coalesce(F(path), Value(UNKNOWN))


def _age_band(date_of_birth: str, on: date) -> Case:
    """The age band on the period's last day, in the database (rules.age_band's bounds)."""
    whens = []
    for label, born_after, born_by in rules.age_band_bounds(on):
        condition = Q(**{f"{date_of_birth}__lte": born_by})
        if born_after is not None:
            condition &= Q(**{f"{date_of_birth}__gt": born_after})
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(UNKNOWN))


def _group_key(value: Any) -> str:
    if isinstance(value, datetime):
        return rules.month_key(timezone.localtime(value).date() if timezone.is_aware(value) else value.date())
    if isinstance(value, date):
        return rules.month_key(value)
    return str(value)


def _breakdowns(
    records: QuerySet, dimensions: Mapping[str, Any], *, month: Any = None, part: Q | None = None
) -> dict[str, dict[str, Figure]]:
    """Each dimension's groups (and the month's, folded into quarters and years). Records are counted in one
    query grouped by every dimension at once, then added up by dimension: one pass over the table, not one a
    dimension."""
    rows = _group_rows(records, dimensions, month=month, parts={"part": part} if part is not None else {})
    return _folded(rows, list(dimensions), part="part" if part is not None else None, month=month is not None)


def _group_rows(records: QuerySet, dimensions: Mapping[str, Any], *, month: Any, parts: Mapping[str, Q]) -> list[dict]:
    """The records counted in one query grouped by every dimension (and the month) at once: `total` in each
    group, and the count of each of `parts`."""
    expressions = {f"by_{name}": expression for name, expression in dimensions.items()}
    if month is not None:
        expressions["by_month"] = month
    aggregates: dict[str, Any] = {"total": Count("pk")} | {
        name: Count("pk", filter=condition) for name, condition in parts.items()
    }
    return list(records.annotate(**expressions).order_by().values(*expressions).annotate(**aggregates))


def _folded(rows: list[dict], dimensions: list[str], *, part: str | None, month: bool) -> dict[str, dict[str, Figure]]:
    """The grouped rows added up by each dimension: a count in each group, or the share `part` is of it."""
    found: dict[str, dict[str, Figure]] = {}
    for name in [*dimensions, "month"] if month else dimensions:
        sums: dict[str, list[int]] = {}
        for row in rows:
            added = sums.setdefault(_group_key(row[f"by_{name}"]), [0, 0])
            added[0] += row[part] if part is not None else 0
            added[1] += row["total"]
        found[name] = {
            key: rules.share(numerator, total) if part is not None else rules.count(total)
            for key, (numerator, total) in sums.items()
        }
    if month:
        found |= rules.by_month_folded(found.pop("month"))
    return found


# Rows that several indicators count from, kept while `indicators` computes them all: the year's referrals are
# grouped once for K05, K07 and K09, its completed assessments once for K02 and K12.
_SHARED: ContextVar[dict[tuple, list[dict]] | None] = ContextVar("shared_indicator_rows", default=None)


def _shared(key: tuple, compute: Callable[[], list[dict]]) -> list[dict]:
    kept = _SHARED.get()
    if kept is None:
        return compute()
    if key not in kept:
        kept[key] = compute()
    return kept[key]


def _narrowed(records: QuerySet, period: Period, dimensions: Mapping[str, Any]) -> QuerySet:
    """The records in the group the period's filters keep of each dimension (the breakdowns' own expressions)."""
    for name, expression in dimensions.items():
        wanted = period.filters.wanted(name)
        if wanted is not None:
            records = records.alias(**{f"kept_{name}": expression}).filter(**{f"kept_{name}": wanted})
    return records


def _share_of(records: QuerySet, part: Q) -> Figure:
    totals = records.aggregate(total=Count("pk"), part=Count("pk", filter=part))
    return rules.share(totals["part"], totals["total"])


def _indicator(key: str, figures: dict[str, Figure], breakdowns: dict[str, Any] | None = None, **extra: Any) -> dict:
    return {"title": TITLES[key], "figures": figures, "breakdowns": breakdowns or {}, **extra}


def _share_indicator(
    key: str, name: str, records: QuerySet, part: Q, dimensions: Mapping[str, Any], *, month: str, period: Period
) -> dict:
    """An indicator whose one figure is the share `part` picks out of the records, broken down likewise."""
    records = _narrowed(records, period, dimensions)
    return _share_result(key, name, _breakdowns(records, dimensions, part=part, month=TruncMonth(month)))


def _share_result(key: str, name: str, breakdowns: dict[str, dict[str, Figure]]) -> dict:
    return _indicator(key, {name: _months_added(breakdowns, empty=rules.share(0, 0))}, {name: breakdowns})


def _months_added(breakdowns: dict[str, dict[str, Figure]], *, empty: Figure | None = None) -> Figure:
    """The whole of a figure broken down by month. Every record is in one month of the period, so the months
    add up to the whole: no second pass over the records for the headline."""
    return rules.figures_combined([empty or rules.count(0), *breakdowns["month"].values()])


def _open_at(end: date, *, start: str, finish: str) -> Q:
    # Open at the end of the last day: started by then, and not ended on or before it.
    return Q(**{f"{start}__lte": end}) & (Q(**{f"{finish}__isnull": True}) | Q(**{f"{finish}__gt": end}))


# --- The records each indicator counts -------------------------------------------------------------------


def requests_received(period: Period) -> QuerySet[SupportRequest]:
    return SupportRequest.objects.filter(period.moments("received_at"))


def assessments_completed(period: Period) -> QuerySet[AssessmentVersion]:
    """The first approved version of each episode's assessment, approved in the period."""
    earlier = AssessmentVersion.objects.filter(
        episode=OuterRef("episode"), status=AssessmentStatus.APPROVED, number__lt=OuterRef("number")
    )
    return AssessmentVersion.objects.filter(period.moments("reviewed_at"), status=AssessmentStatus.APPROVED).exclude(
        Exists(earlier)
    )


def referrals_made(period: Period) -> QuerySet[Referral]:
    return Referral.objects.filter(referred_on__range=period.days)


def closures_made(period: Period) -> QuerySet[EpisodeClosure]:
    return EpisodeClosure.objects.filter(period.moments("closed_at"))


def _request_agency() -> Case:
    return Case(
        When(source=RequestSource.FAMILY, then=Value(SELF_REFERRAL)),
        default=_kind("requested_by__agency__kind"),
    )


_LEAD_AGENCY = "submitted_by__agency__kind"
_ASSESSED_LOCALITY = "episode__household__locality"


def _assessment_dimensions() -> dict[str, Any]:
    return {"lead_agency_type": _kind(_LEAD_AGENCY), "locality": _locality(_ASSESSED_LOCALITY)}


# --- The indicators --------------------------------------------------------------------------------------


def k01_requests(period: Period) -> dict:
    dimensions = {
        "source_agency_type": _request_agency(),
        "locality": _locality("household__locality"),
        "age_band": _age_band("child_date_of_birth", period.end),
    }
    requests = _narrowed(requests_received(period), period, dimensions)
    breakdowns = _breakdowns(requests, dimensions, month=TruncMonth("received_at"))
    # Every request is in one month of the period, so the months add up to the whole: no second pass.
    return _indicator("K01", {"requests": _months_added(breakdowns)}, {"requests": breakdowns})


def _followed_by_child_protection(period: Period) -> QuerySet:
    """The assessment versions approved in the period with a child protection plan starting, for a child with a
    section in the version, on or after the day of approval and on or before twelve months after it (K12)."""
    plans = CareEpisode.objects.filter(
        person=OuterRef("person"),
        kind=CareEpisodeKind.CHILD_PROTECTION,
        started_on__gte=OuterRef("approved_on"),
        started_on__lte=YearsAfter(OuterRef("approved_on"), 1),
    ).filter(
        # The same bounds for the whole period (a plan can follow only an approval in it), so the plans the
        # database hashes are the few that can count, not every plan ever recorded.
        started_on__gte=period.start,
        started_on__lte=period.end + timedelta(days=366),
    )
    sections = MemberSection.objects.filter(
        period.moments("version__reviewed_at"), version__status=AssessmentStatus.APPROVED, is_child=True
    )
    return (
        sections.annotate(approved_on=TruncDate("version__reviewed_at"))
        .filter(Exists(plans))
        .order_by()
        .values("version")
    )


def _assessment_rows(period: Period) -> list[dict]:
    """The period's completed assessments grouped by lead agency type, locality, month and the days since the
    episode's first request (None without one), with how many were led by a partner (K02) and how many were
    followed by a child protection plan (K12): one pass over the completions for K02, K03, K06 and K12."""

    def compute() -> list[dict]:
        # The earliest request's moment: one probe of the (episode, received_at) index per completion.
        first_request = SupportRequest.objects.filter(episode=OuterRef("episode")).order_by("received_at")
        dimensions = _assessment_dimensions()
        completed = _narrowed(assessments_completed(period), period, dimensions).annotate(
            completed_on=TruncDate("reviewed_at"),
            received_on=TruncDate(Subquery(first_request.values("received_at")[:1])),
        )
        partner = Q(**{f"{_LEAD_AGENCY}__isnull": False}) & ~Q(**{f"{_LEAD_AGENCY}__in": COUNCIL})
        # The completions followed by a plan are picked out by one semi-join, hashed for the grouping to look up,
        # rather than by an EXISTS probe for every completion counted.
        parts = {"partner": partner, "protected": Q(pk__in=_followed_by_child_protection(period))}
        days = {"days": ExpressionWrapper(F("completed_on") - F("received_on"), output_field=DurationField())}
        return _group_rows(completed, dimensions | days, month=TruncMonth("reviewed_at"), parts=parts)

    return _shared(("assessments", period), compute)


def k02_assessments(period: Period) -> dict:
    rows = _assessment_rows(period)
    total = sum(row["total"] for row in rows)
    return _indicator(
        "K02",
        {"assessments": rules.count(total), "partner_led": rules.share(sum(row["partner"] for row in rows), total)},
        {"assessments": _folded(rows, list(_assessment_dimensions()), part=None, month=True)},
    )


def k03_timeliness(period: Period) -> dict:
    target = settings.EARLY_HELP.measures.assessment_target_days
    days: list[int] = []
    by_locality: dict[str, list[int]] = {}
    by_month: dict[str, list[int]] = {}
    without_request = 0
    for row in _assessment_rows(period):
        if row["by_days"] is None:
            without_request += row["total"]
            continue
        elapsed = [row["by_days"].days] * row["total"]
        days += elapsed
        by_locality.setdefault(row["by_locality"], []).extend(elapsed)
        by_month.setdefault(_group_key(row["by_month"]), []).extend(elapsed)
    return _indicator(
        "K03",
        {
            "median": rules.median_days(days),
            "within_target": rules.within(days, target),
            "without_request": rules.count(without_request),
        },
        {
            "within_target": {
                "locality": {key: rules.within(values, target) for key, values in sorted(by_locality.items())},
                **rules.by_month_folded({key: rules.within(values, target) for key, values in by_month.items()}),
            }
        },
        target_days=target,
    )


def k04_quality(period: Period) -> dict:
    assured = AssessmentVersion.objects.filter(period.moments("reviewed_at"))
    approved = Q(status=AssessmentStatus.APPROVED)
    dimensions = _assessment_dimensions()
    return _share_indicator("K04", "good_or_better", assured, approved, dimensions, month="reviewed_at", period=period)


# The records ending in no further action (K07, K08), and of those the ones with an early help offer (K10).
_REFERRAL_NFA = {
    "nfa": Q(outcome=ReferralOutcome.NO_FURTHER_ACTION),
    "nfa_offered": Q(outcome=ReferralOutcome.NO_FURTHER_ACTION, early_help_offer=True),
}
_ASSESSMENT_NFA = {
    "nfa": Q(outcome=AssessmentOutcome.NO_FURTHER_ACTION),
    "nfa_offered": Q(outcome=AssessmentOutcome.NO_FURTHER_ACTION, early_help_offer=True),
}


def _referral_dimensions(period: Period, *, path: str = "") -> dict[str, Any]:
    return {
        "source_agency_type": F(f"{path}source_agency_type"),
        "locality": _locality("locality"),
        "age_band": _age_band("person__date_of_birth", period.end),
    }


def _referral_rows(period: Period) -> list[dict]:
    """The period's referrals grouped by source, locality, age band, reason and month, with how many ended in
    no further action (K07) and how many were re-referrals (K09): one pass over the year's referrals for K05,
    K07 and K09."""

    def compute() -> list[dict]:
        previous = Referral.objects.filter(
            person=OuterRef("person"),
            referred_on__lt=OuterRef("referred_on"),
            referred_on__gte=YearsAfter(OuterRef("referred_on"), -1),
        ).filter(
            # The same bounds for the whole period: only the year before it and the period itself can hold
            # an earlier referral of one in it.
            referred_on__gte=period.start - timedelta(days=366),
            referred_on__lt=period.end,
        )
        dimensions = _referral_dimensions(period) | {"reason": F("reason")}
        referrals = _narrowed(referrals_made(period), period, dimensions)
        # The re-referrals are picked out by one semi-join, hashed for the grouping to look up, rather than
        # by an EXISTS probe for every referral counted (twice as fast on the benchmark's history).
        re_referred = referrals.filter(Exists(previous)).values("pk")
        parts = {**_REFERRAL_NFA, "again": Q(pk__in=re_referred)}
        return _group_rows(referrals, dimensions, month=TruncMonth("referred_on"), parts=parts)

    return _shared(("referrals", period), compute)


def _single_assessments_completed(period: Period) -> QuerySet[SingleAssessment]:
    return SingleAssessment.objects.filter(completed_on__range=period.days)


def _single_assessment_rows(period: Period) -> list[dict]:
    """The single assessments completed in the period grouped by their referral's source, locality, age band and
    month, with how many ended in no further action (K08) and of those how many with an early help offer (K10)."""

    def compute() -> list[dict]:
        dimensions = _referral_dimensions(period, path="referral__")
        completed = _narrowed(_single_assessments_completed(period), period, dimensions)
        return _group_rows(completed, dimensions, month=TruncMonth("completed_on"), parts=_ASSESSMENT_NFA)

    return _shared(("single assessments", period), compute)


def _closure_rows(period: Period) -> list[dict]:
    """The closures in the period grouped by locality and month, with how many closed with needs met (K13) and
    how many stepped up (K11)."""

    def compute() -> list[dict]:
        closures = _narrowed(closures_made(period), period, _closure_dimensions())
        parts = {"needs_met": Q(reason__in=NEEDS_MET), "stepped_up": Q(reason=ClosureReason.STEPPED_UP)}
        return _group_rows(closures, _closure_dimensions(), month=TruncMonth("closed_at"), parts=parts)

    return _shared(("closures", period), compute)


def _closure_dimensions() -> dict[str, Any]:
    return {"locality": _locality(_ASSESSED_LOCALITY)}


def _added(rows: list[dict], part: str) -> int:
    return sum(row[part] for row in rows)


def _locality_totals(
    period: Period, rows: Callable[[Period], list[dict]], records: QuerySet, parts: Mapping[str, Q], locality: Any
) -> dict[str, int]:
    """How many records there are (`total`) and of each part, under the period's locality filter alone (K06, K10
    honour no other). With no other filter chosen these are the rows other indicators group, added up; else one
    count of the records in the locality."""
    local = Period(start=period.start, end=period.end, filters=Filters(locality=period.filters.locality))
    if local == period:
        grouped = rows(period)
        return {name: _added(grouped, name) for name in ["total", *parts]}
    narrowed = _narrowed(records, period, {"locality": locality})
    return narrowed.aggregate(total=Count("pk"), **{name: Count("pk", filter=part) for name, part in parts.items()})


def k05_referrals(period: Period) -> dict:
    rows = _referral_rows(period)
    population = settings.EARLY_HELP.measures.child_population
    dimensions = [*_referral_dimensions(period), "reason"]
    return _indicator(
        "K05",
        {"referrals": rules.rate(sum(row["total"] for row in rows), population)},
        {"referrals": _folded(rows, dimensions, part=None, month=True)},
    )


def k06_ratio(period: Period) -> dict:
    # K05's and K02's counts with the locality filter only.
    referrals = _locality_totals(period, _referral_rows, referrals_made(period), {}, _locality("locality"))
    assessments = _locality_totals(
        period, _assessment_rows, assessments_completed(period), {}, _locality(_ASSESSED_LOCALITY)
    )
    return _indicator("K06", {"referrals_per_assessment": rules.ratio(referrals["total"], assessments["total"])})


def k07_referrals_nfa(period: Period) -> dict:
    breakdowns = _folded(_referral_rows(period), list(_referral_dimensions(period)), part="nfa", month=True)
    return _share_result("K07", "no_further_action", breakdowns)


def k08_assessments_nfa(period: Period) -> dict:
    dimensions = list(_referral_dimensions(period))
    breakdowns = _folded(_single_assessment_rows(period), dimensions, part="nfa", month=True)
    return _share_result("K08", "no_further_action", breakdowns)


def k09_re_referrals(period: Period) -> dict:
    breakdowns = _folded(_referral_rows(period), list(_referral_dimensions(period)), part="again", month=True)
    return _share_result("K09", "re_referrals", breakdowns)


def k10_step_downs(period: Period) -> dict:
    family_locality = {"locality": _locality("household__locality")}
    requested = _narrowed(StepDown.objects.filter(period.moments("requested_at")), period, family_locality)
    accepted = _narrowed(
        StepDown.objects.filter(period.moments("decided_at"), status=StepDownStatus.ACCEPTED), period, family_locality
    )
    # The no further action of K07 and K08, with the locality filter only.
    referrals = _locality_totals(period, _referral_rows, referrals_made(period), _REFERRAL_NFA, _locality("locality"))
    assessments = _locality_totals(
        period, _single_assessment_rows, _single_assessments_completed(period), _ASSESSMENT_NFA, _locality("locality")
    )
    by_referral = rules.share(referrals["nfa_offered"], referrals["nfa"])
    by_assessment = rules.share(assessments["nfa_offered"], assessments["nfa"])
    return _indicator(
        "K10",
        {
            "step_downs_requested": rules.count(requested.count()),
            "step_downs_accepted": rules.count(accepted.count()),
            "no_further_action_with_offer": rules.figures_combined([by_referral, by_assessment]),
        },
        {
            "step_downs_accepted": _breakdowns(accepted, family_locality, month=TruncMonth("decided_at")),
            "no_further_action_with_offer": {"record": {"referral": by_referral, "single_assessment": by_assessment}},
        },
    )


def k11_step_ups(period: Period) -> dict:
    # Only the locality filter: an agency type would narrow the step ups but not the closures they are a share of.
    step_ups = _narrowed(
        StepUp.objects.filter(period.moments("decided_at"), status__in=SENT),
        period,
        {"locality": _locality("household__locality")},
    )
    closures = _closure_rows(period)
    dimensions = {"agency_type": _kind("requested_by__agency__kind"), "locality": _locality("household__locality")}
    return _indicator(
        "K11",
        {
            "step_ups": rules.count(step_ups.count()),
            "closures_stepped_up": rules.share(_added(closures, "stepped_up"), _added(closures, "total")),
        },
        {"step_ups": _breakdowns(step_ups, dimensions, month=TruncMonth("decided_at"))},
    )


def k12_child_protection_after_assessment(period: Period) -> dict:
    rows = _assessment_rows(period)
    breakdowns = _folded(rows, list(_assessment_dimensions()), part="protected", month=True)
    return _share_result("K12", "followed_by_child_protection", breakdowns)


def k13_needs_met(period: Period) -> dict:
    breakdowns = _folded(_closure_rows(period), list(_closure_dimensions()), part="needs_met", month=True)
    return _share_result("K13", "needs_met", breakdowns)


def k14_sustained(period: Period, *, as_of: date) -> dict:
    household = OuterRef("episode__household")
    locality = {"locality": _locality(_ASSESSED_LOCALITY)}
    met = (
        _narrowed(closures_made(period), period, locality)
        .filter(reason__in=NEEDS_MET)
        .annotate(closed=TruncDate("closed_at"))
        .annotate(window_end=YearsAfter("closed", 1))
    )
    came_back = Exists(
        SupportRequest.objects.filter(
            household=household,
            received_at__date__gt=OuterRef("closed"),
            received_at__date__lte=OuterRef("window_end"),
        )
    ) | Exists(
        Referral.objects.filter(
            household=household, referred_on__gt=OuterRef("closed"), referred_on__lte=OuterRef("window_end")
        )
    )
    followed = met.filter(window_end__lte=as_of).annotate(came_back=came_back)
    breakdowns = _breakdowns(followed, locality, part=Q(came_back=False), month=TruncMonth("closed_at"))
    return _indicator(
        "K14",
        {
            "sustained": _months_added(breakdowns, empty=rules.share(0, 0)),
            "awaiting_twelve_months": rules.count(met.filter(window_end__gt=as_of).count()),
        },
        {"sustained": breakdowns},
        as_of=as_of.isoformat(),
    )


def k15_social_care_at_end(period: Period) -> dict:
    population = settings.EARLY_HELP.measures.child_population
    dimensions = {"locality": _locality("locality"), "age_band": _age_band("person__date_of_birth", period.end)}
    open_then = _narrowed(
        CareEpisode.objects.filter(_open_at(period.end, start="started_on", finish="ended_on")), period, dimensions
    )
    # Different children do not add up across localities (a child's two episodes may be in two), so each
    # dimension is counted apart, every kind at once. A child is in one age band, so the bands add up to the whole.
    by_dimension = {name: _children_by_kind(open_then, expression) for name, expression in dimensions.items()}
    counted: dict[str, int] = {}
    for (kind, _), children in by_dimension["age_band"].items():
        counted[kind] = counted.get(kind, 0) + children
    return _indicator(
        "K15",
        {kind: rules.rate(counted.get(kind, 0), population) for kind in CareEpisodeKind.values},
        {
            kind: {
                name: {group: rules.count(children) for (of, group), children in found.items() if of == kind}
                for name, found in by_dimension.items()
            }
            for kind in CareEpisodeKind.values
        },
    )


def _children_by_kind(episodes: QuerySet, dimension: Any) -> dict[tuple[str, str], int]:
    """The different children with an episode of each kind in each group of the dimension."""
    rows = episodes.annotate(group=dimension).order_by().values("kind", "group")
    return {
        (row["kind"], _group_key(row["group"])): row["children"]
        for row in rows.annotate(children=Count("person", distinct=True))
    }


def _share_breakdowns(records: QuerySet, part: Q, dimensions: Mapping[str, Any], *, month: str) -> tuple[Figure, dict]:
    """The share `part` picks out of the records, and its breakdowns; the headline is the months added up."""
    breakdowns = _breakdowns(records, dimensions, part=part, month=TruncMonth(month))
    return rules.figures_combined([rules.share(0, 0), *breakdowns["month"].values()]), breakdowns


def k16_feedback(period: Period) -> dict:
    dimensions = {"locality": _locality(_ASSESSED_LOCALITY), "lead_agency_type": _kind("lead_agency__kind")}
    answered = _narrowed(FeedbackInvitation.objects.filter(period.moments("responded_at")), period, dimensions)
    invited = _narrowed(FeedbackInvitation.objects.filter(period.moments("created_at")), period, dimensions)
    yes = FeedbackAnswer.YES
    # Each share counts the answers that answered its question(s): a survey brought from an earlier system
    # may hold only the rating.
    shares = {
        "better_supported_and_know_where_to_go": (
            answered.exclude(better_supported="").exclude(know_where_to_go=""),
            Q(better_supported=yes, know_where_to_go=yes),
        ),
        "better_supported": (answered.exclude(better_supported=""), Q(better_supported=yes)),
        "know_where_to_go": (answered.exclude(know_where_to_go=""), Q(know_where_to_go=yes)),
    }
    figures: dict[str, Figure] = {}
    breakdowns: dict[str, Any] = {}
    for name, (records, part) in shares.items():
        figures[name], breakdowns[name] = _share_breakdowns(records, part, dimensions, month="responded_at")
    figures["found_it_helpful"] = _share_of(answered.filter(rating__isnull=False), Q(rating__gte=HELPFUL_RATING))
    figures["response_rate"] = _share_of(invited, Q(responded_at__isnull=False))
    return _indicator("K16", figures, breakdowns)


def k17_services(period: Period) -> dict:
    used = _narrowed(
        PlanAction.objects.filter(period.moments("plan__episode__closure__closed_at"), service__isnull=False)
        .exclude(status=ActionStatus.CANCELLED)
        .order_by(),
        period,
        {"locality": _locality("plan__episode__household__locality")},
    )
    met = Q(plan__episode__closure__reason__in=NEEDS_MET)
    by_service = used.values("service__name").annotate(
        closures=Count("plan__episode", distinct=True), met=Count("plan__episode", filter=met, distinct=True)
    )
    closures = used.aggregate(
        closures=Count("plan__episode", distinct=True), met=Count("plan__episode", filter=met, distinct=True)
    )
    return _indicator(
        "K17",
        {"needs_met_with_a_service": rules.share(closures["met"], closures["closures"])},
        {
            "needs_met_with_a_service": {
                "service": {
                    row["service__name"]: rules.share(row["met"], row["closures"])
                    for row in by_service.order_by("service__name")
                }
            }
        },
    )


def k18_caseloads(period: Period) -> dict:
    locality = {"locality": _locality("household__locality")}
    episodes = _narrowed(
        Episode.objects.filter(_open_at(period.end, start="opened_on", finish="closed_on")), period, locality
    )
    leads = _narrowed(
        Involvement.objects.filter(
            _open_at(period.end, start="started_on", finish="ended_on"),
            role=InvolvementRole.LEAD_PROFESSIONAL,
            practitioner__isnull=False,
        ),
        period,
        locality,
    )
    loads = list(
        leads.order_by()
        .values("practitioner", "agency__kind")
        .annotate(families=Count("household", distinct=True))
        .values_list("agency__kind", "families")
    )
    by_agency: dict[str, list[int]] = {}
    for kind, families in loads:
        by_agency.setdefault(kind, []).append(families)
    return _indicator(
        "K18",
        {
            "open_episodes": rules.count(episodes.count()),
            "caseload": rules.caseloads([families for _, families in loads]),
        },
        {
            "open_episodes": _breakdowns(episodes, locality),
            "caseload": {"agency_type": {kind: rules.caseloads(values) for kind, values in sorted(by_agency.items())}},
        },
    )


# The filters each indicator honours: those that narrow every one of its figures alike (docs/indicators.md).
_EVERY_FILTER = frozenset(FILTERED_DIMENSIONS)
_LOCALITY_AND_AGENCY = frozenset({"locality", "agency_type"})
_LOCALITY_AND_AGE = frozenset({"locality", "age_band"})
_LOCALITY = frozenset({"locality"})


def _confidence_aggregates(score: str) -> dict[str, Any]:
    return {
        "respondents": Count("pk"),
        "confident": Count("pk", filter=Q(**{f"{score}__gte": rules.CONFIDENT})),
        "mean": Avg(score),
    }


def _confidence(answers: QuerySet, score: str) -> Figure:
    """The answers to one question: the share confident (4 or 5) and the mean score."""
    totals = answers.aggregate(**_confidence_aggregates(score))
    return rules.confidence_figure(totals["respondents"], totals["confident"], totals["mean"])


def _confidence_by(answers: QuerySet, score: str, group: Any) -> dict[str, Figure]:
    rows = answers.annotate(group=group).order_by("group").values("group").annotate(**_confidence_aggregates(score))
    return {
        str(row["group"]): rules.confidence_figure(row["respondents"], row["confident"], row["mean"]) for row in rows
    }


def k19_practitioner_confidence(period: Period) -> dict:
    answers = ConfidenceAnswer.objects.filter(period.moments("answered_at"))
    dimensions = {"agency_type": _kind("agency__kind"), "locality": _locality("locality")}
    return _indicator(
        "K19",
        {score: _confidence(answers, score) for score in rules.CONFIDENCE_QUESTIONS},
        {
            score: {name: _confidence_by(answers, score, expression) for name, expression in dimensions.items()}
            for score in rules.CONFIDENCE_QUESTIONS
        },
        survey_months=settings.EARLY_HELP.measures.confidence_survey_months,
    )


FILTERS_HONOURED: dict[str, frozenset[str]] = {
    "K01": _EVERY_FILTER,
    "K02": _LOCALITY_AND_AGENCY,
    "K03": _LOCALITY_AND_AGENCY,
    "K04": _LOCALITY_AND_AGENCY,
    "K05": _EVERY_FILTER,
    "K06": _LOCALITY,
    "K07": _EVERY_FILTER,
    "K08": _EVERY_FILTER,
    "K09": _EVERY_FILTER,
    "K10": _LOCALITY,
    "K11": _LOCALITY,
    "K12": _LOCALITY_AND_AGENCY,
    "K13": _LOCALITY,
    "K14": _LOCALITY,
    "K15": _LOCALITY_AND_AGE,
    "K16": _LOCALITY_AND_AGENCY,
    "K17": _LOCALITY,
    "K18": _LOCALITY,
    # The survey's answers are counted whole: its own page breaks them down by agency type and locality.
    "K19": frozenset(),
}

INDICATORS: dict[str, Callable[..., dict]] = {
    "K01": k01_requests,
    "K02": k02_assessments,
    "K03": k03_timeliness,
    "K04": k04_quality,
    "K05": k05_referrals,
    "K06": k06_ratio,
    "K07": k07_referrals_nfa,
    "K08": k08_assessments_nfa,
    "K09": k09_re_referrals,
    "K10": k10_step_downs,
    "K11": k11_step_ups,
    "K12": k12_child_protection_after_assessment,
    "K13": k13_needs_met,
    "K14": k14_sustained,
    "K15": k15_social_care_at_end,
    "K16": k16_feedback,
    "K17": k17_services,
    "K18": k18_caseloads,
    "K19": k19_practitioner_confidence,
}


# Memory each sort or hash of a reporting query may take before it spills to disk. PostgreSQL's default (4 MB)
# makes the year's grouped counts sort on disk and group by sorting; with this they hash in memory, and the
# indicators take a third less time on the benchmark's history. Reporting queries are few at a time.
REPORTING_WORK_MEM = "64MB"


@contextmanager
def reporting_transaction(*, parallel_queries: bool = True) -> Iterator[None]:
    """One transaction for reporting reads, on the database they go to (a replica when one is configured). On
    PostgreSQL: no JIT, which starts on every query the planner costs above `jit_above_cost`, as these grouped
    counts over a year are, and compiles for longer (half a second a query, measured on the benchmark's history)
    than the query then saves; and `REPORTING_WORK_MEM` for each sort and hash. Without `parallel_queries` no
    query starts parallel workers of its own: for the groups of AT_ONCE, which already keep both cores busy
    (their workers would only contend with the other group's: a fifth longer on the benchmark's history)."""
    alias = reporting_database()
    with transaction.atomic(using=alias):
        if connections[alias].vendor == "postgresql":
            with connections[alias].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute(f"SET LOCAL work_mem = '{REPORTING_WORK_MEM}'")
                if not parallel_queries:
                    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield


# The indicators computed at once on two connections of their own, where the database allows: two groups of
# about equal work (on the benchmark's history, each query without parallel workers), one a core; the rest
# then follow from the rows they share.
AT_ONCE: tuple[tuple[str, ...], ...] = (
    ("K01", "K04", "K05", "K07", "K09", "K14", "K15"),
    ("K02", "K03", "K08", "K11", "K12", "K13"),
)


def _computed(key: str, period: Period, today: date) -> dict:
    compute = INDICATORS[key]
    return compute(period, as_of=today) if key == "K14" else compute(period)


def _at_once_possible() -> bool:
    """On PostgreSQL, and outside a transaction (whose rows not yet committed another connection would not see)."""
    connection = connections[reporting_database()]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


T = TypeVar("T")


def _on_its_own_connection(work: Callable[[], T]) -> T:
    """`work` in a thread of its own (its own connection, closed after), in a reporting transaction whose
    queries start no parallel workers: the threads already keep both cores busy."""
    try:
        with reporting_transaction(parallel_queries=False):
            return work()
    finally:
        connections.close_all()  # this thread's connections only


def _computed_at_once(period: Period, today: date) -> dict[str, dict]:
    """The groups of AT_ONCE, each in a thread with its own connection and reporting transaction. Each sees the
    committed rows as every query does (a statement at a time), as computing them in turn would."""

    def group(keys: tuple[str, ...]) -> dict[str, dict]:
        return {key: _computed(key, period, today) for key in keys}

    with ThreadPoolExecutor(max_workers=len(AT_ONCE)) as pool:
        # Each thread runs in a copy of this context: the reporting reads' routing and the shared rows.
        futures = [pool.submit(copy_context().run, _on_its_own_connection, partial(group, keys)) for keys in AT_ONCE]
        return {key: figures for future in futures for key, figures in future.result().items()}


@reporting_reads()
def indicators(period: Period, *, as_of: date | None = None) -> dict[str, dict]:
    """Every indicator for the period, raw (not suppressed); K14 follows closures up to `as_of` (today by default)."""
    today = as_of or timezone.localdate()
    shared = _SHARED.set({})
    try:
        found = _computed_at_once(period, today) if _at_once_possible() else {}
        with reporting_transaction():
            found |= {key: _computed(key, period, today) for key in INDICATORS if key not in found}
        return {key: found[key] for key in INDICATORS}
    finally:
        _SHARED.reset(shared)


# --- Over time: an indicator's figures for each part of a period -------------------------------------------


def _counts_by_day(records: QuerySet, day: Any) -> dict[date, int]:
    rows = records.annotate(counted_on=day).order_by().values("counted_on").annotate(records=Count("pk"))
    return {row["counted_on"]: row["records"] for row in rows}


def _added_in(counts: Mapping[date, int], part: Period) -> int:
    return sum(records for day, records in counts.items() if part.start <= day <= part.end)


def _spanned(parts: Sequence[Period], filters: Filters) -> Period:
    return Period(start=min(part.start for part in parts), end=max(part.end for part in parts), filters=filters)


def _k06_over_time(parts: Sequence[Period]) -> dict[str, list[Figure]]:
    """K06 in each part: the referrals and completed assessments of the whole span counted by day in two
    queries (under the locality filter alone, as K06 honours), then added up within each part."""
    span = _spanned(parts, Filters(locality=parts[0].filters.locality))
    referrals = _narrowed(referrals_made(span), span, {"locality": _locality("locality")})
    completed = _narrowed(assessments_completed(span), span, {"locality": _locality(_ASSESSED_LOCALITY)})
    by_day = _counts_by_day(referrals, F("referred_on")), _counts_by_day(completed, TruncDate("reviewed_at"))
    return {
        "referrals_per_assessment": [
            rules.ratio(_added_in(by_day[0], part), _added_in(by_day[1], part)) for part in parts
        ]
    }


def _age_kept(part: Period, date_of_birth: str) -> Q:
    """The records in the age band the part's filter keeps, each child's band on the part's last day."""
    wanted = part.filters.age_band
    return Q() if wanted is None else Q(Exact(_age_band(date_of_birth, part.end), wanted))


def _k15_over_time(parts: Sequence[Period]) -> dict[str, list[Figure]]:
    """K15 at the end of each part: the different children open in social care on each last day, every day
    and every kind counted in one pass over the episodes open on any of them."""
    ends = [part.end for part in parts]
    episodes = _narrowed(CareEpisode.objects.all(), parts[0], {"locality": _locality("locality")}).filter(
        Q(started_on__lte=max(ends)) & (Q(ended_on__isnull=True) | Q(ended_on__gt=min(ends)))
    )
    open_then = {
        f"at_{index}": Count(
            "person",
            distinct=True,
            filter=_open_at(part.end, start="started_on", finish="ended_on") & _age_kept(part, "person__date_of_birth"),
        )
        for index, part in enumerate(parts)
    }
    rows = {row["kind"]: row for row in episodes.order_by().values("kind").annotate(**open_then)}
    population = settings.EARLY_HELP.measures.child_population
    return {
        kind: [rules.rate(rows[kind][f"at_{index}"] if kind in rows else 0, population) for index in range(len(parts))]
        for kind in CareEpisodeKind.values
    }


def _k18_over_time(parts: Sequence[Period]) -> dict[str, list[Figure]]:
    """K18's open episodes at the end of each part, every day counted in one pass over the episodes."""
    episodes = _narrowed(Episode.objects.all(), parts[0], {"locality": _locality("household__locality")})
    open_then = episodes.aggregate(
        **{
            f"at_{index}": Count("pk", filter=_open_at(part.end, start="opened_on", finish="closed_on"))
            for index, part in enumerate(parts)
        }
    )
    return {"open_episodes": [rules.count(open_then[f"at_{index}"]) for index in range(len(parts))]}


# The figures worked out for every part at once, and how: each indicator here would otherwise take a pass over
# its records for each part (a year by month: twelve).
_OVER_TIME: dict[str, tuple[frozenset[str], Callable[[Sequence[Period]], dict[str, list[Figure]]]]] = {
    "K06": (frozenset({"referrals_per_assessment"}), _k06_over_time),
    "K15": (frozenset(CareEpisodeKind.values), _k15_over_time),
    "K18": (frozenset({"open_episodes"}), _k18_over_time),
}


@reporting_reads()
def figures_over_time(key: str, names: Sequence[str], parts: Sequence[Period]) -> dict[str, list[Figure]]:
    """The indicator's figures `names` (raw) in each part of one period (its months, quarters or years, with the
    period's filters): what the indicator worked out for each part in turn gives. K06, K15 and K18 count every
    part in one pass over their records; the others are worked out part by part."""
    if not parts:
        return {name: [] for name in names}
    if len({part.filters for part in parts}) > 1:
        raise ValueError("the parts of a period share its filters")
    at_once = _OVER_TIME.get(key)
    if at_once is not None and set(names) <= at_once[0]:
        found = at_once[1](parts)
        return {name: found[name] for name in names}
    in_turn = [INDICATORS[key](part) for part in parts]
    return {name: [each["figures"][name] for each in in_turn] for name in names}


@reporting_reads()
def indicators_and_figures_over_time(
    period: Period, parts: Sequence[Period], wanted: Mapping[str, Sequence[str]], *, as_of: date | None = None
) -> tuple[dict[str, dict], dict[str, dict[str, list[Figure]]]]:
    """Every indicator for the period (`indicators`) and, for each indicator in `wanted`, those figures in each
    part (`figures_over_time`). On PostgreSQL outside a transaction, the parts' figures are worked out on a
    connection of their own while the indicators are (a dashboard's trends beside its headline figures: both
    cores stay busy to the end, where the parts would otherwise follow on one); else in turn."""

    def over_time() -> dict[str, dict[str, list[Figure]]]:
        return {key: figures_over_time(key, names, parts) for key, names in wanted.items()}

    if not wanted or not _at_once_possible():
        return indicators(period, as_of=as_of), over_time()

    with ThreadPoolExecutor(max_workers=1) as pool:
        # The thread runs in a copy of this context: the reporting reads' routing.
        beside = pool.submit(copy_context().run, _on_its_own_connection, over_time)
        found = indicators(period, as_of=as_of)
        return found, beside.result()
