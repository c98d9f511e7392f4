"""The plan pages over HTTP: the printed plan and the overdue work list."""

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from tests.factories import InvolvementFactory, UserFactory

from .factories import OverdueActionFactory, OverdueReviewPlanFactory

pytestmark = pytest.mark.django_db


def test_the_plan_prints_as_a_pdf_and_the_export_is_audited(client, plan, lead):
    client.force_login(lead)
    response = client.get(reverse("plans:pdf", args=[plan.household_id, plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_type="plan", object_id=str(plan.pk)).exists()


def test_overdue_reviews_and_actions_show_on_the_lead_and_their_managers_work_lists(client):
    plan = OverdueReviewPlanFactory()
    action = OverdueActionFactory(plan=plan, what="Book the dentist")
    lead = InvolvementFactory(household=plan.household, role="lead").practitioner
    manager = UserFactory(role="manager", team=lead.team)
    bystander = UserFactory()
    for user, sees in ((lead, True), (manager, True), (bystander, False)):
        client.force_login(user)
        page = client.get(reverse("home:dashboard")).content.decode()
        assert ("Plan reviews overdue" in page) is sees, user
        assert (action.what in page) is sees, user
