"""The family plan: outcomes, actions and their statuses, TAF membership and meetings."""

from datetime import timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.access import visible_households
from earlyhelp.journey import rules as journey_rules
from earlyhelp.journey.models import ChronologyEntry, EpisodeStatus
from earlyhelp.plans import rules, services
from earlyhelp.plans.models import ActionStatus, MeetingKind, Plan
from tests.assessments.factories import ApprovedVersionFactory, EpisodeFactory, NeedFactory
from tests.factories import AgencyFactory, UserFactory

from .factories import ActionFactory, MeetingFactory, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_a_plan_starts_once_per_open_episode_and_is_chronicled(db):
    episode = EpisodeFactory()
    ApprovedVersionFactory(episode=episode)  # a plan follows an approved assessment
    actor = UserFactory()
    plan = services.plan_start(actor=actor, episode=episode)
    assert ChronologyEntry.objects.filter(source_id=str(plan.pk), kind="plan").exists()
    assert AuditEvent.objects.filter(object_type="plan", object_id=str(plan.pk)).exists()
    with pytest.raises(ValidationError) as error:
        services.plan_start(actor=actor, episode=episode)
    assert error.value.message_dict == {NON_FIELD_ERRORS: [services.PLAN_EXISTS]}
    assert Plan.objects.count() == 1


def test_a_closed_episode_takes_no_plan_changes(plan, lead):
    plan.episode.status, plan.episode.closed_on = EpisodeStatus.CLOSED, TODAY()
    plan.episode.save()
    with pytest.raises(ValidationError) as error:
        services.plan_outcome_add(actor=lead, plan=plan, description="Safe at home")
    assert error.value.message_dict == {NON_FIELD_ERRORS: [services.EPISODE_NOT_OPEN]}


def test_an_outcome_links_to_needs_of_this_familys_assessment_only(plan, lead):
    version = ApprovedVersionFactory(episode=plan.episode)
    own_need = version.needs.first()
    other_need = NeedFactory(outcome_area=OutcomeArea.HOUSING)
    with pytest.raises(ValidationError) as error:
        services.plan_outcome_add(actor=lead, plan=plan, description="In school", needs=[other_need])
    assert error.value.message_dict == {"needs": [services.NEED_NOT_ASSESSED]}
    outcome = services.plan_outcome_add(actor=lead, plan=plan, description="In school", needs=[own_need])
    assert list(outcome.needs.all()) == [own_need]


def test_an_action_needs_what_who_and_by_when(plan, lead):
    with pytest.raises(ValidationError) as error:
        services.plan_action_add(actor=lead, plan=plan, what=" ", due_on=None)
    assert error.value.message_dict == {
        "what": [services.WHAT_REQUIRED],
        "practitioner": [services.WHO_REQUIRED],
        "due_on": [services.DUE_REQUIRED],
    }


def test_an_action_can_fall_to_an_agency_or_a_family_member(plan, lead):
    agency = AgencyFactory(name="Citizens Advice")
    parent = plan.household.memberships.get(role="parent").person
    by_agency = services.plan_action_add(
        actor=lead, plan=plan, what="Debt advice appointment", due_on=TODAY(), agency=agency
    )
    by_parent = services.plan_action_add(
        actor=lead, plan=plan, what="Book GP appointment", due_on=TODAY(), family_member=parent
    )
    assert by_agency.who == "Citizens Advice"
    assert by_parent.who == parent.full_name


ALLOWED = [(start, end) for start, ends in rules.ACTION_TRANSITIONS.items() for end in ends]
REFUSED = [
    (start, end)
    for start in ActionStatus.values
    for end in ActionStatus.values
    if end not in rules.ACTION_TRANSITIONS[start]
]


@pytest.mark.parametrize(("start", "end"), ALLOWED)
def test_every_allowed_action_status_change_is_made_and_kept_in_history(plan, lead, start, end):
    action = ActionFactory(plan=plan, status=start)
    changed = services.plan_action_status_change(actor=lead, action=action, status=end)
    assert changed.status == end
    assert list(changed.status_changes.values_list("from_status", "to_status")) == [(start, end)]
    assert ChronologyEntry.objects.filter(source_id=str(action.pk)).exists()


@pytest.mark.parametrize(("start", "end"), REFUSED)
def test_every_refused_action_status_change_says_why_and_changes_nothing(plan, lead, start, end):
    action = ActionFactory(plan=plan, status=start)
    with pytest.raises(ValidationError) as error:
        services.plan_action_status_change(actor=lead, action=action, status=end)
    assert error.value.message_dict == {"status": [rules.action_refusal(start, end)]}
    action.refresh_from_db()
    assert action.status == start
    assert not action.status_changes.exists()


def test_refusals_read_as_sentences():
    assert rules.action_refusal("cancelled", "done") == rules.ACTION_CANCELLED
    assert rules.action_refusal("done", "done") == "This action is already done"
    refusal = rules.action_refusal("in_progress", "not_started")
    assert refusal == "An action that is in progress cannot become not started"


