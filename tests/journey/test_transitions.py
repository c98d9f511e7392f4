"""Every allowed and every refused transition of the journey's state machines, through the services."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from earlyhelp.journey import rules, services
from earlyhelp.journey.models import (
    Episode,
    EpisodeStatus,
    RequestStatus,
    StepDownStatus,
    StepUpStatus,
)
from tests.factories import UserFactory

from .factories import (
    AcceptedStepDownFactory,
    AcceptedStepUpFactory,
    ClosedEpisodeFactory,
    DeclinedStepDownFactory,
    DeclinedStepUpFactory,
    EpisodeFactory,
    NoFurtherActionStepUpFactory,
    SentStepUpFactory,
    SocialCareTeamFactory,
    StepDownFactory,
    SteppedUpEpisodeFactory,
    StepUpFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db


def _pairs(machine: str):
    table = rules.MACHINES[machine]
    targets = sorted({target for targets in table.values() for target in targets})
    return [
        pytest.param(current, target, target in table[current], id=f"{current}-to-{target}")
        for current in table
        for target in targets
    ]


# --- Requests --------------------------------------------------------------------------------------------


def _request_in(status: str):
    request = SupportRequestFactory()
    if status != RequestStatus.AWAITING_TRIAGE:
        request.status = status
        request.triaged_at = timezone.now()
        if status == RequestStatus.ASSESSMENT:
            request.episode = ClosedEpisodeFactory(household=request.household)
        request.save()
    return request


@pytest.mark.parametrize(("current", "target", "allowed"), _pairs("request"))
def test_triage_moves_a_request_only_from_awaiting_triage(coordinator, current, target, allowed):
    request = _request_in(current)
    arguments = {
        "actor": coordinator,
        "support_request": request,
        "decision": target,
        "note": "Decision note",
        "lead": UserFactory(),
        "mash_reasons": ["domestic_abuse"],
        "to_team": SocialCareTeamFactory(),
    }
    if allowed:
        result = services.support_request_triage(**arguments)
        assert result.status == target
    else:
        with pytest.raises(services.TransitionError) as refused:
            services.support_request_triage(**arguments)
        assert refused.value.reason == rules.REFUSAL_BY_STATE["request"][current]
        request.refresh_from_db()
        assert request.status == current


# --- Step up ---------------------------------------------------------------------------------------------

STEP_UP_IN = {
    StepUpStatus.AWAITING_APPROVAL: StepUpFactory,
    StepUpStatus.SENT: SentStepUpFactory,
    StepUpStatus.DECLINED: DeclinedStepUpFactory,
    StepUpStatus.ACCEPTED: AcceptedStepUpFactory,
    StepUpStatus.NO_FURTHER_ACTION: NoFurtherActionStepUpFactory,
}


def _step_up_move(step_up, target, *, manager, social_worker):
    if target == StepUpStatus.SENT:
        return services.step_up_approve(actor=manager, step_up=step_up)
    if target == StepUpStatus.DECLINED:
        return services.step_up_decline(actor=manager, step_up=step_up, comment="Below threshold")
    if target == StepUpStatus.ACCEPTED:
        return services.step_up_accept(actor=social_worker, step_up=step_up, outcome="child_protection")
    return services.step_up_no_further_action(actor=social_worker, step_up=step_up, offer="Family support worker")


@pytest.mark.parametrize(("current", "target", "allowed"), _pairs("step_up"))
def test_step_up_transitions(manager, social_worker, current, target, allowed):
    step_up = STEP_UP_IN[current](to_team=social_worker.team)
    if allowed:
        assert _step_up_move(step_up, target, manager=manager, social_worker=social_worker).status == target
    else:
        with pytest.raises(services.TransitionError) as refused:
            _step_up_move(step_up, target, manager=manager, social_worker=social_worker)
        assert refused.value.reason == rules.REFUSAL_BY_STATE["step_up"][current]
        step_up.refresh_from_db()
        assert step_up.status == current


# --- Step down -------------------------------------------------------------------------------------------

STEP_DOWN_IN = {
    StepDownStatus.AWAITING_ACCEPTANCE: StepDownFactory,
    StepDownStatus.ACCEPTED: AcceptedStepDownFactory,
    StepDownStatus.DECLINED: DeclinedStepDownFactory,
}


@pytest.mark.parametrize(("current", "target", "allowed"), _pairs("step_down"))
def test_step_down_transitions(coordinator, current, target, allowed):
    step_down = STEP_DOWN_IN[current]()

    def move():
        if target == StepDownStatus.ACCEPTED:
            return services.step_down_accept(actor=coordinator, step_down=step_down, lead=UserFactory())
        return services.step_down_decline(actor=coordinator, step_down=step_down, note="Social care keeps the case")

    if allowed:
        assert move().status == target
    else:
        with pytest.raises(services.TransitionError) as refused:
            move()
        assert refused.value.reason == rules.REFUSAL_BY_STATE["step_down"][current]


# --- Episode ---------------------------------------------------------------------------------------------

EPISODE_IN = {
    EpisodeStatus.OPEN: EpisodeFactory,
    EpisodeStatus.STEPPED_UP: SteppedUpEpisodeFactory,
    EpisodeStatus.CLOSED: ClosedEpisodeFactory,
}


def _episode_move(episode, target, *, manager, social_worker):
    if target == EpisodeStatus.CLOSED:
        return services.episode_close(actor=manager, episode=episode, reason="moved_away")
    step_up = services.step_up_request(
        actor=UserFactory(), episode=episode, reasons=["cse"], detail="Missing episodes", to_team=social_worker.team
    )
    services.step_up_approve(actor=manager, step_up=step_up)
    return services.step_up_accept(actor=social_worker, step_up=step_up, outcome="child_in_need")


@pytest.mark.parametrize(("current", "target", "allowed"), _pairs("episode"))
def test_episode_transitions(manager, social_worker, current, target, allowed):
    episode = EPISODE_IN[current]()
    if allowed:
        _episode_move(episode, target, manager=manager, social_worker=social_worker)
        episode.refresh_from_db()
        assert episode.status == target
    else:
        with pytest.raises(services.TransitionError):
            _episode_move(episode, target, manager=manager, social_worker=social_worker)
        assert Episode.objects.get(pk=episode.pk).status == current


# --- Who may move what -----------------------------------------------------------------------------------


def test_only_the_early_help_team_triages(manager):
    with pytest.raises(services.TransitionError, match="Only the Early Help Team can triage"):
        services.support_request_triage(actor=manager, support_request=SupportRequestFactory(), decision="advice")


def test_step_up_without_manager_approval_is_refused(coordinator):
    with pytest.raises(services.TransitionError, match="Only a team manager can approve"):
        services.step_up_approve(actor=coordinator, step_up=StepUpFactory())


def test_a_practitioner_cannot_answer_for_social_care():
    with pytest.raises(services.TransitionError, match="Only children's social care"):
        services.step_up_accept(actor=UserFactory(), step_up=SentStepUpFactory(), outcome="child_in_need")


def test_social_care_cannot_respond_before_the_manager_approves(social_worker):
    with pytest.raises(ValidationError, match="waiting for a manager's approval"):
        services.step_up_no_further_action(actor=social_worker, step_up=StepUpFactory(), offer="Parenting support")
