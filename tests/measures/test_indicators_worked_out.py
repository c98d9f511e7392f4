"""The indicators that share grouped rows (K01 to K13, K15) against the same figures worked out plainly, record
by record in Python, on a small mixed history: many records on random days around the period, with every edge
of docs/indicators.md likely to meet (same-day and year-apart referrals, supplements, episodes without a request,
records without a locality). The database path groups several indicators in one query; this checks that the
grouping, the folding and the shared rows give what a straightforward count gives."""

import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pytest
from django.db import transaction

from earlyhelp.accounts.models import AgencyKind
from earlyhelp.dataprotection.retention import years_after
from earlyhelp.families.models import MemberRole
from earlyhelp.insights.dashboard import buckets
from earlyhelp.journey.models import ClosureReason
from earlyhelp.measures import rules, selectors
from earlyhelp.measures.models import AssessmentOutcome, CareEpisodeKind, ReferralOutcome
from earlyhelp.measures.selectors import Filters, Period
from tests.assessments.factories import (
    ApprovedVersionFactory,
    ClosedEpisodeFactory,
    EpisodeFactory,
)
from tests.factories import ChildFactory, HouseholdFactory, LocalityFactory, MembershipFactory, UserFactory
from tests.journey.factories import SupportRequestFactory

from .factories import CareEpisodeFactory, ReferralFactory, SingleAssessmentFactory, at, closure

pytestmark = pytest.mark.django_db

YEAR = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))
TARGET = 45
SOURCES = ["police", "health", "education", "family"]
LEADS = [AgencyKind.EDUCATION, AgencyKind.HEALTH, AgencyKind.LOCAL_AUTHORITY, AgencyKind.SOCIAL_CARE]


@dataclass
class Child:
    person: object
    locality: str
    born: date


@dataclass
class Worked:
    """What was made, kept plainly to count from."""

    completions: list[tuple[date, str, str, date | None, list]] = field(default_factory=list)  # day, lead, locality
    referrals: list[tuple[Child, date, str, str, bool]] = field(default_factory=list)  # source, outcome, offer
    assessments: list[tuple[Child, date, str, str, bool]] = field(default_factory=list)  # completed, source, ...
    plans: list[tuple[Child, str, date, date | None, str]] = field(default_factory=list)  # kind, start, end, locality
    closures: list[tuple[date, str, str]] = field(default_factory=list)  # day, reason, locality
    requests: int = 0


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _history(seed: int) -> Worked:
    rng = random.Random(seed)
    worked = Worked()
    localities = [LocalityFactory(name="Kirkby"), LocalityFactory(name="Huyton"), None]
    leads = {kind: UserFactory(team__agency__kind=kind) for kind in LEADS}
    for _ in range(14):
        locality = rng.choice(localities)
        household = HouseholdFactory(locality=locality)
        where = locality.name if locality else rules.UNKNOWN
        children = []
        for _ in range(rng.randint(1, 2)):
            born = _day(rng, date(2008, 1, 1), date(2025, 1, 1))
            person = MembershipFactory(
                household=household, role=MemberRole.CHILD, person=ChildFactory(date_of_birth=born)
            ).person
            children.append(Child(person, where, born))
        _episodes(rng, worked, household, where, children, leads)
        for child in children:
            _social_care(rng, worked, child, household, locality)
        for _ in range(rng.randint(0, 2)):
            reason = rng.choice([ClosureReason.OUTCOMES_ACHIEVED, ClosureReason.STEPPED_UP, ClosureReason.MOVED_AWAY])
            day = _day(rng, date(2025, 3, 1), date(2026, 4, 30))
            closure(household=household, closed_on=day, reason=reason)
            worked.closures.append((day, reason, where))
    return worked


