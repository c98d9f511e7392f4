"""Closing an episode settles its work first; a step up says when it went without an approved assessment."""

import pytest

from earlyhelp.assessments.apps import ASSESSMENT_STILL_OPEN
from earlyhelp.journey import selectors, services
from earlyhelp.journey.models import EpisodeStatus
from earlyhelp.plans.apps import ACTION_STILL_OPEN
from tests.assessments.factories import (
    ApprovedVersionFactory,
    DraftVersionFactory,
    NeedFactory,
    SubmittedVersionFactory,
)
from tests.factories import UserFactory
from tests.plans.factories import ActionFactory, CancelledActionFactory, DoneActionFactory, PlanFactory

from .factories import (
    CoordinatorFactory,
    EpisodeFactory,
    SentStepUpFactory,
    SocialCareTeamFactory,
    StepUpFactory,
    lead_for,
)

pytestmark = pytest.mark.django_db


def _refusal(episode, reason="moved_away"):
    # Open work is the episode's state refusing closure (a 409 on the API), not bad input.
    with pytest.raises(services.TransitionError) as error:
        services.episode_close(actor=CoordinatorFactory(), episode=episode, reason=reason)
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN
    return error.value.message_dict["__all__"]


def test_closure_is_refused_naming_the_step_up_still_with_the_mash_and_the_assessment_awaiting_qa():
    episode = EpisodeFactory()
    step_up = SentStepUpFactory(household=episode.household, episode=episode)
    SubmittedVersionFactory(episode=episode)
    blockers = _refusal(episode)
    assert any(step_up.to_team.name in sentence and "social care's answer" in sentence for sentence in blockers)
    assert ASSESSMENT_STILL_OPEN.format(number=1, status="submitted for quality assurance") in blockers


def test_closure_is_refused_while_a_step_up_waits_for_a_manager():
    episode = EpisodeFactory()
    StepUpFactory(household=episode.household, episode=episode)
    assert any("waiting for a manager's approval" in sentence for sentence in _refusal(episode))


def test_outcomes_achieved_with_a_draft_assessment_is_refused_naming_the_draft():
    episode = EpisodeFactory()
    DraftVersionFactory(episode=episode)
    blockers = _refusal(episode, reason="outcomes_achieved")
    assert ASSESSMENT_STILL_OPEN.format(number=1, status="draft") in blockers
    assert services.OUTCOMES_NEED_APPROVED_ASSESSMENT in blockers


def test_outcomes_achieved_without_any_assessment_is_refused_but_moving_away_is_allowed():
    episode = EpisodeFactory()
    assert _refusal(episode, reason="outcomes_achieved") == [services.OUTCOMES_NEED_APPROVED_ASSESSMENT]
    services.episode_close(actor=CoordinatorFactory(), episode=episode, reason="moved_away")
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED


def test_closure_is_refused_naming_each_plan_action_whose_fate_is_not_recorded():
    episode = EpisodeFactory()
    plan = PlanFactory(episode=episode, household=episode.household)
    open_action = ActionFactory(plan=plan, what="Attend the parenting course")
    DoneActionFactory(plan=plan, what="Book the GP")
    CancelledActionFactory(plan=plan, what="Move school")
    blockers = _refusal(episode)
    assert len(blockers) == 1
    assert blockers[0].startswith(ACTION_STILL_OPEN.split("{what}")[0] + open_action.what)


def test_outcomes_achieved_closes_once_the_assessment_is_approved_and_the_actions_are_settled():
    episode = EpisodeFactory()
    ApprovedVersionFactory(episode=episode)
    plan = PlanFactory(episode=episode, household=episode.household)
    DoneActionFactory(plan=plan)
    services.episode_close(actor=lead_for(episode), episode=episode, reason="outcomes_achieved")
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED
    assert selectors.active_episode(episode.household) is None


def test_a_step_up_without_an_approved_assessment_says_so_in_its_record_chronology_and_page(client):
    episode = EpisodeFactory()
    DraftVersionFactory(episode=episode)
    lead = lead_for(episode)
    step_up = services.step_up_request(
        actor=lead, episode=episode, reasons=["cse"], detail="Missing overnight", to_team=SocialCareTeamFactory()
    )
    assert step_up.without_approved_assessment
    assert episode.household.chronology.filter(summary__contains=services.WITHOUT_APPROVED_ASSESSMENT).exists()
    client.force_login(CoordinatorFactory())
    assert services.WITHOUT_APPROVED_ASSESSMENT in client.get(f"/journey/step-ups/{step_up.id}/").text


def test_a_step_up_with_an_approved_assessment_is_not_marked():
    episode = EpisodeFactory()
    ApprovedVersionFactory(episode=episode)
    step_up = services.step_up_request(
        actor=UserFactory(), episode=episode, reasons=["cse"], detail="Missing", to_team=SocialCareTeamFactory()
    )
    assert not step_up.without_approved_assessment


def test_the_closure_page_with_a_need_s_outcome_missing_shows_the_error_and_keeps_what_was_typed(client):
    episode = EpisodeFactory()
    NeedFactory(version=ApprovedVersionFactory(episode=episode))
    lead = lead_for(episode)
    client.force_login(lead)
    response = client.post(
        f"/journey/episodes/{episode.pk}/close/", {"reason": "outcomes_achieved", "detail": "In school every day"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["need_0"]
    assert "In school every day" in response.text
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN


def test_the_closure_page_names_the_open_work_that_refuses_it_and_keeps_what_was_typed(client):
    episode = EpisodeFactory()
    DraftVersionFactory(episode=episode)
    client.force_login(lead_for(episode))
    response = client.post(
        f"/journey/episodes/{episode.pk}/close/", {"reason": "other", "detail": "Moved in with grandparents"}
    )
    assert response.status_code == 200
    assert ASSESSMENT_STILL_OPEN.format(number=1, status="draft") in response.text
    assert response.context["form"].non_field_errors() == [ASSESSMENT_STILL_OPEN.format(number=1, status="draft")]
    assert "Moved in with grandparents</textarea>" in response.text
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN


def _closed_over_the_api(client, episode, body):
    """The lead's closure of `episode` over the API, which must leave it open."""
    client.force_login(lead_for(episode))
    response = client.post(f"/api/journey/episodes/{episode.pk}/close/", body, content_type="application/json")
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN
    return response


def test_closure_refused_for_open_work_over_the_api_is_a_conflict_naming_each_piece_of_it(client):
    episode = EpisodeFactory()
    DraftVersionFactory(episode=episode)
    step_up = StepUpFactory(household=episode.household, episode=episode)
    response = _closed_over_the_api(client, episode, {"reason": "moved_away"})
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert ASSESSMENT_STILL_OPEN.format(number=1, status="draft") in detail
    assert step_up.to_team.name in detail and "waiting for a manager's approval" in detail


def test_closure_over_the_api_with_bad_input_is_still_a_400_naming_the_field(client):
    episode = EpisodeFactory()
    DraftVersionFactory(episode=episode)
    response = _closed_over_the_api(client, episode, {"reason": "other", "detail": ""})
    assert response.status_code == 400
    assert response.json() == {"detail": [services.CLOSURE_DETAIL_REQUIRED]}
