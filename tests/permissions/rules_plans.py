"""Access rules for the family plan's pages (see matrix.py)."""

import uuid

from .matrix import INVOLVED, MISSING, UNRELATED, Rule, World, casework_record
from .rules_assessments import redirect_when_allowed

RECORD = (INVOLVED, UNRELATED, MISSING)


def _plan(world: World) -> dict:
    """A plan for an open episode of the world household, with an action, a meeting and a TAF member."""
    if "plan" not in world.extra:
        from earlyhelp.families.models import InvolvementRole
        from tests.factories import InvolvementFactory
        from tests.plans.factories import (
            ActionFactory,
            MeetingFactory,
            MeetingInvitationFactory,
            PlanFactory,
            ScheduledMeetingFactory,
        )

        plan = PlanFactory(episode__household=world.household)
        world.extra["plan"] = {
            "plan": plan,
            # Assigned to the user's own agency where they have one, so a caseworker who may open the family
            # may also move it on (capabilities.can_update_action); whose action it is is tested in tests/plans.
            "action": ActionFactory(plan=plan, practitioner=world.user)
            if world.user is not None and getattr(world.user, "agency_id", None)
            else ActionFactory(plan=plan),
            "meeting": MeetingFactory(plan=plan),
            "taf": InvolvementFactory(household=world.household, role=InvolvementRole.TAF_MEMBER),
            "scheduled": ScheduledMeetingFactory(plan=plan),
        }
        # The user is invited, so that a caller who may open the family may answer; whether someone who
        # is not invited may answer is tested in tests/plans.
        if world.user is not None and getattr(world.user, "pk", None):
            MeetingInvitationFactory(scheduled_meeting=world.extra["plan"]["scheduled"], practitioner=world.user)
    return world.extra["plan"]


def _household(world: World, relation: str) -> dict:
    _plan(world)
    return {"household_id": uuid.uuid4() if relation == MISSING else world.household.pk}


def _plan_kwargs(world: World, relation: str) -> dict:
    return _household(world, relation) | {"plan_id": _plan(world)["plan"].pk}


def _action(world: World, relation: str) -> dict:
    return _plan_kwargs(world, relation) | {"action_id": _plan(world)["action"].pk}


def _meeting(world: World, relation: str) -> dict:
    return _plan_kwargs(world, relation) | {"meeting_id": _plan(world)["meeting"].pk}


def _scheduled(world: World, relation: str) -> dict:
    return _plan_kwargs(world, relation) | {"scheduled_id": _plan(world)["scheduled"].pk}


def _taf(world: World, relation: str) -> dict:
    return _plan_kwargs(world, relation) | {"involvement_id": _plan(world)["taf"].pk}


RULES = {
    "plans:household": Rule(_household, casework_record, RECORD),
    "plans:start": Rule(_household, casework_record, RECORD),
    "plans:plan": Rule(_plan_kwargs, casework_record, RECORD),
    "plans:outcome-add": Rule(_plan_kwargs, casework_record, RECORD),
    "plans:action-add": Rule(_plan_kwargs, casework_record, RECORD),
    "plans:action-status": Rule(_action, casework_record, RECORD),
    "plans:meeting-add": Rule(_plan_kwargs, casework_record, RECORD),
    "plans:meeting": Rule(_meeting, casework_record, RECORD),
    "plans:meeting-schedule": Rule(_plan_kwargs, casework_record, RECORD),
    "plans:scheduled-meeting": Rule(_scheduled, casework_record, RECORD),
    "plans:scheduled-meeting-reschedule": Rule(_scheduled, casework_record, RECORD),
    "plans:scheduled-meeting-cancel": Rule(_scheduled, casework_record, RECORD),
    "plans:scheduled-meeting-respond": Rule(
        _scheduled, redirect_when_allowed, RECORD, method="POST", data=lambda world: {"response": "accepted"}
    ),
    "plans:scheduled-meeting-ics": Rule(_scheduled, casework_record, RECORD),
    "plans:taf-add": Rule(_plan_kwargs, casework_record, RECORD),
    "plans:taf-remove": Rule(_taf, redirect_when_allowed, RECORD, method="POST", data=lambda world: {}),
    "plans:pdf": Rule(_plan_kwargs, casework_record, RECORD),
}
