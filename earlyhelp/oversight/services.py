"""Recording supervision, changing a family's lead professional and transferring an episode to another
team: each in one transaction with its audit event, chronology entry and the notifications it calls for.
Who may do each is asked of `accounts.capabilities`."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Team, User
from earlyhelp.audit.models import Action
from earlyhelp.consent.services import involvement_start
from earlyhelp.families.models import Household, Involvement, InvolvementRole
from earlyhelp.families.services import involvement_end
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.journey.models import EpisodeStatus
from earlyhelp.journey.selectors import active_episode
from earlyhelp.notifications.models import NotificationKind
from earlyhelp.notifications.services import notification_send, notifications_send
from earlyhelp.web.errors import RefusedError
from earlyhelp.workflow import audit_change

from .models import EpisodeTransfer, FamilyTold, Handover, Supervision, SupervisionAction
from .selectors import holding_team_ids

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
FAMILY_TOLD_REQUIRED = "Select how the family was told of the new lead professional, or that they have not been yet"
FAMILY_TOLD_ON_REQUIRED = "Enter the date the family was told"
FAMILY_TOLD_ON_FUTURE = "The date the family was told must be today or in the past"
FAMILY_NOT_TOLD_REASON_REQUIRED = "Say why the family has not been told yet, and when they will be"

TRANSFER_NO_OPEN_EPISODE = "The family has no episode open to early help to transfer"
NOT_ALLOWED_TO_TRANSFER = "Only a manager of the team that holds the family's episode transfers it"
TO_TEAM_REQUIRED = "Select the team to transfer the episode to"
TO_TEAM_SAME = "The episode is already with this team: select another team"
TO_TEAM_NO_MANAGER = "The team has no manager to receive the episode: select another team"
TRANSFER_REASON_REQUIRED = "Say why the episode is being transferred"
TRANSFER_LEAD_NOT_IN_TEAM = "The new lead professional must be an active practitioner in the receiving team"


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
    return household.involvements.current_lead().select_related("practitioner", "agency").first()


def _family_told_errors(
    family_told: str, family_told_on: date | None, family_not_told_reason: str, today: date
) -> dict[str, str]:
    if family_told not in FamilyTold.values:
        return {"family_told": FAMILY_TOLD_REQUIRED}
    if family_told == FamilyTold.NOT_YET:
        if not family_not_told_reason:
            return {"family_not_told_reason": FAMILY_NOT_TOLD_REASON_REQUIRED}
        if len(family_not_told_reason) > TEXT_MAX:
            return {"family_not_told_reason": TOO_LONG}
        return {}
    if family_told_on is None:
        return {"family_told_on": FAMILY_TOLD_ON_REQUIRED}
    if family_told_on > today:
        return {"family_told_on": FAMILY_TOLD_ON_FUTURE}
    return {}


def _new_lead_errors(new_lead: User | None, old: Involvement | None) -> dict[str, str]:
    if new_lead is None:
        return {"new_lead": NEW_LEAD_REQUIRED}
    if not new_lead.is_active or new_lead.agency is None or not capabilities.can_be_named_lead(new_lead):
        return {"new_lead": NEW_LEAD_NOT_PRACTITIONER}
    if old is not None and old.practitioner_id == new_lead.pk:
        return {"new_lead": NEW_LEAD_SAME}
    return {}


def _taf_members(household: Household, *, leaving_out: set[int]) -> list[User]:
    """The practitioners in the family's Team Around the Family now, but for those named."""
    involvements = household.involvements.filter(
        role=InvolvementRole.TAF_MEMBER, ended_on__isnull=True, practitioner__isnull=False, practitioner__is_active=True
    ).select_related("practitioner")
    return [each.practitioner for each in involvements if each.practitioner and each.practitioner.pk not in leaving_out]