def _episodes(rng, worked, household, where, children, leads) -> None:
    for number in range(rng.randint(1, 2)):
        # One open episode a family at a time: the second is closed.
        made = EpisodeFactory if number == 0 else ClosedEpisodeFactory
        episode = made(household=household, opened_on=date(2024, 1, 1))
        requested = [_day(rng, date(2024, 12, 1), date(2026, 2, 1)) for _ in range(rng.randint(0, 2))]
        for day in requested:
            SupportRequestFactory(household=household, episode=episode, received_at=at(day, hour=9))
        worked.requests += sum(1 for day in requested if YEAR.start <= day <= YEAR.end)
        lead = rng.choice(LEADS)
        user = leads[lead]
        first = _day(rng, date(2025, 2, 1), date(2026, 4, 30))
        approved = ApprovedVersionFactory(episode=episode, created_by=user, reviewed_at=at(first))
        if rng.random() < 0.3:  # a supplement: not another completion
            ApprovedVersionFactory(
                episode=episode,
                assessment=approved.assessment,
                number=approved.number + 1,
                created_by=user,
                reviewed_at=at(_day(rng, first, date(2026, 4, 30))),
            )
        worked.completions.append((first, lead, where, min(requested, default=None), children))


def _social_care(rng, worked, child, household, locality) -> None:
    days = [_day(rng, date(2024, 3, 1), date(2026, 4, 30)) for _ in range(rng.randint(0, 3))]
    if days and rng.random() < 0.4:
        days.append(years_after(days[0], 1))  # exactly twelve months later
    if days and rng.random() < 0.3:
        days.append(days[0])  # the same day
    for day in days:
        source = rng.choice(SOURCES)
        outcome = rng.choice(
            [ReferralOutcome.NO_FURTHER_ACTION, ReferralOutcome.SINGLE_ASSESSMENT, ReferralOutcome.OTHER]
        )
        offer = outcome == ReferralOutcome.NO_FURTHER_ACTION and rng.random() < 0.5
        referral = ReferralFactory(
            person=child.person,
            household=household,
            locality=locality,
            referred_on=day,
            source_agency_type=source,
            outcome=outcome,
            early_help_offer=offer,
        )
        worked.referrals.append((child, day, source, outcome, offer))
        if outcome == ReferralOutcome.SINGLE_ASSESSMENT and rng.random() < 0.8:
            completed = day + timedelta(days=rng.randrange(10, 60))
            result = rng.choice([AssessmentOutcome.NO_FURTHER_ACTION, AssessmentOutcome.CHILD_IN_NEED])
            offered = result == AssessmentOutcome.NO_FURTHER_ACTION and rng.random() < 0.5
            SingleAssessmentFactory(
                referral=referral,
                locality=locality,
                completed_on=completed,
                outcome=result,
                early_help_offer=offered,
            )
            worked.assessments.append((child, completed, source, result, offered))
    for _ in range(rng.randint(0, 2)):
        kind = rng.choice(CareEpisodeKind.values)
        started = _day(rng, date(2024, 6, 1), date(2026, 6, 1))
        ended = started + timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.5 else None
        CareEpisodeFactory(person=child.person, locality=locality, kind=kind, started_on=started, ended_on=ended)
        worked.plans.append((child, kind, started, ended, child.locality))


def _in_year(day: date) -> bool:
    return YEAR.start <= day <= YEAR.end


def _shares(pairs) -> dict[str, dict]:
    """(group, in the part) pairs as a share for each group."""
    counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, part in pairs:
        counted[group][0] += bool(part)
        counted[group][1] += 1
    return {group: rules.share(numerator, total) for group, (numerator, total) in counted.items()}


