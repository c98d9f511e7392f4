from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from tests.assessments.factories import SubmittedVersionFactory
from tests.factories import InvolvementFactory, UserFactory
from tests.journey.factories import StepUpFactory, SupportRequestFactory

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
