"""Recording supervision and changing a family's lead professional: each in one transaction with its
audit event and chronology entry. Who may do either is asked of `accounts.capabilities`."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.consent.services import involvement_start
from earlyhelp.families.models import Household, Involvement, InvolvementRole
from earlyhelp.families.services import involvement_end
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.journey.selectors import active_episode
from earlyhelp.web.errors import RefusedError
from earlyhelp.workflow import audit_change

from .models import Handover, Supervision, SupervisionAction

TEXT_MAX = 5_000
ACTION_MAX = 500

HELD_ON_REQUIRED = "Enter the date the supervision took place"
HELD_ON_FUTURE = "The date of the supervision must be today or in the past"
REFLECTION_REQUIRED = "Enter the reflection on the family's progress"
DECISIONS_REQUIRED = "Enter what was decided"
TOO_LONG = f"Keep this to {TEXT_MAX:,} characters or fewer"
ACTION_OWNER_REQUIRED = "Select who will do this action"
ACTION_DUE_REQUIRED = "Enter the date the action is due"
ACTION_DUE_PAST = "The date the action is due must be today or in the future"
ACTION_WHAT_REQUIRED = "Enter what will be done"
ACTION_TOO_LONG = f"Keep the action to {ACTION_MAX} characters or fewer"
NOT_SUPERVISOR = "Only a team manager or the Early Help Team records supervision"

NO_EPISODE = "The family has no open episode of early help, so there is no lead professional to change"
NEW_LEAD_REQUIRED = "Select the new lead professional"
NEW_LEAD_NOT_PRACTITIONER = "The new lead professional must be an active practitioner with an agency"
NEW_LEAD_SAME = "This practitioner is already the lead professional"
HANDOVER_REQUIRED = "Write a handover note for the new lead professional"
NOT_ALLOWED_TO_CHANGE_LEAD = "Only a team manager or the Early Help Team changes a family's lead professional"


def _text_errors(values: dict[str, str], required: dict[str, str]) -> dict[str, str]:
    errors = {}
    for field, message in required.items():
        if not values[field]:
            errors[field] = message
        elif len(values[field]) > TEXT_MAX:
            errors[field] = TOO_LONG
    return errors


def _action_errors(actions: Sequence[dict[str, Any]], today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    for number, action in enumerate(actions, start=1):
        what, owner, due_on = (action.get("what") or "").strip(), action.get("owner"), action.get("due_on")
        if not (what or owner or due_on):
            continue
        if not what:
            errors[f"action_{number}_what"] = ACTION_WHAT_REQUIRED
        elif len(what) > ACTION_MAX:
            errors[f"action_{number}_what"] = ACTION_TOO_LONG
        if owner is None:
            errors[f"action_{number}_owner"] = ACTION_OWNER_REQUIRED
        if due_on is None:
            errors[f"action_{number}_due_on"] = ACTION_DUE_REQUIRED
        elif due_on < today:
            errors[f"action_{number}_due_on"] = ACTION_DUE_PAST
    return errors


@transaction.atomic
def supervision_record(
    *,
    actor: User,
    household: Household,
    held_on: date | None,
    reflection: str,
    decisions: str,
    actions: Sequence[dict[str, Any]] = (),
) -> Supervision:
    """Record a supervision discussion about the family, with actions that each have an owner and a due date."""
    if not capabilities.can_record_supervision(actor):
        raise RefusedError(NOT_SUPERVISOR)
    today = timezone.localdate()
    values = {"reflection": (reflection or "").strip(), "decisions": (decisions or "").strip()}
    errors = _text_errors(values, {"reflection": REFLECTION_REQUIRED, "decisions": DECISIONS_REQUIRED})
    if held_on is None:
        errors["held_on"] = HELD_ON_REQUIRED
    elif held_on > today:
        errors["held_on"] = HELD_ON_FUTURE
    errors |= _action_errors(actions, today)
    if errors or held_on is None:
        raise ValidationError(errors or {"held_on": HELD_ON_REQUIRED})
    supervision = Supervision.objects.create(
        household=household, episode=active_episode(household), held_on=held_on, supervisor=actor, **values
    )
    kept = [action for action in actions if (action.get("what") or "").strip()]
    SupervisionAction.objects.bulk_create(
        SupervisionAction(
            supervision=supervision, what=action["what"].strip(), owner=action["owner"], due_on=action["due_on"]
        )
        for action in kept
    )
    audit_change(actor=actor, record=supervision, action=Action.CREATE, household_id=household.id, actions=len(kept))
    chronology_record(
        actor=actor,
        household=household,
        episode=supervision.episode,
        kind="supervision",
        summary=f"Supervision recorded by {actor.display_name}"
        + (f", with {len(kept)} action{'s' if len(kept) != 1 else ''}" if kept else ""),
        source=supervision,
    )
    return supervision


def current_lead(household: Household) -> Involvement | None:
    return (
        household.involvements.filter(role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True)
        .select_related("practitioner", "agency")
        .first()
    )


@transaction.atomic
def lead_change(*, actor: User, household: Household, new_lead: User | None, note: str) -> Handover:
    """Hand the family to a new lead professional with a note: the old lead's involvement ends today,
    the new one's starts (consent for the new agency is checked there), and the chronology says so."""
    if not capabilities.can_change_lead(actor):
        raise RefusedError(NOT_ALLOWED_TO_CHANGE_LEAD)
    episode = active_episode(household)
    if episode is None:
        raise RefusedError(NO_EPISODE)
    note = (note or "").strip()
    old = current_lead(household)
    errors = _text_errors({"note": note}, {"note": HANDOVER_REQUIRED})
    if new_lead is None:
        errors["new_lead"] = NEW_LEAD_REQUIRED
    elif not new_lead.is_active or new_lead.agency is None or not capabilities.can_be_named_lead(new_lead):
        errors["new_lead"] = NEW_LEAD_NOT_PRACTITIONER
    elif old is not None and old.practitioner_id == new_lead.pk:
        errors["new_lead"] = NEW_LEAD_SAME
    if errors or new_lead is None or new_lead.agency is None:
        raise ValidationError(errors or {"new_lead": NEW_LEAD_NOT_PRACTITIONER})
    if old is not None:
        involvement_end(actor=actor, involvement=old)
    involvement_start(
        actor=actor,
        household=household,
        role=InvolvementRole.LEAD_PROFESSIONAL,
        agency=new_lead.agency,
        practitioner=new_lead,
    )
    handover = Handover.objects.create(
        household=household,
        episode=episode,
        from_lead=old.practitioner if old else None,
        to_lead=new_lead,
        note=note,
        recorded_by=actor,
    )
    audit_change(
        actor=actor,
        record=handover,
        action=Action.CREATE,
        household_id=household.id,
        from_lead=old.practitioner_id if old else None,
        to_lead=new_lead.pk,
    )
    before = f" from {old.practitioner.display_name}" if old and old.practitioner else ""
    chronology_record(
        actor=actor,
        household=household,
        episode=episode,
        kind="lead",
        summary=f"Lead professional changed{before} to {new_lead.display_name} ({new_lead.agency.name})",
        source=handover,
    )
    return handover