@pytest.mark.parametrize("seed", [1, 2])
def test_the_grouped_indicators_equal_the_figures_worked_out_record_by_record(seed):
    worked = _history(seed)

    found = selectors.indicators(YEAR, as_of=date(2026, 6, 1))

    end = YEAR.end
    completions = [c for c in worked.completions if _in_year(c[0])]
    assert found["K01"]["figures"]["requests"] == rules.count(worked.requests)
    partner = [lead not in (AgencyKind.LOCAL_AUTHORITY, AgencyKind.SOCIAL_CARE) for _, lead, _, _, _ in completions]
    assert found["K02"]["figures"] == {
        "assessments": rules.count(len(completions)),
        "partner_led": rules.share(sum(partner), len(completions)),
    }
    by_lead = defaultdict(int)
    for _, lead, _, _, _ in completions:
        by_lead[lead] += 1
    assert found["K02"]["breakdowns"]["assessments"]["lead_agency_type"] == {
        k: rules.count(n) for k, n in by_lead.items()
    }

    timed = [((day - requested).days, where) for day, _, where, requested, _ in completions if requested is not None]
    days = [elapsed for elapsed, _ in timed]
    assert found["K03"]["figures"] == {
        "median": {"count": len(days), "median_days": statistics.median(days) if days else None},
        "within_target": rules.share(sum(d <= TARGET for d in days), len(days)),
        "without_request": rules.count(len(completions) - len(days)),
    }
    assert found["K03"]["breakdowns"]["within_target"]["locality"] == _shares((w, d <= TARGET) for d, w in timed)

    followed = [
        any(
            plan_child.person == child.person
            and kind == CareEpisodeKind.CHILD_PROTECTION
            and day <= started <= years_after(day, 1)
            for child in children
            for plan_child, kind, started, _, _ in worked.plans
        )
        for day, _, _, _, children in completions
    ]
    assert found["K12"]["figures"]["followed_by_child_protection"] == rules.share(sum(followed), len(completions))

    referrals = [r for r in worked.referrals if _in_year(r[1])]
    assert found["K05"]["figures"]["referrals"]["count"] == len(referrals)
    assert found["K05"]["breakdowns"]["referrals"]["age_band"] == {
        band: rules.count(n) for band, n in _counted(rules.age_band(child.born, end) for child, *_ in referrals).items()
    }
    assert found["K07"]["breakdowns"]["no_further_action"]["source_agency_type"] == _shares(
        (source, outcome == ReferralOutcome.NO_FURTHER_ACTION) for _, _, source, outcome, _ in referrals
    )
    again = [
        (
            child.locality,
            any(o.person == child.person and years_after(day, -1) <= d < day for o, d, *_ in worked.referrals),
        )
        for child, day, *_ in referrals
    ]
    assert found["K09"]["breakdowns"]["re_referrals"]["locality"] == _shares(again)
    assert found["K09"]["figures"]["re_referrals"] == rules.share(sum(a for _, a in again), len(again))
    assert found["K06"]["figures"]["referrals_per_assessment"] == rules.ratio(len(referrals), len(completions))

    assessments = [a for a in worked.assessments if _in_year(a[1])]
    assert found["K08"]["breakdowns"]["no_further_action"]["source_agency_type"] == _shares(
        (source, outcome == AssessmentOutcome.NO_FURTHER_ACTION) for _, _, source, outcome, _ in assessments
    )
    offers = found["K10"]["breakdowns"]["no_further_action_with_offer"]["record"]
    referral_offers = [offer for _, _, _, outcome, offer in referrals if outcome == ReferralOutcome.NO_FURTHER_ACTION]
    assert offers["referral"] == rules.share(sum(referral_offers), len(referral_offers))
    assessment_offers = [
        offer for _, _, _, outcome, offer in assessments if outcome == AssessmentOutcome.NO_FURTHER_ACTION
    ]
    assert offers["single_assessment"] == rules.share(sum(assessment_offers), len(assessment_offers))

    closures = [c for c in worked.closures if _in_year(c[0])]
    assert found["K11"]["figures"]["closures_stepped_up"] == rules.share(
        sum(reason == ClosureReason.STEPPED_UP for _, reason, _ in closures), len(closures)
    )
    assert found["K13"]["breakdowns"]["needs_met"]["locality"] == _shares(
        (where, reason in selectors.NEEDS_MET) for _, reason, where in closures
    )

    open_then = [p for p in worked.plans if p[2] <= end and (p[3] is None or p[3] > end)]
    for kind in CareEpisodeKind.values:
        of_kind = [(child, where) for child, k, _, _, where in open_then if k == kind]
        assert found["K15"]["figures"][kind]["count"] == len({child.person.pk for child, _ in of_kind})
        # A child counts once in each group, however many episodes they have in it.
        localities = {(child.person.pk, where) for child, where in of_kind}
        bands = {(child.person.pk, rules.age_band(child.born, end)) for child, _ in of_kind}
        assert found["K15"]["breakdowns"][kind] == {
            "locality": {group: rules.count(n) for group, n in _counted(where for _, where in localities).items()},
            "age_band": {group: rules.count(n) for group, n in _counted(band for _, band in bands).items()},
        }


