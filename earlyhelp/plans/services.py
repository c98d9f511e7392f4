"""Every change to a family plan, its actions, the Team Around the Family and its meetings. Each
service runs in one transaction and records its audit event and chronology entry in it."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import Agency, User
from earlyhelp.assessments.models import Need
from earlyhelp.assessments.selectors import latest_approved_version
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.consent.services import involvement_start
from earlyhelp.directory.models import Service
from earlyhelp.directory.selectors import published_services
from earlyhelp.families.models import Involvement, InvolvementRole, Person
from earlyhelp.families.services import involvement_end
from earlyhelp.journey import rules as journey_rules
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.journey.models import Episode, EpisodeStatus

from . import rules
from .models import (
    ActionStatus,
    ActionStatusChange,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    Outcome,
    Plan,
    PlanAction,
)

EPISODE_NOT_OPEN = "A plan can only be made or changed while the family's episode is open to early help"
PLAN_EXISTS = "This episode already has a plan: add to it instead"
OUTCOME_REQUIRED = "Describe the outcome the family wants"
NEED_NOT_ASSESSED = "Choose needs from this family's assessment"
SERVICE_NOT_PUBLISHED = "Choose a service that is published in the directory"
WHAT_REQUIRED = "Say what will be done"
WHO_REQUIRED = "Choose who will do it: a practitioner, a family member or an agency"
DUE_REQUIRED = "Enter the date it will be done by"
OUTCOME_NOT_IN_PLAN = "Choose an outcome of this plan"
FAMILY_MEMBER_NOT_IN_HOUSEHOLD = "Choose someone who lives in this household"
MEETING_KIND_REQUIRED = "Choose the kind of meeting"
MEETING_DATE_REQUIRED = "Enter the date the meeting was held"
MEETING_IN_FUTURE = "The meeting date must be today or in the past"
DECISIONS_REQUIRED = "Record what the meeting decided"
SCALE_REQUIRED = "Enter the scale from 0 to 10"
SCALE_OUT_OF_RANGE = "The scale runs from 0 to 10"
REVIEW_REQUIRED = "Set the date of the next review"
REVIEW_NOT_AFTER = "The next review must be after the meeting"
ATTENDANCE_REQUIRED = "Record who attended: at least one family member or agency"
ACTION_NOT_IN_PLAN = "That action is not part of this plan"
TAF_NO_AGENCY = "This practitioner's account is not linked to an agency, so they cannot join the TAF"
TAF_ALREADY_MEMBER = "This practitioner is already a member of the Team Around the Family"
TAF_NOT_MEMBER = "That person is not a current member of this Team Around the Family"


def _require_open(plan_or_episode: Plan | Episode) -> None:
    episode = plan_or_episode.episode if isinstance(plan_or_episode, Plan) else plan_or_episode
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationError({NON_FIELD_ERRORS: [EPISODE_NOT_OPEN]})


def _audit(actor: User, action: str, plan: Plan, object_type: str, object_id: object, **details) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        household_id=plan.household_id,
        details={"plan": str(plan.pk), **details},
    )


def _chronicle(actor: User, plan: Plan, kind: str, summary: str, source: object) -> None:
    chronology_record(
        actor=actor, household=plan.household, episode=plan.episode, kind=kind, summary=summary, source=source
    )


@transaction.atomic
def plan_start(*, actor: User, episode: Episode) -> Plan:
    """Start the family plan of an open episode: one plan per episode."""
    _require_open(episode)
    if Plan.objects.filter(episode=episode).exists():
        raise ValidationError({NON_FIELD_ERRORS: [PLAN_EXISTS]})
    plan = Plan.objects.create(episode=episode, household=episode.household, created_by=actor)
    _audit(actor, Action.CREATE, plan, "plan", plan.pk)
    _chronicle(actor, plan, "plan", "Family plan started", plan)
    return plan


@transaction.atomic
def plan_outcome_add(*, actor: User, plan: Plan, description: str, needs: Iterable[Need] = ()) -> Outcome:
    """Add an outcome to the plan, linked to the assessed needs it answers."""
    _require_open(plan)
    needs = list(needs)
    errors = {}
    if not description.strip():
        errors["description"] = OUTCOME_REQUIRED
    if any(need.version.assessment.household_id != plan.household_id for need in needs):
        errors["needs"] = NEED_NOT_ASSESSED
    if errors:
        raise ValidationError(errors)
    outcome = Outcome.objects.create(plan=plan, description=description.strip())
    outcome.needs.set(needs)
    _audit(actor, Action.CREATE, plan, "plan_outcome", outcome.pk, needs=[need.pk for need in needs])
    _chronicle(actor, plan, "plan", f"Outcome added to the plan: {outcome.description[:200]}", outcome)
    return outcome


@transaction.atomic
def plan_action_add(
    *,
    actor: User,
    plan: Plan,
    what: str,
    due_on: date | None,
    outcome: Outcome | None = None,
    practitioner: User | None = None,
    family_member: Person | None = None,
    agency: Agency | None = None,
    service: Service | None = None,
) -> PlanAction:
    """Add an action: what, who (a practitioner, a family member or an agency) and by when; it may
    be a referral to a published directory service."""
    _require_open(plan)
    errors = {}
    if not what.strip():
        errors["what"] = WHAT_REQUIRED
    if practitioner is None and family_member is None and agency is None:
        errors["practitioner"] = WHO_REQUIRED
    if due_on is None:
        errors["due_on"] = DUE_REQUIRED
    if outcome is not None and outcome.plan_id != plan.pk:
        errors["outcome"] = OUTCOME_NOT_IN_PLAN
    if (
        family_member is not None
        and not plan.household.memberships.filter(person=family_member, ended_on__isnull=True).exists()
    ):
        errors["family_member"] = FAMILY_MEMBER_NOT_IN_HOUSEHOLD
    if service is not None and not published_services().filter(pk=service.pk).exists():
        errors["service"] = SERVICE_NOT_PUBLISHED
    if errors:
        raise ValidationError(errors)
    action = PlanAction.objects.create(
        plan=plan,
        outcome=outcome,
        service=service,
        what=what.strip(),
        practitioner=practitioner,
        family_member=family_member,
        agency=agency if agency is not None or practitioner is None else practitioner.agency,
        due_on=due_on,
    )
    _audit(
        actor,
        Action.CREATE,
        plan,
        "plan_action",
        action.pk,
        due_on=due_on.isoformat(),
        **({"service": str(service.pk)} if service else {}),
    )
    _chronicle(actor, plan, "plan", f"Action added: {action.what[:200]} ({action.who}, by {due_on:%d %b %Y})", action)
    return action


def _change_status(*, actor: User, action: PlanAction, status: str, meeting: Meeting | None) -> PlanAction:
    current = PlanAction.objects.select_for_update().get(pk=action.pk)
    if refusal := rules.action_refusal(current.status, status):
        raise ValidationError({"status": refusal})
    ActionStatusChange.objects.create(
        action=current, from_status=current.status, to_status=status, meeting=meeting, changed_by=actor
    )
    previous = current.status
    current.status = status
    current.save(update_fields=["status", "updated_at"])
    _audit(actor, Action.CHANGE, action.plan, "plan_action", current.pk, status=[previous, status])
    return current


@transaction.atomic
def plan_action_status_change(*, actor: User, action: PlanAction, status: str) -> PlanAction:
    """Move an action on (not started, in progress, done, no longer needed) by the allowed steps."""
    _require_open(action.plan)
    if status not in ActionStatus.values:
        raise ValidationError({"status": rules.ACTION_CANNOT_MOVE.format(current=action.status, target=status)})
    changed = _change_status(actor=actor, action=action, status=status, meeting=None)
    _chronicle(
        actor,
        action.plan,
        "plan",
        f"Action {changed.get_status_display().lower()}: {changed.what[:200]}",
        changed,
    )
    return changed


def _scale_error(value: int | None) -> str | None:
    if value is None:
        return SCALE_REQUIRED
    if not 0 <= value <= 10:
        return SCALE_OUT_OF_RANGE
    return None


def _previous_family_scale(plan: Plan) -> int | None:
    last_meeting = plan.meetings.order_by("-held_on", "-id").first()
    if last_meeting is not None:
        return last_meeting.family_scale
    version = latest_approved_version(plan.household)
    return version.family_scale if version is not None else None


def meeting_step_prompt(*, previous_scale: int | None, new_scale: int) -> str:
    """The journey's advice on a re-scored scale: whether to consider a step up or down."""
    prompt = journey_rules.step_prompt(None, None, previous_scale, new_scale)
    return prompt.message if prompt is not None else ""


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    plan: Plan,
    kind: str,
    held_on: date | None,
    decisions: str,
    family_scale: int | None,
    practitioner_scale: int | None,
    next_review_on: date | None,
    family_members: Iterable[Person] = (),
    agencies: Iterable[Agency] = (),
    practitioners: Iterable[User] = (),
    action_statuses: dict[int, str] | None = None,
) -> Meeting:
    """Record a TAF meeting (or FGC, MARAC, closure meeting): who came, what was decided, the
    actions updated and the scale re-scored; it sets the plan's next review (not for closure)."""
    _require_open(plan)
    family_members, agencies, practitioners = list(family_members), list(agencies), list(practitioners)
    action_statuses = action_statuses or {}
    today = timezone.localdate()
    errors = {}
    if kind not in MeetingKind.values:
        errors["kind"] = MEETING_KIND_REQUIRED
    if held_on is None:
        errors["held_on"] = MEETING_DATE_REQUIRED
    elif held_on > today:
        errors["held_on"] = MEETING_IN_FUTURE
    if not decisions.strip():
        errors["decisions"] = DECISIONS_REQUIRED
    for name, value in (("family_scale", family_scale), ("practitioner_scale", practitioner_scale)):
        if error := _scale_error(value):
            errors[name] = error
    if kind != MeetingKind.CLOSURE and next_review_on is None:
        errors["next_review_on"] = REVIEW_REQUIRED
    elif next_review_on is not None and held_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = REVIEW_NOT_AFTER
    if not family_members and not agencies and not practitioners:
        errors["family_members"] = ATTENDANCE_REQUIRED
    current = set(plan.household.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True))
    if any(person.pk not in current for person in family_members):
        errors["family_members"] = FAMILY_MEMBER_NOT_IN_HOUSEHOLD
    actions = {action.pk: action for action in plan.actions.filter(pk__in=action_statuses)}
    if set(action_statuses) - set(actions):
        errors[NON_FIELD_ERRORS] = ACTION_NOT_IN_PLAN
    if errors:
        raise ValidationError(errors)
    previous_scale = _previous_family_scale(plan)
    meeting = Meeting.objects.create(
        plan=plan,
        kind=kind,
        held_on=held_on,
        decisions=decisions.strip(),
        family_scale=family_scale,
        practitioner_scale=practitioner_scale,
        next_review_on=next_review_on,
        step_prompt=meeting_step_prompt(previous_scale=previous_scale, new_scale=family_scale),
        recorded_by=actor,
    )
    attendees = [MeetingAttendee(meeting=meeting, person=person) for person in family_members]
    attendees += [MeetingAttendee(meeting=meeting, agency=agency) for agency in agencies]
    attendees += [
        MeetingAttendee(meeting=meeting, agency=user.agency, practitioner=user) for user in practitioners if user.agency
    ]
    MeetingAttendee.objects.bulk_create(attendees)
    for action_id, status in action_statuses.items():
        if status != actions[action_id].status:
            _change_status(actor=actor, action=actions[action_id], status=status, meeting=meeting)
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    _audit(actor, Action.CREATE, plan, "meeting", meeting.pk, kind=kind, scale=[family_scale, practitioner_scale])
    _chronicle(
        actor,
        plan,
        "meeting",
        f"{meeting.get_kind_display()} held: scale {family_scale}/10 (family), {practitioner_scale}/10 "
        f"(practitioners)" + (f"; next review {next_review_on:%d %b %Y}" if next_review_on else ""),
        meeting,
    )
    return meeting