def _lead_switch(
    *, actor: User, household: Household, old: Involvement | None, new_lead: User | None, why: str
) -> None:
    """End the old lead's involvement and start the new lead's (if any), and tell the old lead and the Team
    Around the Family; the new lead is told by `involvement_start`. `why` ends the old lead's notice."""
    link = reverse("families:household", args=[household.pk])
    old_lead = old.practitioner if old is not None else None
    if old is not None:
        involvement_end(actor=actor, involvement=old)
    if new_lead is not None and new_lead.agency is not None:
        involvement_start(
            actor=actor,
            household=household,
            role=InvolvementRole.LEAD_PROFESSIONAL,
            agency=new_lead.agency,
            practitioner=new_lead,
        )
        now = f"The {household.name}'s lead professional is now {new_lead.display_name} ({new_lead.agency.name})."
    else:
        now = f"The {household.name} has no lead professional for now: {why}"
    if old_lead is not None and old_lead.pk != actor.pk:
        # The old lead knew the family until now; the link is to the inbox, since their access may have ended.
        notification_send(
            recipient=old_lead,
            kind=NotificationKind.LEAD_CHANGED,
            text=f"You are no longer the lead professional for the {household.name}: {why}",
        )
    leaving_out = {each.pk for each in (old_lead, new_lead) if each is not None}
    notifications_send(
        recipients=_taf_members(household, leaving_out=leaving_out),
        kind=NotificationKind.LEAD_CHANGED,
        text=now,
        link=link,
        actor=actor,
    )


@transaction.atomic
def lead_change(
    *,
    actor: User,
    household: Household,
    new_lead: User | None,
    note: str,
    family_told: str,
    family_told_on: date | None = None,
    family_not_told_reason: str = "",
) -> Handover:
    """Hand the family to a new lead professional with a note: the old lead's involvement ends today,
    the new one's starts (consent for the new agency is checked there), the new lead, the old lead and
    the Team Around the Family are told, how and when the family was told is recorded (families have no
    accounts: they are never emailed), and the chronology says so."""
    if not capabilities.can_change_lead(actor):
        raise RefusedError(NOT_ALLOWED_TO_CHANGE_LEAD)
    episode = active_episode(household)
    if episode is None:
        raise RefusedError(NO_EPISODE)
    note = (note or "").strip()
    reason = (family_not_told_reason or "").strip()
    old = current_lead(household)
    errors = _text_errors({"note": note}, {"note": HANDOVER_REQUIRED})
    errors |= _new_lead_errors(new_lead, old)
    errors |= _family_told_errors(family_told, family_told_on, reason, timezone.localdate())
    if errors or new_lead is None or new_lead.agency is None:
        raise ValidationError(errors or {"new_lead": NEW_LEAD_NOT_PRACTITIONER})
    told = family_told != FamilyTold.NOT_YET
    _lead_switch(
        actor=actor,
        household=household,
        old=old,
        new_lead=new_lead,
        why=f"{new_lead.display_name} ({new_lead.agency.name}) now leads.",
    )
    handover = Handover.objects.create(
        household=household,
        episode=episode,
        from_lead=old.practitioner if old else None,
        to_lead=new_lead,
        note=note,
        recorded_by=actor,
        family_told=family_told,
        family_told_on=family_told_on if told else None,
        family_not_told_reason="" if told else reason,
    )
    audit_change(
        actor=actor,
        record=handover,
        action=Action.CREATE,
        household_id=household.id,
        from_lead=old.practitioner_id if old else None,
        to_lead=new_lead.pk,
        family_told=family_told,
    )
    before = f" from {old.practitioner.display_name}" if old and old.practitioner else ""
    chronology_record(
        actor=actor,
        household=household,
        episode=episode,
        kind="lead",
        summary=f"Lead professional changed{before} to {new_lead.display_name} ({new_lead.agency.name}); "
        + handover.family_told_words,
        source=handover,
    )
    return handover


def _receiving_managers(team: Team) -> list[User]:
    return list(
        User.objects.filter(
            team=team, is_active=True, role__in=capabilities.roles_for(capabilities.is_team_manager)
        ).order_by("pk")
    )


