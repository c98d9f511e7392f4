"""Each indicator computed on a small history whose answer is worked out here, with the edge cases
docs/indicators.md names: records on the period's first and last days, a child re-referred exactly
12 months later, episodes open across the period's end."""

import dataclasses
from datetime import date, timedelta

import pytest

from earlyhelp.families.models import InvolvementRole, MemberRole
from earlyhelp.journey.models import ClosureReason, EpisodeStatus, FeedbackInvitation, RequestStatus, StepUpStatus
from earlyhelp.measures import selectors
from earlyhelp.measures.models import AssessmentOutcome, CareEpisodeKind, ReferralOutcome
from earlyhelp.measures.selectors import Period
from earlyhelp.plans.models import ActionStatus
from tests.assessments.factories import (
    ApprovedVersionFactory,
    EpisodeFactory,
    ReturnedVersionFactory,
    SubmittedVersionFactory,
)
from tests.directory.factories import ServiceFactory
from tests.factories import (
    AgencyFactory,
    ChildFactory,
    HouseholdFactory,
    InvolvementFactory,
    LocalityFactory,
    MembershipFactory,
    UserFactory,
)
from tests.journey.factories import (
    AcceptedStepDownFactory,
    FamilyRequestFactory,
    SentStepUpFactory,
    StepDownFactory,
    SupportRequestFactory,
)
from tests.plans.factories import ActionFactory, PlanFactory

from .factories import CareEpisodeFactory, ReferralFactory, SingleAssessmentFactory, at, closure

pytestmark = pytest.mark.django_db

YEAR = Period(start=date(2025, 4, 1), end=date(2026, 3, 31))


def _lead(kind: str):
    return UserFactory(team__agency__kind=kind)


def _completed(day: date, *, episode=None, kind: str = "education", **kwargs):
    """An assessment version approved on the day, submitted by a lead of the agency kind."""
    episode = episode or EpisodeFactory(opened_on=date(2025, 1, 1))
    return ApprovedVersionFactory(episode=episode, created_by=_lead(kind), reviewed_at=at(day), **kwargs)


# --- K01 -----------------------------------------------------------------------------------------------


def test_k01_counts_requests_received_on_the_first_and_last_days_in_local_time_and_breaks_them_down():
    north = LocalityFactory(name="North")
    # 00:30 on 1 April is 23:30 on 31 March in UTC: it is in the period by the council's clock.
    SupportRequestFactory(
        received_at=at(date(2025, 4, 1), 0, 30),
        household=HouseholdFactory(locality=north),
        child_date_of_birth=date(2010, 4, 1),  # 15 on the last day: 16 only on 1 April 2026
    )
    SupportRequestFactory(
        received_at=at(date(2026, 3, 31), 23, 30),
        requested_by=UserFactory(team__agency__kind="police"),
        child_date_of_birth=date(2010, 3, 31),  # 16 on the last day itself
    )
    FamilyRequestFactory(received_at=at(date(2025, 10, 15)), child_date_of_birth=date(2019, 1, 1))
    SupportRequestFactory(received_at=at(date(2025, 3, 31), 23, 59))
    SupportRequestFactory(received_at=at(date(2026, 4, 1), 0, 0))

    k01 = selectors.k01_requests(YEAR)

    assert k01["figures"]["requests"] == {"count": 3}
    by = k01["breakdowns"]["requests"]
    assert by["source_agency_type"] == {"education": {"count": 1}, "police": {"count": 1}, "family": {"count": 1}}
    assert by["locality"] == {"North": {"count": 1}, "unknown": {"count": 2}}
    assert by["age_band"] == {"11-15": {"count": 1}, "16+": {"count": 1}, "6-10": {"count": 1}}
    assert by["month"] == {"2025-04": {"count": 1}, "2025-10": {"count": 1}, "2026-03": {"count": 1}}
    assert by["quarter"] == {"2025-26 Q1": {"count": 1}, "2025-26 Q3": {"count": 1}, "2025-26 Q4": {"count": 1}}
    assert by["year"] == {"2025-26": {"count": 3}}