def _counted(values) -> dict[str, int]:
    counted: dict[str, int] = defaultdict(int)
    for value in values:
        counted[value] += 1
    return dict(counted)


@pytest.mark.parametrize(
    "chosen", [Filters(locality="Kirkby"), Filters(agency_type="police"), Filters(age_band="6-10")]
)
def test_with_a_filter_each_indicator_counts_what_it_counts_with_the_filter_alone(chosen):
    """K06 and K10 honour the locality only: with another filter they count apart from the rows K05 and K08 share."""
    _history(3)
    filtered = Period(start=YEAR.start, end=YEAR.end, filters=chosen)
    by_locality_only = Period(start=YEAR.start, end=YEAR.end, filters=Filters(locality=chosen.locality))

    found = selectors.indicators(filtered, as_of=date(2026, 6, 1))
    alone = selectors.indicators(by_locality_only, as_of=date(2026, 6, 1))

    for key in ("K06", "K10", "K11", "K13"):
        assert found[key] == alone[key]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_computed_at_once_on_their_own_connections_the_indicators_equal_those_computed_in_turn(monkeypatch):
    """Outside a transaction PostgreSQL computes the groups of selectors.AT_ONCE on connections of their own; the
    rows are committed here so that those connections see them."""
    worked = _history(4)
    at_once = []
    computed_at_once = selectors._computed_at_once
    monkeypatch.setattr(selectors, "_computed_at_once", lambda *args: at_once.append(1) or computed_at_once(*args))

    together = selectors.indicators(YEAR, as_of=date(2026, 6, 1))
    with transaction.atomic():
        in_turn = selectors.indicators(YEAR, as_of=date(2026, 6, 1))

    assert at_once == [1]
    assert together == in_turn
    assert together["K05"]["figures"]["referrals"]["count"] == sum(1 for r in worked.referrals if _in_year(r[1]))


# A period that starts and ends inside a month, so that its first and last parts are parts of months.
SPLIT = Period(start=date(2025, 4, 10), end=date(2026, 3, 20))


@pytest.mark.parametrize(
    "chosen",
    [Filters(), Filters(locality="Kirkby"), Filters(locality=rules.UNKNOWN), Filters(age_band="11-15")],
    ids=["unfiltered", "locality", "no-locality", "age-band"],
)
def test_the_figures_over_time_equal_each_part_worked_out_in_turn(chosen):
    """K06, K15 and K18 count every month (or quarter) of the dashboard's trend in one pass over their records;
    each part's figures are those of the indicator worked out for that part alone."""
    _history(5)
    period = replace(SPLIT, filters=chosen)
    counted = 0
    for granularity in ("month", "quarter"):
        parts = [part for _, _, part in buckets(period, granularity)]
        for key, (names, _) in selectors._OVER_TIME.items():
            in_turn = [selectors.INDICATORS[key](part)["figures"] for part in parts]
            expected = {name: [figures[name] for figures in in_turn] for name in sorted(names)}

            assert selectors.figures_over_time(key, sorted(names), parts) == expected, (key, granularity)
            counted += sum(figure.get("count", figure.get("numerator", 0)) for f in expected.values() for figure in f)
    assert counted > 0  # the history has records in the parts to count


def test_the_parts_of_a_period_share_its_filters():
    parts = [
        Period(start=date(2025, 4, 1), end=date(2025, 4, 30)),
        Period(start=date(2025, 5, 1), end=date(2025, 5, 31), filters=Filters(locality="Kirkby")),
    ]

    with pytest.raises(ValueError, match="share its filters"):
        selectors.figures_over_time("K18", ["open_episodes"], parts)
