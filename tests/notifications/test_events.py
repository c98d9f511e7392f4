"""Each event in the journey and the plan tells the people who need to act or to know, in the
transaction of the change: in their inbox, and by an email that names no child."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey import services as journey
from earlyhelp.notifications.models import Notification, NotificationKind, OutboundEmail
from earlyhelp.notifications.services import outbox_send
from earlyhelp.plans import services as plans
from tests.factories import HouseholdFactory, InvolvementFactory, UserFactory
from tests.journey.factories import (
    CoordinatorFactory,
    EpisodeFactory,
    ManagerFactory,
    SentStepUpFactory,
    SocialCareTeamFactory,
    SocialWorkerFactory,
    StepUpFactory,
    SupportRequestFactory,
)

pytestmark = pytest.mark.django_db


def _notices(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", "link"))


def test_the_requester_is_told_the_triage_decision_and_the_lead_professional_by_a_plain_email(mail_server):
    requester = UserFactory(first_name="Sam", last_name="Teacher")
    request = SupportRequestFactory(requested_by=requester, child_given_name="Amira", child_family_name="Khan")
    lead = UserFactory(first_name="Lee", last_name="Lead")
    journey.support_request_triage(
        actor=CoordinatorFactory(), support_request=request, decision="assessment", lead=lead, note="Agreed"
    )

    link = reverse("journey:request", args=[request.pk])
    [notice] = Notification.objects.filter(recipient=requester)
    assert (notice.kind, notice.link) == (NotificationKind.REQUEST_TRIAGED, link)
    assert "Lee Lead" in notice.text
    assert request.reference in notice.text
    assert "Amira" not in notice.text

    outbox_send()
    [email] = [message for message in mail_server.messages if message["To"] == requester.email]
    body = email.get_content()
    assert f"http://127.0.0.1:8000{link}" in body
    for detail in ("Amira", "Khan", request.household.name, "Lee Lead", "Attendance", "assessment"):
        assert detail not in body
        assert detail not in email["Subject"]


def test_the_lead_professional_named_at_triage_is_told_they_lead(mail_server):
    request = SupportRequestFactory()
    lead = UserFactory()
    journey.support_request_triage(
        actor=CoordinatorFactory(), support_request=request, decision="assessment", lead=lead
    )
    assert _notices(lead) == [(NotificationKind.MADE_LEAD, reverse("families:household", args=[request.household_id]))]


def test_a_triage_that_is_refused_tells_no_one():
    requester = UserFactory()
    request = SupportRequestFactory(requested_by=requester)
    with pytest.raises(Exception):  # noqa: B017 - the triage's own refusal; only its effect matters here
        journey.support_request_triage(actor=CoordinatorFactory(), support_request=request, decision="assessment")
    assert not Notification.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_step_up_asks_the_managers_who_may_open_the_family_and_no_others():
    episode = EpisodeFactory()
    their_manager = ManagerFactory()
    InvolvementFactory(
        household=episode.household,
        practitioner=None,
        team=their_manager.team,
        agency=their_manager.agency,
        role=InvolvementRole.CASE_HOLDER,
    )
    other_manager = ManagerFactory()
    asker = UserFactory()
    step_up = journey.step_up_request(
        actor=asker,
        episode=episode,
        reasons=["domestic_abuse"],
        detail="Police notification",
        to_team=SocialCareTeamFactory(),
    )
    assert _notices(their_manager) == [
        (NotificationKind.STEP_UP_AWAITING, reverse("journey:step-up", args=[step_up.pk]))
    ]
    assert _notices(other_manager) == []
    assert _notices(asker) == []


def test_an_approved_step_up_tells_the_asker_and_asks_the_social_care_team_to_answer():
    mash = SocialCareTeamFactory()
    social_worker = SocialWorkerFactory(team=mash, agency=mash.agency)
    elsewhere = SocialWorkerFactory()
    step_up = StepUpFactory(to_team=mash)
    journey.step_up_approve(actor=ManagerFactory(), step_up=step_up)
    link = reverse("journey:step-up", args=[step_up.pk])
    assert _notices(step_up.requested_by) == [(NotificationKind.STEP_UP_DECIDED, link)]
    assert "approved" in Notification.objects.get(recipient=step_up.requested_by).text
    assert _notices(social_worker) == [(NotificationKind.STEP_UP_TO_ANSWER, link)]
    assert _notices(elsewhere) == []


def test_a_declined_step_up_tells_the_asker():
    step_up = StepUpFactory()
    journey.step_up_decline(actor=ManagerFactory(), step_up=step_up, comment="Below threshold")
    [notice] = Notification.objects.filter(recipient=step_up.requested_by)
    assert notice.kind == NotificationKind.STEP_UP_DECIDED
    assert "not approved" in notice.text


def test_social_care_s_answer_is_told_to_the_asker():
    mash = SocialCareTeamFactory()
    step_up = SentStepUpFactory(to_team=mash)
    journey.step_up_accept(
        actor=SocialWorkerFactory(team=mash, agency=mash.agency), step_up=step_up, outcome="child_in_need"
    )
    assert _notices(step_up.requested_by) == [
        (NotificationKind.STEP_UP_ANSWERED, reverse("journey:step-up", args=[step_up.pk]))
    ]


def test_a_step_down_asks_the_early_help_team_to_accept_it():
    coordinators = [CoordinatorFactory(), CoordinatorFactory()]
    practitioner = UserFactory()
    step_down = journey.step_down_request(
        actor=SocialWorkerFactory(), household=HouseholdFactory(), summary="CIN closed", reason="Lower need"
    )
    link = reverse("journey:step-down", args=[step_down.pk])
    for coordinator in coordinators:
        assert _notices(coordinator) == [(NotificationKind.STEP_DOWN_TO_ACCEPT, link)]
    assert _notices(practitioner) == []


def test_a_practitioner_given_a_plan_action_is_told_without_what_it_is_or_whose(plan):
    lead = InvolvementFactory(household=plan.household, role="lead").practitioner
    school_nurse = UserFactory()
    plans.plan_action_add(
        actor=lead, plan=plan, what="Book the dentist", due_on=timezone.localdate(), practitioner=school_nurse
    )
    [notice] = Notification.objects.filter(recipient=school_nurse)
    assert (notice.kind, notice.link) == (
        NotificationKind.ACTION_ASSIGNED,
        reverse("plans:plan", args=[plan.household_id, plan.pk]),
    )
    assert "dentist" not in notice.text
    assert plan.household.name not in notice.text


def test_a_lead_who_gives_themself_an_action_is_not_told(plan):
    lead = InvolvementFactory(household=plan.household, role="lead").practitioner
    plans.plan_action_add(actor=lead, plan=plan, what="Visit", due_on=timezone.localdate(), practitioner=lead)
    assert not Notification.objects.exists()


def test_a_practitioner_added_to_the_taf_is_told(plan):
    from tests.plans.test_services import _consent_to_taf

    lead = InvolvementFactory(household=plan.household, role="lead").practitioner
    school_nurse = UserFactory()
    _consent_to_taf(lead, plan.household.memberships.get(role="parent").person, school_nurse.agency)
    plans.taf_member_add(actor=lead, plan=plan, practitioner=school_nurse)
    assert _notices(school_nurse) == [
        (NotificationKind.TAF_ADDED, reverse("plans:plan", args=[plan.household_id, plan.pk]))
    ]


def test_the_daily_job_tells_a_practitioner_of_an_overdue_action_once():
    from earlyhelp.plans.services import actions_overdue_notify
    from tests.plans.factories import DoneActionFactory, OverdueActionFactory

    overdue = OverdueActionFactory()
    DoneActionFactory(due_on=overdue.due_on)
    assert actions_overdue_notify() == 1
    assert actions_overdue_notify() == 0
    assert _notices(overdue.practitioner) == [
        (NotificationKind.ACTION_OVERDUE, reverse("plans:plan", args=[overdue.plan.household_id, overdue.plan_id]))
    ]
    assert "Walk" not in Notification.objects.get().text


def test_the_daily_job_tells_the_lead_of_a_review_coming_up_once_for_each_review_date(settings):
    from earlyhelp.plans.services import reviews_due_notify
    from tests.plans.factories import PlanFactory

    settings.PLAN_REVIEW_NOTICE_DAYS = 7
    today = timezone.localdate()
    soon = PlanFactory(next_review_on=today + timedelta(days=7))
    later = PlanFactory(next_review_on=today + timedelta(days=8))
    lead = InvolvementFactory(household=soon.household, role="lead").practitioner
    InvolvementFactory(household=later.household, role="lead")
    # A former lead is not told.
    InvolvementFactory(household=soon.household, role="lead", ended_on=today - timedelta(days=1))

    assert reviews_due_notify() == 1
    assert reviews_due_notify() == 0
    link = reverse("plans:plan", args=[soon.household_id, soon.pk])
    assert _notices(lead) == [(NotificationKind.REVIEW_DUE, link)]
    assert soon.household.name not in Notification.objects.get().text

    # A new review date is a new notice; a plan of a closed episode is not reviewed.
    soon.next_review_on = today - timedelta(days=1)
    soon.save()
    assert reviews_due_notify() == 1
    assert "was due" in Notification.objects.latest("pk").text
    soon.episode.status = "closed"
    soon.episode.closed_on = today
    soon.episode.save()
    soon.next_review_on = today
    soon.save()
    assert reviews_due_notify() == 0
