from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.dataprotection.selectors import person_audit_trail
from earlyhelp.home.selectors import HOME_PAGE
from tests.assessments.factories import SubmittedVersionFactory
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory
from tests.journey.factories import StepDownFactory, StepUpFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_requests_to_triage_with_the_overdue_ones_and_assessments_to_assure(client):
    SupportRequestFactory()
    late = timezone.now() - timedelta(days=5)
    SupportRequestFactory(received_at=late, triage_due_at=late + timedelta(hours=72))
    version = SubmittedVersionFactory()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    page = client.get(reverse("home:dashboard")).content.decode()
    assert "2 requests for support awaiting triage" in page
    assert "1 overdue" in page
    household = version.assessment.household
    assert reverse("assessments:quality", args=[household.id, version.number]) in page


def test_a_practitioner_sees_no_front_door_queue_but_their_own_requests(client):
    mine = SupportRequestFactory()
    SupportRequestFactory()
    client.force_login(mine.requested_by)
    page = client.get(reverse("home:dashboard")).content.decode()
    assert "awaiting triage" not in page
    assert mine.reference in page


def test_a_manager_sees_step_ups_to_approve_only_for_families_they_may_see(client):
    step_up = StepUpFactory()
    manager = UserFactory(role=Role.MANAGER)
    client.force_login(manager)
    link = reverse("journey:step-up", args=[step_up.id])
    assert link not in client.get(reverse("home:dashboard")).content.decode()
    InvolvementFactory(household=step_up.household, practitioner=manager)
    assert link in client.get(reverse("home:dashboard")).content.decode()


def _list_events():
    return AuditEvent.objects.filter(action=Action.VIEW, object_type="list", purpose=HOME_PAGE)


def test_the_home_page_audits_each_list_it_shows_with_the_ids_of_the_records_on_it(client):
    mine = SupportRequestFactory()
    involvement = InvolvementFactory(practitioner=mine.requested_by)
    client.force_login(mine.requested_by)
    client.get(reverse("home:dashboard"))
    event = _list_events().get()
    assert event.actor_id == mine.requested_by.id
    assert event.details["my_requests"] == [str(mine.id)]
    assert event.details["my_involvements"] == [str(involvement.id)]
    assert sorted(event.details["households"]) == sorted([str(mine.household_id), str(involvement.household_id)])


def test_the_coordinators_queues_are_audited_with_the_assessments_and_step_downs_shown(client):
    version = SubmittedVersionFactory()
    step_down = StepDownFactory()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    client.get(reverse("home:dashboard"))
    event = _list_events().get()
    assert event.details["for_quality_assurance"] == [str(version.pk)]
    assert event.details["step_downs"] == [str(step_down.pk)]
    assert str(version.assessment.household_id) in event.details["households"]


def test_a_family_on_a_home_page_list_shows_in_each_members_audit_trail(client):
    step_up = StepUpFactory()
    manager = UserFactory(role=Role.MANAGER)
    InvolvementFactory(household=step_up.household, practitioner=manager)
    member = MembershipFactory(household=step_up.household).person
    elsewhere = MembershipFactory().person
    client.force_login(manager)
    client.get(reverse("home:dashboard"))
    shown = _list_events().get()
    assert shown.details["step_ups"] == [str(step_up.id)]
    assert shown in person_audit_trail(member)
    assert shown not in person_audit_trail(elsewhere)


def test_a_home_page_that_lists_no_one_writes_no_list_event(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    client.get(reverse("home:dashboard"))
    assert not _list_events().exists()
