"""Social care's answer to a step up is recorded as each child's social care activity, in the same transaction."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.families.models import MemberRole
from earlyhelp.journey import services as journey
from earlyhelp.journey.models import RequestStatus
from earlyhelp.measures.models import CareEpisode, CareEpisodeKind, Referral, SingleAssessment
from earlyhelp.measures.models import RecordRoute as Route
from earlyhelp.measures.models import ReferralOutcome as Outcome
from earlyhelp.measures.models import ReferralReason as Reason
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory, UserFactory
from tests.journey.factories import FamilyRequestFactory, SentStepUpFactory, SocialWorkerFactory

from .factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def social_worker():
    return SocialWorkerFactory()


def _sent(social_worker, **kwargs):
    """A step up sent on 2 June 2025 by a health visitor, for a family of two children and a parent."""
    step_up = SentStepUpFactory(
        to_team=social_worker.team,
        requested_by=UserFactory(team__agency__kind="health"),
        decided_at=at(date(2025, 6, 2)),
        reasons=["domestic_abuse", "vulnerable_child"],
        **kwargs,
    )
    for _ in range(2):
        MembershipFactory(household=step_up.household, role=MemberRole.CHILD)
    MembershipFactory(household=step_up.household, role=MemberRole.PARENT, person=PersonFactory())
    return step_up


def test_a_step_up_accepted_into_a_single_assessment_records_a_referral_and_an_assessment_for_each_child(
    social_worker,
):
    step_up = _sent(social_worker)

    journey.step_up_respond(actor=social_worker, step_up=step_up, response="single_assessment")

    referrals = Referral.objects.filter(step_up=step_up)
    assert referrals.count() == 2
    for referral in referrals:
        assert referral.route == Route.STEP_UP
        assert referral.referred_on == date(2025, 6, 2)
        assert referral.source_agency_type == "health"
        # Vulnerable child comes before domestic abuse in the order of reasons.
        assert referral.reason == Reason.ABUSE_OR_NEGLECT
        assert referral.outcome == Outcome.SINGLE_ASSESSMENT
        assert referral.household == step_up.household
    assessments = SingleAssessment.objects.filter(referral__step_up=step_up)
    assert assessments.count() == 2
    assert {assessment.completed_on for assessment in assessments} == {None}
    assert not CareEpisode.objects.exists()


@pytest.mark.parametrize(
    ("response", "kind"),
    [("child_in_need", CareEpisodeKind.CHILD_IN_NEED), ("child_protection", CareEpisodeKind.CHILD_PROTECTION)],
)
def test_a_step_up_accepted_into_a_plan_starts_that_episode_for_each_child(social_worker, response, kind):
    step_up = _sent(social_worker)

    journey.step_up_respond(actor=social_worker, step_up=step_up, response=response)

    assert set(Referral.objects.filter(step_up=step_up).values_list("outcome", flat=True)) == {Outcome.OTHER}
    episodes = CareEpisode.objects.filter(referral__step_up=step_up)
    assert episodes.count() == 2
    assert {episode.kind for episode in episodes} == {kind}
    assert {episode.ended_on for episode in episodes} == {None}


def test_no_further_action_records_referrals_ending_in_nfa_with_the_early_help_offer(social_worker):
    step_up = _sent(social_worker)

    journey.step_up_respond(actor=social_worker, step_up=step_up, response="nfa", offer="Parenting course")

    referrals = Referral.objects.filter(step_up=step_up)
    assert referrals.count() == 2
    assert {(referral.outcome, referral.early_help_offer) for referral in referrals} == {
        (Outcome.NO_FURTHER_ACTION, True)
    }
    assert not SingleAssessment.objects.exists()
    assert not CareEpisode.objects.exists()


def test_a_passport_from_a_familys_own_request_is_a_referral_from_the_family(social_worker):
    household = HouseholdFactory()
    request = FamilyRequestFactory(household=household, status=RequestStatus.MASH, triaged_at=at(date(2025, 6, 1)))
    step_up = _sent(social_worker, episode=None, household=household, support_request=request)

    journey.step_up_respond(actor=social_worker, step_up=step_up, response="nfa", offer="Family hub drop-in")

    assert set(Referral.objects.filter(step_up=step_up).values_list("source_agency_type", flat=True)) == {"family"}


def test_a_refused_answer_records_no_social_care_activity(social_worker):
    step_up = _sent(social_worker)

    with pytest.raises(ValidationError):
        journey.step_up_respond(actor=social_worker, step_up=step_up, response="nfa", offer="")

    assert not Referral.objects.exists()