@transaction.atomic
def episode_transfer(
    *, actor: User, household: Household, to_team: Team | None, reason: str, new_lead: User | None = None
) -> EpisodeTransfer:
    """Move the family's open episode from the actor's team to another: the receiving team holds the case
    (consent for its agency is checked as for any involvement) and its managers are told; the lead
    professional stays if they work in the receiving team, else hands over to `new_lead` (one of the
    receiving team's practitioners) or, with none chosen, is cleared for the receiving team to choose."""
    episode = active_episode(household)
    if episode is None or episode.status != EpisodeStatus.OPEN:
        raise RefusedError(TRANSFER_NO_OPEN_EPISODE)
    holding = holding_team_ids(household)
    if not capabilities.can_transfer_episode(actor, holding) or actor.team is None:
        raise RefusedError(NOT_ALLOWED_TO_TRANSFER)
    from_team = actor.team
    reason = (reason or "").strip()
    errors = _text_errors({"reason": reason}, {"reason": TRANSFER_REASON_REQUIRED})
    managers: list[User] = []
    if to_team is None:
        errors["to_team"] = TO_TEAM_REQUIRED
    elif to_team.pk == from_team.pk:
        errors["to_team"] = TO_TEAM_SAME
    else:
        managers = _receiving_managers(to_team)
        if not managers:
            errors["to_team"] = TO_TEAM_NO_MANAGER
    old = current_lead(household)
    if new_lead is not None and (
        to_team is None
        or new_lead.team_id != to_team.pk
        or not new_lead.is_active
        or new_lead.agency is None
        or not capabilities.can_be_named_lead(new_lead)
    ):
        errors["new_lead"] = TRANSFER_LEAD_NOT_IN_TEAM
    if errors or to_team is None:
        raise ValidationError(errors or {"to_team": TO_TEAM_REQUIRED})
    old_lead = old.practitioner if old is not None else None
    if new_lead is not None and old_lead is not None and new_lead.pk == old_lead.pk:
        new_lead = None  # the lead named is the lead already, in the receiving team: they stay
    stays = new_lead is None and old_lead is not None and old_lead.team_id == to_team.pk
    to_lead = old_lead if stays else new_lead
    if not stays and (old is not None or new_lead is not None):
        why = f"the family's episode was transferred to {to_team.name}."
        _lead_switch(actor=actor, household=household, old=old, new_lead=new_lead, why=why)
    holders = household.involvements.filter(role=InvolvementRole.CASE_HOLDER, ended_on__isnull=True)
    for holder in holders.filter(team_id__in=holding - {to_team.pk}):
        involvement_end(actor=actor, involvement=holder)
    if not holders.filter(team=to_team).exists():
        involvement_start(
            actor=actor, household=household, role=InvolvementRole.CASE_HOLDER, agency=to_team.agency, team=to_team
        )
    transfer = EpisodeTransfer.objects.create(
        household=household,
        episode=episode,
        from_team=from_team,
        to_team=to_team,
        reason=reason,
        from_lead=old_lead,
        to_lead=to_lead,
        recorded_by=actor,
    )
    audit_change(
        actor=actor,
        record=transfer,
        action=Action.CREATE,
        household_id=household.id,
        from_team=from_team.pk,
        to_team=to_team.pk,
        from_lead=old_lead.pk if old_lead else None,
        to_lead=to_lead.pk if to_lead else None,
    )
    # Now holding the case, the receiving team's managers may open the record: the notice may name the family.
    notifications_send(
        recipients=managers,
        kind=NotificationKind.EPISODE_TRANSFERRED,
        text=f"The {household.name}'s episode was transferred to {to_team.name} by {actor.display_name}"
        + ("." if to_lead else ", with no lead professional yet: choose one."),
        link=reverse("families:household", args=[household.pk]),
        actor=actor,
    )
    chronology_record(
        actor=actor,
        household=household,
        episode=episode,
        kind="transfer",
        summary=f"Episode transferred from {from_team.name} to {to_team.name} by {actor.display_name}; "
        + transfer.lead_words,
        source=transfer,
    )
    return transfer