# --- K02, K03, K04, K06 --------------------------------------------------------------------------------------


def test_k02_counts_the_first_approved_version_of_each_episode_and_the_share_led_by_partners():
    first = _completed(date(2025, 6, 1), kind="health")
    _completed(date(2025, 7, 1), episode=first.episode)  # a supplement to the same episode: not another
    closed = EpisodeFactory(opened_on=date(2025, 1, 1), status=EpisodeStatus.CLOSED, closed_on=date(2025, 7, 31))
    earlier = _completed(date(2025, 3, 31), episode=closed)  # approved the day before the period
    _completed(date(2025, 5, 1), episode=earlier.episode)  # not the first of its episode
    new_episode = EpisodeFactory(household=earlier.episode.household, opened_on=date(2025, 8, 1))
    _completed(date(2025, 9, 1), episode=new_episode, kind="local_authority")  # a new episode's first
    SubmittedVersionFactory(episode=EpisodeFactory())  # not approved

    k02 = selectors.k02_assessments(YEAR)

    assert k02["figures"]["assessments"] == {"count": 2}
    assert k02["figures"]["partner_led"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    by = k02["breakdowns"]["assessments"]
    assert by["lead_agency_type"] == {"health": {"count": 1}, "local_authority": {"count": 1}}
    assert by["month"] == {"2025-06": {"count": 1}, "2025-09": {"count": 1}}


def _requested(episode, day: date):
    return SupportRequestFactory(
        household=episode.household,
        episode=episode,
        status=RequestStatus.ASSESSMENT,
        received_at=at(day),
        triaged_at=at(day),
    )


def test_k03_times_each_completion_from_the_earliest_request_of_its_episode(settings):
    on_time = _completed(date(2025, 5, 25))
    _requested(on_time.episode, date(2025, 4, 10))  # 45 days: within the target
    late = _completed(date(2025, 7, 17))
    _requested(late.episode, date(2025, 6, 1))  # 46 days
    two_requests = _completed(date(2025, 8, 4))
    _requested(two_requests.episode, date(2025, 7, 20))
    _requested(two_requests.episode, date(2025, 7, 1))  # the earliest: 34 days
    _completed(date(2025, 8, 1))  # an episode with no request (a step down): not timed

    k03 = selectors.k03_timeliness(YEAR)

    assert k03["target_days"] == 45
    assert k03["figures"]["median"] == {"count": 3, "median_days": 45}
    assert k03["figures"]["within_target"] == {"numerator": 2, "denominator": 3, "share": 0.6667}
    assert k03["figures"]["without_request"] == {"count": 1}
    assert k03["breakdowns"]["within_target"]["month"]["2025-07"] == {"numerator": 0, "denominator": 1, "share": 0.0}

    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP, measures=dataclasses.replace(settings.EARLY_HELP.measures, assessment_target_days=46)
    )
    assert selectors.k03_timeliness(YEAR)["figures"]["within_target"]["numerator"] == 3


def test_k04_is_the_share_approved_of_versions_whose_latest_quality_decision_is_in_the_period():
    _completed(date(2025, 5, 1))
    ReturnedVersionFactory(episode=EpisodeFactory(), reviewed_at=at(date(2025, 6, 1)))
    # Returned in the period and sent again since: still assured in the period, and not approved.
    SubmittedVersionFactory(episode=EpisodeFactory(), reviewed_at=at(date(2025, 7, 1)), review_comments="Add more")
    _completed(date(2026, 4, 1))

    k04 = selectors.k04_quality(YEAR)

    assert k04["figures"]["good_or_better"] == {"numerator": 1, "denominator": 3, "share": 0.3333}


# --- Referrals: K05, K06, K07, K09 -----------------------------------------------------------------------


