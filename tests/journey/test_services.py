"""What each journey service does beyond moving state: records, access, chronology, audit, refusals."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey import selectors, services
from earlyhelp.journey.models import (
    ChronologyEntry,
    EpisodeStatus,
    FeedbackInvitation,
    NeedIndicator,
    RequestStatus,
    StepPromptNotice,
    StepUp,
    StepUpStatus,
)
from tests.factories import HouseholdFactory, TeamFactory, UserFactory

from .factories import (
    EpisodeFactory,
    FamilyRequestFactory,
    SentStepUpFactory,
    StepDownFactory,
    SteppedUpEpisodeFactory,
    StepUpFactory,
    SupportRequestFactory,
    lead_for,
)

pytestmark = pytest.mark.django_db


def _details(**overrides):
    values = {
        "child_given_name": "Jamie",
        "child_family_name": "Example",
        "concerns": "Not coming to school.",
        "family_consents": True,
    }
    return services.RequestDetails(**(values | overrides))


def test_a_practitioner_s_request_is_due_for_triage_within_the_configured_time(settings):
    settings.EARLY_HELP = replace(
        settings.EARLY_HELP, journey=replace(settings.EARLY_HELP.journey, triage_within_hours=24)
    )
    request = services.support_request_create(actor=UserFactory(), details=_details())
    assert request.status == RequestStatus.AWAITING_TRIAGE
    assert request.triage_due_at - request.received_at == timedelta(hours=24)
    assert AuditEvent.objects.filter(object_type="supportrequest", object_id=str(request.pk), action="create").exists()


def test_a_request_for_a_known_family_starts_their_chronology():
    household = HouseholdFactory()
    request = services.support_request_create(actor=UserFactory(), details=_details(), household=household)
    assert list(household.chronology.values_list("kind", flat=True)) == ["request"]
    assert request.reference in household.chronology.get().summary


def test_a_request_without_the_family_s_agreement_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as error:
        services.support_request_create(actor=UserFactory(), details=_details(family_consents=False))
    assert error.value.message_dict == {"family_consents": [services.CONSENT_REQUIRED]}
    assert not selectors.requests_awaiting_triage().exists()


def test_a_family_s_own_request_needs_a_name_and_a_way_to_reach_them():
    with pytest.raises(ValidationError) as error:
        services.support_request_create_by_family(details=_details(postcode="not a postcode"))
    assert error.value.message_dict["requester_name"] == [services.REQUESTER_NAME_REQUIRED]
    assert error.value.message_dict["requester_phone"] == [services.REQUESTER_CONTACT_REQUIRED]
    assert "postcode" in error.value.message_dict


def test_a_family_s_own_request_gets_a_reference_and_waits_for_triage():
    request = services.support_request_create_by_family(
        details=_details(requester_name="Alex Example", requester_email="alex@example.org")
    )
    assert request.reference.startswith("EH-")
    assert request.requested_by is None
    assert request.household is None


def test_triage_to_assessment_opens_an_episode_with_the_lead_professional_involved(coordinator):
    request = SupportRequestFactory()
    lead = UserFactory()
    services.support_request_triage(
        actor=coordinator, support_request=request, decision="assessment", lead=lead, note="Multi-agency need"
    )
    request.refresh_from_db()
    assert request.episode.status == EpisodeStatus.OPEN
    lead_involvement = request.household.involvements.get(role=InvolvementRole.LEAD_PROFESSIONAL)
    assert lead_involvement.practitioner == lead
    assert selectors.visible_households(lead).filter(pk=request.household_id).exists()
    assert list(request.household.chronology.values_list("kind", flat=True)) == ["episode", "lead", "triage"]


def test_triage_to_assessment_needs_a_lead(coordinator):
    with pytest.raises(ValidationError) as error:
        services.support_request_triage(
            actor=coordinator, support_request=SupportRequestFactory(), decision="assessment"
        )
    assert error.value.message_dict == {"lead": [services.LEAD_REQUIRED]}


def test_triage_to_assessment_is_refused_when_the_family_already_has_an_open_episode(coordinator):
    episode = EpisodeFactory()
    request = SupportRequestFactory(household=episode.household)
    with pytest.raises(ValidationError) as error:
        services.support_request_triage(
            actor=coordinator, support_request=request, decision="assessment", lead=UserFactory()
        )
    assert error.value.message_dict == {"household": [services.EPISODE_ALREADY_OPEN]}


def test_a_family_s_request_must_be_linked_to_a_household_before_it_goes_to_assessment(coordinator):
    with pytest.raises(ValidationError) as error:
        services.support_request_triage(
            actor=coordinator, support_request=FamilyRequestFactory(), decision="assessment", lead=UserFactory()
        )
    assert error.value.message_dict["household"] == [services.HOUSEHOLD_REQUIRED]


def test_advice_needs_no_household(coordinator):
    request = services.support_request_triage(
        actor=coordinator, support_request=FamilyRequestFactory(), decision="advice", note="Sent the parenting offer"
    )
    assert request.status == RequestStatus.ADVICE


def test_a_passport_to_the_mash_goes_straight_to_the_step_up_route(coordinator, mash):
    request = SupportRequestFactory()
    services.support_request_triage(
        actor=coordinator,
        support_request=request,
        decision="mash",
        mash_reasons=["domestic_abuse", "vulnerable_adult"],
        to_team=mash,
        note="Police notification overnight",
    )
    step_up = StepUp.objects.get(support_request=request)
    assert step_up.status == StepUpStatus.AWAITING_APPROVAL
    assert step_up.reason_labels() == ["Domestic abuse", "Vulnerable adult"]


def test_a_passport_needs_a_reason_and_a_social_care_team(coordinator):
    with pytest.raises(ValidationError) as error:
        services.support_request_triage(
            actor=coordinator, support_request=SupportRequestFactory(), decision="mash", to_team=TeamFactory()
        )
    assert error.value.message_dict == {
        "reasons": [services.REASONS_REQUIRED],
        "to_team": [services.TEAM_NOT_SOCIAL_CARE],
    }


def test_the_level_tool_suggests_and_the_practitioner_may_differ_with_a_reason():
    household = HouseholdFactory()
    indicator = NeedIndicator.objects.get(label="Domestic abuse in the household")
    with pytest.raises(ValidationError) as error:
        services.level_record(actor=UserFactory(), household=household, indicator_ids=[indicator.id], level=2)
    assert error.value.message_dict == {"reason": [services.OVERRIDE_REASON_REQUIRED]}
    record = services.level_record(
        actor=UserFactory(), household=household, indicator_ids=[indicator.id], level=2, reason="Perpetrator left"
    )
    assert (record.suggested_level, record.level, record.overridden) == (3, 2, True)
    assert record.indicator_snapshot[0]["label"] == indicator.label


def test_level_history_is_kept():
    household = HouseholdFactory()
    actor = UserFactory()
    services.level_record(actor=actor, household=household, indicator_ids=[], level=1)
    heavy = NeedIndicator.objects.get(label="Parent unable to keep the child safe from significant harm")
    services.level_record(actor=actor, household=household, indicator_ids=[heavy.id], level=4)
    assert [level.level for level in selectors.level_history(household)] == [4, 1]
    assert "from 1 to 4" in household.chronology.last().summary


def test_a_step_up_compiles_the_family_s_history_as_it_stood(mash):
    episode = EpisodeFactory()
    services.level_record(actor=UserFactory(), household=episode.household, indicator_ids=[], level=1)
    step_up = services.step_up_request(
        actor=UserFactory(), episode=episode, reasons=["escalating_need"], detail="Scale fell", to_team=mash
    )
    assert step_up.history["level"]["level"] == 1
    assert [entry["kind"] for entry in step_up.history["chronology"]] == ["level"]
    services.level_record(actor=UserFactory(), household=episode.household, indicator_ids=[], level=1)
    step_up.refresh_from_db()
    assert len(step_up.history["chronology"]) == 1


def test_a_second_step_up_while_one_is_pending_is_refused(mash):
    step_up = StepUpFactory(to_team=mash)
    with pytest.raises(ValidationError) as error:
        services.step_up_request(
            actor=UserFactory(), episode=step_up.episode, reasons=["cse"], detail="More", to_team=mash
        )
    assert error.value.message_dict == {"reasons": [services.STEP_UP_PENDING]}


def test_approval_gives_the_social_care_team_the_case(manager, social_worker):
    step_up = StepUpFactory(to_team=social_worker.team)
    services.step_up_approve(actor=manager, step_up=step_up, comment="Agreed")
    assert selectors.visible_households(social_worker).filter(pk=step_up.household_id).exists()


def test_declining_needs_a_comment(manager):
    with pytest.raises(ValidationError) as error:
        services.step_up_decline(actor=manager, step_up=StepUpFactory(), comment=" ")
    assert error.value.message_dict == {"comment": [services.COMMENT_REQUIRED]}


def test_no_further_action_records_the_offer_and_returns_the_family_to_early_help(manager, social_worker):
    step_up = StepUpFactory(to_team=social_worker.team)
    services.step_up_approve(actor=manager, step_up=step_up)
    with pytest.raises(ValidationError) as error:
        services.step_up_no_further_action(actor=social_worker, step_up=step_up, offer="")
    assert error.value.message_dict == {"offer": [services.OFFER_REQUIRED]}
    services.step_up_no_further_action(actor=social_worker, step_up=step_up, offer="Targeted family support")
    step_up.refresh_from_db()
    assert step_up.offer == "Targeted family support"
    assert step_up.episode.status == EpisodeStatus.OPEN
    assert not selectors.visible_households(social_worker).filter(pk=step_up.household_id).exists()
    assert "Targeted family support" in step_up.household.chronology.last().summary


def test_no_further_action_on_a_passport_opens_an_episode_so_the_journey_does_not_go_dark(social_worker):
    request = SupportRequestFactory(status=RequestStatus.MASH, triaged_at=timezone.now())
    step_up = SentStepUpFactory(
        episode=None, household=request.household, support_request=request, to_team=social_worker.team
    )
    services.step_up_no_further_action(actor=social_worker, step_up=step_up, offer="Parenting course")
    assert selectors.active_episode(request.household).status == EpisodeStatus.OPEN


def test_acceptance_steps_the_episode_up(social_worker):
    step_up = SentStepUpFactory(to_team=social_worker.team)
    services.step_up_accept(actor=social_worker, step_up=step_up, outcome="child_protection")
    step_up.episode.refresh_from_db()
    assert step_up.episode.status == EpisodeStatus.STEPPED_UP


def test_a_step_down_accepted_opens_an_episode_and_closes_the_stepped_up_one(coordinator):
    old = SteppedUpEpisodeFactory()
    step_down = StepDownFactory(household=old.household)
    lead = UserFactory()
    services.step_down_accept(actor=coordinator, step_down=step_down, lead=lead)
    old.refresh_from_db()
    step_down.refresh_from_db()
    assert old.status == EpisodeStatus.CLOSED
    assert old.closure.reason == "stepped_up"
    assert step_down.episode.status == EpisodeStatus.OPEN
    assert step_down.household.involvements.get(role="lead", ended_on__isnull=True).practitioner == lead


def test_a_step_down_is_due_within_the_configured_days(social_worker, settings):
    household = HouseholdFactory()
    step_down = services.step_down_request(
        actor=social_worker, household=household, summary="CIN closed", reason="Lower need"
    )
    assert step_down.accept_by - step_down.requested_at == timedelta(
        days=settings.EARLY_HELP.journey.step_down_accept_within_days
    )


def test_a_review_that_crosses_the_threshold_records_a_prompt():
    episode = EpisodeFactory()
    notice = services.step_prompt_record(
        actor=UserFactory(), episode=episode, previous_level=3, new_level=3, previous_scale=7, new_scale=2
    )
    assert notice.direction == "up"
    assert ChronologyEntry.objects.filter(kind="step_prompt", episode=episode).exists()


def test_a_review_within_the_threshold_records_no_prompt():
    episode = EpisodeFactory()
    assert (
        services.step_prompt_record(
            actor=UserFactory(), episode=episode, previous_level=3, new_level=3, previous_scale=5, new_scale=6
        )
        is None
    )
    assert not StepPromptNotice.objects.exists()


def test_closure_records_need_outcomes_ends_the_lead_s_involvement_and_invites_feedback():
    episode = EpisodeFactory()
    lead = lead_for(episode)
    closed = services.episode_close(
        actor=lead,
        episode=episode,
        reason="stepped_down",
        need_results=[
            services.NeedResult(need_text="Attendance", outcome="met", outcome_area="education"),
            services.NeedResult(need_text="Debt", outcome="partly_met"),
        ],
    )
    assert [o.outcome for o in closed.closure.need_outcomes.all()] == ["met", "partly_met"]
    assert not episode.household.involvements.filter(role="lead", ended_on__isnull=True).exists()
    invitation = FeedbackInvitation.objects.get(episode=episode)
    assert invitation == closed.feedback.invitation
    assert invitation.lead_agency == lead.agency


def test_closing_for_another_reason_needs_an_explanation():
    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=UserFactory(), episode=EpisodeFactory(), reason="other")
    assert error.value.message_dict == {"detail": [services.CLOSURE_DETAIL_REQUIRED]}


def test_every_journey_change_leaves_an_audit_event_with_the_household(coordinator):
    request = SupportRequestFactory()
    before = AuditEvent.objects.filter(household_id=request.household_id).count()
    services.support_request_triage(actor=coordinator, support_request=request, decision="universal")
    assert AuditEvent.objects.filter(household_id=request.household_id).count() == before + 1


def test_the_lead_must_be_a_practitioner_with_an_agency(coordinator):
    lead = UserFactory(agency=None, team=None)
    with pytest.raises(ValidationError) as error:
        services.support_request_triage(
            actor=coordinator, support_request=SupportRequestFactory(), decision="assessment", lead=lead
        )
    assert error.value.message_dict == {"lead": [services.LEAD_NOT_PRACTITIONER]}
