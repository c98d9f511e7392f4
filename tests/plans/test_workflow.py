"""A plan action's status moves by its workflow machine: a refused move is a refusal, shown against
the status field, and an allowed one is audited with where it moved from and to."""

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.plans import rules, services
from earlyhelp.plans.models import ActionStatus
from earlyhelp.web.errors import RefusedError

from .factories import ActionFactory, CancelledActionFactory

pytestmark = pytest.mark.django_db


def test_a_refused_action_move_is_a_refusal_shown_against_the_status_field(plan, lead):
    action = CancelledActionFactory(plan=plan)
    with pytest.raises(RefusedError) as error:
        services.plan_action_status_change(actor=lead, action=action, status=ActionStatus.DONE)
    assert isinstance(error.value, services.ActionRefusedError)
    assert error.value.message_dict == {"status": [rules.ACTION_CANCELLED]}


def test_an_allowed_action_move_is_audited_from_and_to_in_the_familys_trail(plan, lead):
    action = ActionFactory(plan=plan)
    services.plan_action_status_change(actor=lead, action=action, status=ActionStatus.IN_PROGRESS)
    event = AuditEvent.objects.get(object_type="plan_action", object_id=str(action.pk), action="change")
    assert event.household_id == plan.household_id
    assert event.details["from"] == ActionStatus.NOT_STARTED
    assert event.details["to"] == ActionStatus.IN_PROGRESS
    assert event.details["status"] == [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