@pytest.fixture
def referrals():
    """Five referrals in the year, and three outside it, with the re-referral edges."""
    again, late, twice, last = ChildFactory(), ChildFactory(), ChildFactory(), ChildFactory()
    ReferralFactory(person=again, referred_on=date(2024, 4, 1))
    ReferralFactory(person=again, referred_on=date(2025, 4, 1), source_agency_type="police")  # exactly 12 months
    ReferralFactory(person=late, referred_on=date(2024, 3, 31))
    ReferralFactory(person=late, referred_on=date(2025, 4, 1), source_agency_type="health")  # 12 months and a day
    ReferralFactory(
        person=twice,
        referred_on=date(2025, 12, 1),
        source_agency_type="police",
        outcome=ReferralOutcome.NO_FURTHER_ACTION,
    )
    ReferralFactory(person=twice, referred_on=date(2025, 12, 1), source_agency_type="education")  # the same day
    ReferralFactory(
        person=last,
        referred_on=date(2026, 3, 31),
        source_agency_type="family",
        outcome=ReferralOutcome.NO_FURTHER_ACTION,
    )
    ReferralFactory(person=last, referred_on=date(2026, 4, 1))


def test_k05_counts_referrals_on_the_periods_first_and_last_days_as_a_rate_per_10000(referrals):
    k05 = selectors.k05_referrals(YEAR)

    # 5 referrals among 36,700 children: 5 × 10,000 / 36,700 = 1.36
    assert k05["figures"]["referrals"] == {"count": 5, "population": 36_700, "per_10000": 1.4}
    by = k05["breakdowns"]["referrals"]
    assert by["source_agency_type"] == {
        "police": {"count": 2},
        "health": {"count": 1},
        "education": {"count": 1},
        "family": {"count": 1},
    }
    assert by["reason"] == {"abuse_or_neglect": {"count": 5}}
    assert by["quarter"] == {"2025-26 Q1": {"count": 2}, "2025-26 Q3": {"count": 2}, "2025-26 Q4": {"count": 1}}


def test_k06_is_referrals_for_each_assessment_completed(referrals):
    _completed(date(2025, 6, 1))
    _completed(date(2025, 7, 1))

    assert selectors.k06_ratio(YEAR)["figures"]["referrals_per_assessment"] == {
        "numerator": 5,
        "denominator": 2,
        "ratio": 2.5,
    }