def _meeting(plan, lead, **overrides):
    parent = plan.household.memberships.get(role="parent").person
    values = {
        "actor": lead,
        "plan": plan,
        "kind": MeetingKind.TAF,
        "held_on": TODAY(),
        "decisions": "Breakfast club from Monday",
        "family_scale": 6,
        "practitioner_scale": 5,
        "next_review_on": TODAY() + timedelta(weeks=6),
        "family_members": [parent],
        "agencies": [lead.agency],
    }
    return services.meeting_record(**(values | overrides))


def test_a_meeting_records_attendance_decisions_updated_actions_and_the_next_review(plan, lead):
    action = ActionFactory(plan=plan)
    meeting = _meeting(plan, lead, action_statuses={action.pk: ActionStatus.IN_PROGRESS})
    plan.refresh_from_db()
    action.refresh_from_db()
    assert plan.next_review_on == TODAY() + timedelta(weeks=6)
    assert action.status == ActionStatus.IN_PROGRESS
    assert action.status_changes.get().meeting == meeting
    assert meeting.attendees.count() == 2
    entry = ChronologyEntry.objects.get(source_id=str(meeting.pk))
    assert entry.kind == "meeting"
    assert "scale 6/10" in entry.summary


def test_a_meeting_names_every_missing_field(plan, lead):
    with pytest.raises(ValidationError) as error:
        services.meeting_record(
            actor=lead,
            plan=plan,
            kind="party",
            held_on=TODAY() + timedelta(days=1),
            decisions="",
            family_scale=None,
            practitioner_scale=12,
            next_review_on=None,
        )
    assert error.value.message_dict == {
        "kind": [services.MEETING_KIND_REQUIRED],
        "held_on": [services.MEETING_IN_FUTURE],
        "decisions": [services.DECISIONS_REQUIRED],
        "family_scale": [services.SCALE_REQUIRED],
        "practitioner_scale": [services.SCALE_OUT_OF_RANGE],
        "next_review_on": [services.REVIEW_REQUIRED],
        "family_members": [services.ATTENDANCE_REQUIRED],
    }
    assert not plan.meetings.exists()


def test_a_closure_meeting_needs_no_next_review(plan, lead):
    meeting = _meeting(plan, lead, kind=MeetingKind.CLOSURE, next_review_on=None)
    assert meeting.next_review_on is None


def test_a_fall_in_the_scale_at_review_prompts_a_step_up(plan, lead):
    MeetingFactory(plan=plan, family_scale=7, held_on=TODAY() - timedelta(weeks=6))
    meeting = _meeting(plan, lead, family_scale=3)
    assert meeting.step_prompt == journey_rules.SCALE_FELL.format(previous=7, new=3)


def test_a_steady_scale_prompts_nothing(plan, lead):
    MeetingFactory(plan=plan, family_scale=5, held_on=TODAY() - timedelta(weeks=6))
    assert _meeting(plan, lead, family_scale=6).step_prompt == ""


def test_joining_the_taf_opens_the_familys_record_and_leaving_closes_it(plan, lead):
    school_nurse = UserFactory()
    parent = plan.household.memberships.get(role="parent").person
    _consent_to_taf(lead, parent, school_nurse.agency)
    assert not visible_households(school_nurse).filter(pk=plan.household_id).exists()
    involvement = services.taf_member_add(actor=lead, plan=plan, practitioner=school_nurse)
    assert involvement.role == "taf"
    assert visible_households(school_nurse).filter(pk=plan.household_id).exists()
    with pytest.raises(ValidationError) as error:
        services.taf_member_add(actor=lead, plan=plan, practitioner=school_nurse)
    assert error.value.message_dict == {"practitioner": [services.TAF_ALREADY_MEMBER]}
    services.taf_member_remove(actor=lead, plan=plan, involvement_id=involvement.pk)
    assert not visible_households(school_nurse).filter(pk=plan.household_id).exists()


def _consent_to_taf(actor, person, agency):
    """Joining the TAF shares the family's information with the agency: the family consents first."""
    from earlyhelp.consent.models import SharingPurpose
    from earlyhelp.consent.services import consent_record

    person.date_of_birth = TODAY() - timedelta(days=365 * 35)
    person.save()
    consent_record(actor=actor, person=person, agencies=[agency], purpose=SharingPurpose.TEAM_AROUND_THE_FAMILY)


def test_a_practitioner_without_an_agency_cannot_join_the_taf(plan, lead):
    with pytest.raises(ValidationError) as error:
        services.taf_member_add(actor=lead, plan=plan, practitioner=UserFactory(team=None, agency=None))
    assert error.value.message_dict == {"practitioner": [services.TAF_NO_AGENCY]}


def test_plans_are_one_per_episode_in_the_database(plan):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        PlanFactory(episode=plan.episode)
