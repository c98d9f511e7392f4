"""A plan action can be a referral to a directory service, so the partnership can count which
services families were referred to and what came of each referral."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.plans import services
from earlyhelp.plans.models import PlanAction
from earlyhelp.plans.selectors import referrals_by_service
from tests.directory.factories import ServiceFactory
from tests.factories import UserFactory

from .factories import ActionFactory, CancelledActionFactory, DoneActionFactory

pytestmark = pytest.mark.django_db
DUE = timezone.localdate() + timedelta(days=14)


def test_an_action_referring_to_a_published_service_is_linked_to_it_and_audited(plan, lead):
    service = ServiceFactory(name="Parenting Together")
    action = services.plan_action_add(
        actor=lead, plan=plan, what="Referral to parenting group", due_on=DUE, practitioner=lead, service=service
    )
    assert action.service == service
    event = AuditEvent.objects.get(object_type="plan_action", object_id=str(action.pk))
    assert event.details["service"] == str(service.pk)


def test_a_referral_to_an_unpublished_service_is_refused_and_nothing_is_saved(plan, lead):
    draft = ServiceFactory(draft=True)
    with pytest.raises(ValidationError) as error:
        services.plan_action_add(actor=lead, plan=plan, what="Referral", due_on=DUE, practitioner=lead, service=draft)
    assert error.value.message_dict == {"service": [services.SERVICE_NOT_PUBLISHED]}
    assert not PlanAction.objects.exists()


def test_referrals_are_counted_by_service_and_outcome_without_naming_families(plan):
    busy, quiet = ServiceFactory(name="Debt advice"), ServiceFactory(name="Youth club")
    ActionFactory(plan=plan, service=busy)
    DoneActionFactory(plan=plan, service=busy)
    DoneActionFactory(plan=plan, service=busy)
    CancelledActionFactory(plan=plan, service=quiet)
    ActionFactory(plan=plan)
    rows = {row.service_name: row for row in referrals_by_service()}
    assert set(rows) == {"Debt advice", "Youth club"}
    assert (rows["Debt advice"].total, rows["Debt advice"].completed, rows["Debt advice"].not_started) == (3, 2, 1)
    assert (rows["Youth club"].total, rows["Youth club"].cancelled) == (1, 1)


def test_the_action_form_offers_published_services_and_the_plan_shows_the_referral(client, plan, lead):
    service = ServiceFactory(name="Parenting Together")
    ServiceFactory(name="Draft group", draft=True)
    client.force_login(lead)
    url = reverse("plans:action-add", args=[plan.household_id, plan.pk])
    form_page = client.get(url).content.decode()
    assert "Parenting Together" in form_page
    assert "Draft group" not in form_page
    response = client.post(
        url, {"what": "Parenting group", "practitioner": lead.pk, "due_on": DUE.isoformat(), "service": service.pk}
    )
    assert response.status_code == 302
    plan_page = client.get(response["Location"]).content.decode()
    assert "Referral to:" in plan_page
    assert reverse("find-help:service", args=[service.pk]) in plan_page


def test_the_coverage_report_shows_referral_counts(client, plan):
    DoneActionFactory(plan=plan, service=ServiceFactory(name="Debt advice"))
    client.force_login(UserFactory(role=Role.COORDINATOR))
    page = client.get(reverse("directory:coverage")).content.decode()
    assert "Referrals from family plans" in page
    assert "Debt advice" in page
    assert plan.household.name not in page