def test_k07_is_the_share_of_referrals_ending_in_no_further_action_by_source(referrals):
    k07 = selectors.k07_referrals_nfa(YEAR)

    assert k07["figures"]["no_further_action"] == {"numerator": 2, "denominator": 5, "share": 0.4}
    by_source = k07["breakdowns"]["no_further_action"]["source_agency_type"]
    assert by_source["police"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert by_source["family"] == {"numerator": 1, "denominator": 1, "share": 1.0}
    assert by_source["health"] == {"numerator": 0, "denominator": 1, "share": 0.0}


def test_k09_counts_a_child_re_referred_exactly_12_months_later_but_not_a_day_more_nor_the_same_day(referrals):
    k09 = selectors.k09_re_referrals(YEAR)

    assert k09["figures"]["re_referrals"] == {"numerator": 1, "denominator": 5, "share": 0.2}
    assert k09["breakdowns"]["re_referrals"]["source_agency_type"]["police"] == {
        "numerator": 1,
        "denominator": 2,
        "share": 0.5,
    }


def test_k09_twelve_months_before_29_february_is_28_february():
    child = ChildFactory()
    ReferralFactory(person=child, referred_on=date(2023, 2, 28))
    ReferralFactory(person=child, referred_on=date(2024, 2, 29))
    other = ChildFactory()
    ReferralFactory(person=other, referred_on=date(2023, 2, 27))
    ReferralFactory(person=other, referred_on=date(2024, 2, 29))

    leap_month = Period(start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert selectors.k09_re_referrals(leap_month)["figures"]["re_referrals"] == {
        "numerator": 1,
        "denominator": 2,
        "share": 0.5,
    }


# --- K08, K10 ------------------------------------------------------------------------------------------------


def test_k08_counts_single_assessments_completed_in_the_period_by_the_source_of_their_referral():
    police, health = ReferralFactory(source_agency_type="police"), ReferralFactory(source_agency_type="health")
    police.referred_on = health.referred_on = date(2025, 3, 1)
    SingleAssessmentFactory(
        referral=police,
        started_on=date(2025, 3, 1),
        completed_on=date(2025, 4, 1),
        outcome=AssessmentOutcome.NO_FURTHER_ACTION,
    )
    SingleAssessmentFactory(
        referral=health,
        started_on=date(2025, 3, 1),
        completed_on=date(2026, 3, 31),
        outcome=AssessmentOutcome.CHILD_IN_NEED,
    )
    SingleAssessmentFactory(referral=health, started_on=date(2025, 6, 1))  # not completed: in no period
    SingleAssessmentFactory(
        referral=police,
        started_on=date(2025, 3, 1),
        completed_on=date(2026, 4, 1),
        outcome=AssessmentOutcome.NO_FURTHER_ACTION,
    )

    k08 = selectors.k08_assessments_nfa(YEAR)

    assert k08["figures"]["no_further_action"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    by_source = k08["breakdowns"]["no_further_action"]["source_agency_type"]
    assert by_source == {
        "police": {"numerator": 1, "denominator": 1, "share": 1.0},
        "health": {"numerator": 0, "denominator": 1, "share": 0.0},
    }


def test_k10_counts_step_downs_and_the_share_of_no_further_action_with_an_early_help_offer():
    StepDownFactory(requested_at=at(date(2025, 4, 1)))
    AcceptedStepDownFactory(requested_at=at(date(2026, 3, 30)), decided_at=at(date(2026, 3, 31)))
    AcceptedStepDownFactory(requested_at=at(date(2025, 3, 30)), decided_at=at(date(2025, 3, 31)))
    nfa = ReferralOutcome.NO_FURTHER_ACTION
    ReferralFactory(referred_on=date(2025, 5, 1), outcome=nfa, early_help_offer=True)
    ReferralFactory(referred_on=date(2025, 6, 1), outcome=nfa)
    ReferralFactory(referred_on=date(2025, 6, 1))  # a single assessment followed: not an NFA
    SingleAssessmentFactory(
        completed_on=date(2025, 7, 1), outcome=AssessmentOutcome.NO_FURTHER_ACTION, early_help_offer=True
    )

    k10 = selectors.k10_step_downs(YEAR)

    assert k10["figures"]["step_downs_requested"] == {"count": 2}
    assert k10["figures"]["step_downs_accepted"] == {"count": 1}
    assert k10["figures"]["no_further_action_with_offer"] == {"numerator": 2, "denominator": 3, "share": 0.6667}
    assert k10["breakdowns"]["no_further_action_with_offer"]["record"] == {
        "referral": {"numerator": 1, "denominator": 2, "share": 0.5},
        "single_assessment": {"numerator": 1, "denominator": 1, "share": 1.0},
    }


# --- Step ups, closures: K11, K13, K14 --------------------------------------------------------------------------


def test_k11_counts_step_ups_sent_in_the_period_and_their_share_of_closures():
    for status in (StepUpStatus.SENT, StepUpStatus.ACCEPTED, StepUpStatus.NO_FURTHER_ACTION):
        SentStepUpFactory(status=status, decided_at=at(date(2025, 9, 1)), outcome="child_in_need", offer="Parenting")
    SentStepUpFactory(status=StepUpStatus.DECLINED, decided_at=at(date(2025, 9, 1)), manager_comment="No")
    SentStepUpFactory(decided_at=at(date(2025, 3, 31)))
    for reason in (ClosureReason.STEPPED_UP, ClosureReason.OUTCOMES_ACHIEVED, ClosureReason.MOVED_AWAY):
        closure(closed_on=date(2025, 10, 1), reason=reason)
    closure(closed_on=date(2026, 3, 31), reason=ClosureReason.STEPPED_DOWN)

    k11 = selectors.k11_step_ups(YEAR)

    assert k11["figures"]["step_ups"] == {"count": 3}
    assert k11["figures"]["closures_stepped_up"] == {"numerator": 1, "denominator": 4, "share": 0.25}


def test_k13_is_the_share_of_closures_with_outcomes_achieved_or_stepped_down_to_universal_services():
    closure(closed_on=date(2025, 4, 1), reason=ClosureReason.OUTCOMES_ACHIEVED)
    closure(closed_on=date(2026, 3, 31), reason=ClosureReason.STEPPED_DOWN)
    closure(closed_on=date(2025, 8, 1), reason=ClosureReason.MOVED_AWAY)
    closure(closed_on=date(2025, 8, 1), reason=ClosureReason.STEPPED_UP)
    closure(closed_on=date(2025, 3, 31), reason=ClosureReason.OUTCOMES_ACHIEVED)

    k13 = selectors.k13_needs_met(YEAR)

    assert k13["figures"]["needs_met"] == {"numerator": 2, "denominator": 4, "share": 0.5}
    assert k13["breakdowns"]["needs_met"]["quarter"]["2025-26 Q2"] == {"numerator": 0, "denominator": 2, "share": 0.0}


def test_k14_follows_closures_with_needs_met_for_12_months_after_the_closure_day():
    broken = closure(closed_on=date(2025, 4, 1)).episode.household
    SupportRequestFactory(household=broken, received_at=at(date(2026, 4, 1)))  # exactly 12 months: breaks it
    kept = closure(closed_on=date(2025, 5, 1), reason=ClosureReason.STEPPED_DOWN).episode.household
    SupportRequestFactory(household=kept, received_at=at(date(2025, 5, 1), 18))  # the closure day itself
    SupportRequestFactory(household=kept, received_at=at(date(2026, 5, 2)))  # 12 months and a day
    referred = closure(closed_on=date(2025, 6, 1)).episode.household
    ReferralFactory(household=referred, referred_on=date(2025, 12, 1))
    closure(closed_on=date(2025, 8, 1))  # its 12 months end after the as-of day
    closure(closed_on=date(2025, 5, 1), reason=ClosureReason.MOVED_AWAY)

    k14 = selectors.k14_sustained(YEAR, as_of=date(2026, 6, 30))

    assert k14["figures"]["sustained"] == {"numerator": 1, "denominator": 3, "share": 0.3333}
    assert k14["figures"]["awaiting_twelve_months"] == {"count": 1}
    assert k14["as_of"] == "2026-06-30"


# --- K12, K15 --------------------------------------------------------------------------------------------------------


def _assessed_then(completed_on: date, kind: str, started_on: date) -> None:
    """A family whose assessment was approved on a day, and a social care episode of its child starting on another."""
    household = HouseholdFactory()
    child = MembershipFactory(household=household, role=MemberRole.CHILD).person
    _completed(completed_on, episode=EpisodeFactory(household=household))
    CareEpisodeFactory(person=child, kind=kind, started_on=started_on)


def test_k12_counts_assessments_followed_by_a_child_protection_plan_for_an_assessed_child_within_12_months():
    protection = CareEpisodeKind.CHILD_PROTECTION
    _assessed_then(date(2025, 5, 1), protection, date(2026, 5, 1))  # exactly 12 months later: counts
    _assessed_then(date(2025, 6, 1), protection, date(2026, 6, 2))  # 12 months and a day
    _assessed_then(date(2025, 7, 1), protection, date(2025, 6, 30))  # before the assessment: did not follow it
    _assessed_then(date(2025, 7, 1), CareEpisodeKind.CHILD_IN_NEED, date(2025, 8, 1))

    k12 = selectors.k12_child_protection_after_assessment(YEAR)

    assert k12["figures"]["followed_by_child_protection"] == {"numerator": 1, "denominator": 4, "share": 0.25}


def test_k15_counts_different_children_with_an_episode_open_at_the_end_of_the_periods_last_day():
    both = ChildFactory()
    CareEpisodeFactory(person=both, started_on=date(2025, 1, 1))
    CareEpisodeFactory(person=both, started_on=date(2025, 6, 1))  # one child, counted once
    CareEpisodeFactory(started_on=date(2025, 1, 1), ended_on=date(2026, 3, 31))  # ended on the last day
    CareEpisodeFactory(started_on=date(2026, 3, 31))  # started on the last day
    CareEpisodeFactory(started_on=date(2024, 1, 1), ended_on=date(2026, 4, 1))  # open across the end
    CareEpisodeFactory(started_on=date(2026, 4, 1))
    CareEpisodeFactory(kind=CareEpisodeKind.CHILD_PROTECTION, started_on=date(2025, 9, 1))

    k15 = selectors.k15_social_care_at_end(YEAR)

    # 3 children in need × 10,000 / 36,700 = 0.82
    assert k15["figures"]["child_in_need"] == {"count": 3, "population": 36_700, "per_10000": 0.8}
    assert k15["figures"]["child_protection"]["count"] == 1
    assert k15["figures"]["looked_after"] == {"count": 0, "population": 36_700, "per_10000": 0.0}
    assert sum(figure["count"] for figure in k15["breakdowns"]["child_in_need"]["locality"].values()) == 3


# --- K16, K17, K18 ---------------------------------------------------------------------------------------------


def _invited(
    created: date,
    responded: date | None = None,
    *,
    supported: str = "",
    know: str = "",
    rating: int | None = None,
    household=None,
    agency=None,
    hour: int = 12,
) -> FeedbackInvitation:
    """A closure's feedback invitation, made on one day and answered (or not) on another."""
    return FeedbackInvitation.objects.create(
        episode=closure(closed_on=created, household=household).episode,
        token_hash=f"{created}-{responded}-{supported}-{know}-{rating}-{FeedbackInvitation.objects.count()}",
        created_at=at(created),
        expires_at=at(created + timedelta(days=28)),
        lead_agency=agency,
        responded_at=at(responded, hour) if responded else None,
        better_supported=supported,
        know_where_to_go=know,
        rating=rating,
    )


def test_k16_counts_the_survey_s_yes_answers_among_the_period_s_answers_by_locality_and_lead_agency():
    kirkby = HouseholdFactory(locality=LocalityFactory(name="Kirkby"))
    school, police = AgencyFactory(kind="education"), AgencyFactory(kind="police")
    # In the period: answered on the first day just after local midnight (still 31 March in UTC) ...
    _invited(date(2025, 3, 20), date(2025, 4, 1), supported="yes", know="yes", household=kirkby, agency=school, hour=0)
    # ... better supported but not knowing where to go, on the last day just before midnight ...
    _invited(date(2026, 3, 1), date(2026, 3, 31), supported="yes", know="no", agency=police, hour=23)
    _invited(date(2025, 6, 1), date(2025, 6, 2), supported="partly", know="yes", household=kirkby, agency=school)
    _invited(date(2025, 7, 1), date(2025, 7, 3), supported="not_sure", know="not_sure", rating=5, agency=school)
    # ... and one from an earlier system, with only its rating: in found_it_helpful, in no question's share.
    _invited(date(2025, 8, 1), date(2025, 8, 2), rating=2)
    _invited(date(2025, 9, 1))  # not answered
    # Outside: answered the day before the period and the day after it.
    _invited(date(2025, 3, 1), date(2025, 3, 31), supported="yes", know="yes", hour=23)
    _invited(date(2026, 3, 20), date(2026, 4, 1), supported="yes", know="yes", hour=0)

    k16 = selectors.k16_feedback(YEAR)

    figures = k16["figures"]
    # Both "yes": only the first of the four survey answers in the period.
    assert figures["better_supported_and_know_where_to_go"] == {"numerator": 1, "denominator": 4, "share": 0.25}
    assert figures["better_supported"] == {"numerator": 2, "denominator": 4, "share": 0.5}
    assert figures["know_where_to_go"] == {"numerator": 2, "denominator": 4, "share": 0.5}
    # Rated: 5 and 2 in the period.
    assert figures["found_it_helpful"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    # Invited in the period: 1 June, 1 July, 1 August, 1 September, 1 March and 20 March 2026; all but
    # 1 September answered (20 March's after the period, which still counts).
    assert figures["response_rate"] == {"numerator": 5, "denominator": 6, "share": 0.8333}
    both = k16["breakdowns"]["better_supported_and_know_where_to_go"]
    assert both["locality"]["Kirkby"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert both["lead_agency_type"] == {
        "education": {"numerator": 1, "denominator": 3, "share": 0.3333},
        "police": {"numerator": 0, "denominator": 1, "share": 0.0},
    }
    assert both["month"]["2025-04"] == {"numerator": 1, "denominator": 1, "share": 1.0}
    assert both["month"]["2026-03"] == {"numerator": 0, "denominator": 1, "share": 0.0}
    assert k16["breakdowns"]["know_where_to_go"]["year"]["2025-26"] == figures["know_where_to_go"]


def test_k16_with_no_answers_has_empty_shares():
    _invited(date(2025, 5, 1))

    figures = selectors.k16_feedback(YEAR)["figures"]

    assert figures["better_supported_and_know_where_to_go"] == {"numerator": 0, "denominator": 0, "share": None}
    assert figures["response_rate"] == {"numerator": 0, "denominator": 1, "share": 0.0}


def test_k17_is_the_share_of_closures_with_needs_met_for_each_directory_service_their_plan_used():
    parenting, attendance = ServiceFactory(name="Parenting course"), ServiceFactory(name="Attendance support")
    met = closure(closed_on=date(2025, 9, 1)).episode
    plan = PlanFactory(episode=met)
    ActionFactory(plan=plan, service=parenting, status=ActionStatus.DONE)
    ActionFactory(plan=plan, service=attendance)
    moved = closure(closed_on=date(2025, 9, 1), reason=ClosureReason.MOVED_AWAY).episode
    ActionFactory(plan=PlanFactory(episode=moved), service=parenting)
    cancelled = closure(closed_on=date(2025, 9, 1)).episode
    ActionFactory(plan=PlanFactory(episode=cancelled), service=attendance, status=ActionStatus.CANCELLED)
    ActionFactory(plan=PlanFactory(episode=closure(closed_on=date(2026, 4, 1)).episode), service=parenting)

    k17 = selectors.k17_services(YEAR)

    assert k17["figures"]["needs_met_with_a_service"] == {"numerator": 1, "denominator": 2, "share": 0.5}
    assert k17["breakdowns"]["needs_met_with_a_service"]["service"] == {
        "Attendance support": {"numerator": 1, "denominator": 1, "share": 1.0},
        "Parenting course": {"numerator": 1, "denominator": 2, "share": 0.5},
    }


def test_k18_counts_episodes_and_lead_caseloads_open_at_the_end_of_the_periods_last_day():
    EpisodeFactory(opened_on=date(2025, 1, 1))
    closure(closed_on=date(2026, 3, 31))  # closed on the last day: not open at the end
    closure(closed_on=date(2026, 4, 1))  # open across the end
    EpisodeFactory(opened_on=date(2026, 4, 1))
    busy, leaving, staying = UserFactory(), UserFactory(), UserFactory()
    lead = InvolvementRole.LEAD_PROFESSIONAL
    InvolvementFactory(practitioner=busy, role=lead)
    InvolvementFactory(practitioner=busy, role=lead)
    InvolvementFactory(practitioner=leaving, role=lead, ended_on=date(2026, 3, 31))
    InvolvementFactory(practitioner=staying, role=lead, ended_on=date(2026, 4, 2))
    InvolvementFactory(practitioner=staying, role=InvolvementRole.TAF_MEMBER)

    k18 = selectors.k18_caseloads(YEAR)

    assert k18["figures"]["open_episodes"] == {"count": 2}
    assert k18["figures"]["caseload"] == {
        "lead_professionals": 2,
        "families": 3,
        "mean": 1.5,
        "median": 1.5,
        "largest": 2,
    }


def test_every_indicator_is_computed_for_a_period_keyed_by_its_id():
    found = selectors.indicators(YEAR, as_of=date(2026, 6, 30))

    assert list(found) == [f"K{number:02d}" for number in range(1, 20)]
    assert all({"title", "figures", "breakdowns"} <= set(indicator) for indicator in found.values())