def taf_members(plan: Plan):
    """The Team Around the Family now: current TAF involvements with the household."""
    return plan.household.involvements.filter(role=InvolvementRole.TAF_MEMBER, ended_on__isnull=True).select_related(
        "practitioner", "agency"
    )


@transaction.atomic
def taf_member_add(*, actor: User, plan: Plan, practitioner: User) -> Involvement:
    """Add a practitioner to the TAF; they can then open the family's record (access follows it)."""
    _require_open(plan)
    if practitioner.agency_id is None:
        raise ValidationError({"practitioner": TAF_NO_AGENCY})
    if taf_members(plan).filter(practitioner=practitioner).exists():
        raise ValidationError({"practitioner": TAF_ALREADY_MEMBER})
    involvement = involvement_start(
        actor=actor,
        household=plan.household,
        role=InvolvementRole.TAF_MEMBER,
        agency=practitioner.agency,
        practitioner=practitioner,
    )
    _chronicle(
        actor, plan, "plan", f"{practitioner.display_name} ({practitioner.agency.name}) joined the TAF", involvement
    )
    return involvement


@transaction.atomic
def taf_member_remove(*, actor: User, plan: Plan, involvement_id: int) -> Involvement:
    """End a practitioner's TAF membership; their access to the record ends with it."""
    _require_open(plan)
    involvement = taf_members(plan).filter(pk=involvement_id).first()
    if involvement is None:
        raise ValidationError({NON_FIELD_ERRORS: [TAF_NOT_MEMBER]})
    involvement_end(actor=actor, involvement=involvement)
    who = involvement.practitioner.display_name if involvement.practitioner_id else involvement.team.name
    _chronicle(actor, plan, "plan", f"{who} left the TAF", involvement)
    return involvement
