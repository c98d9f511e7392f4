"""A Team Around the Family member keeps their own agency's actions: they update the status with a
note without being the lead professional; an action assigned elsewhere is not theirs to move."""

import pytest
from django.urls import reverse

from earlyhelp.plans import services
from earlyhelp.plans.models import ActionStatus, ActionStatusChange
from earlyhelp.web.errors import RefusedError
from tests.factories import InvolvementFactory, UserFactory
from tests.plans.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def taf_member(plan):
    return InvolvementFactory(household=plan.household, role="taf").practitioner


def test_a_taf_member_updates_their_agencys_action_with_a_note_shown_on_the_plan(client, plan, lead, taf_member):
    colleagues_action = ActionFactory(plan=plan, practitioner=UserFactory(team=taf_member.team))
    client.force_login(taf_member)
    url = reverse("plans:action-status", args=[plan.household_id, plan.pk, colleagues_action.pk])
    response = client.post(url, {"status": ActionStatus.IN_PROGRESS, "note": "First session booked for Tuesday."})
    assert response.status_code == 302
    change = ActionStatusChange.objects.get(action=colleagues_action)
    assert (change.changed_by, change.note, change.to_status) == (
        taf_member,
        "First session booked for Tuesday.",
        "in_progress",
    )
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert "Latest note: First session booked for Tuesday." in page


def test_an_action_of_another_agency_is_not_the_taf_members_to_move(client, plan, lead, taf_member):
    leads_action = ActionFactory(plan=plan, practitioner=lead)
    assert leads_action.agency_id != taf_member.agency_id
    with pytest.raises(RefusedError) as refusal:
        services.plan_action_status_change(actor=taf_member, action=leads_action, status=ActionStatus.IN_PROGRESS)
    assert refusal.value.messages == [services.ACTION_NOT_YOURS]
    client.force_login(taf_member)
    page = client.get(reverse("plans:plan", args=[plan.household_id, plan.pk])).content.decode()
    assert reverse("plans:action-status", args=[plan.household_id, plan.pk, leads_action.pk]) not in page
    leads_action.refresh_from_db()
    assert leads_action.status == ActionStatus.NOT_STARTED


def test_the_lead_moves_any_action_and_an_over_long_note_is_refused_naming_the_field(plan, lead, taf_member):
    taf_action = ActionFactory(plan=plan, practitioner=taf_member)
    with pytest.raises(services.ValidationError) as error:
        services.plan_action_status_change(
            actor=lead, action=taf_action, status=ActionStatus.DONE, note="x" * (services.ACTION_NOTE_MAX + 1)
        )
    assert error.value.message_dict == {"note": [services.ACTION_NOTE_TOO_LONG]}
    moved = services.plan_action_status_change(actor=lead, action=taf_action, status=ActionStatus.IN_PROGRESS)
    assert moved.status == ActionStatus.IN_PROGRESS
