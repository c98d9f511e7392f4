"""The plan pages over HTTP: the printed plan and the overdue work list."""

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AuditEvent
from earlyhelp.plans import services
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


def test_the_remove_button_of_a_taf_member_names_them(client, plan, lead):
    member = InvolvementFactory(household=plan.household, role="taf")
    client.force_login(lead)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    url = reverse("plans:taf-remove", args=[plan.household_id, plan.pk, member.id])
    form = page[page.index(f'action="{url}"') :]
    expected = f'Remove<span class="govuk-visually-hidden"> {member.practitioner.display_name} from the TAF</span>'
    assert expected in form[: form.index("</form>")]


def test_removing_someone_who_is_not_in_the_taf_says_why_and_removes_no_one(client, plan, lead):
    member = InvolvementFactory(household=plan.household, role="taf")
    client.force_login(lead)
    url = reverse("plans:taf-remove", args=[plan.household_id, plan.pk, member.id + 1000])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("plans:plan", args=[plan.household_id, plan.pk])
    assert services.TAF_NOT_MEMBER in response.content.decode()
    member.refresh_from_db()
    assert member.ended_on is None
