"""Every change to a family plan, its actions, the Team Around the Family and its meetings. Each
service runs in one transaction and records its audit event and chronology entry in it."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone

from earlyhelp import workflow
from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.assessments.models import Need
from earlyhelp.assessments.selectors import latest_approved_version
from earlyhelp.audit.models import Action
from earlyhelp.consent.services import involvement_start
from earlyhelp.directory.models import Service
from earlyhelp.directory.selectors import published_services
from earlyhelp.families.models import Involvement, InvolvementRole, Person
from earlyhelp.families.services import involvement_end
from earlyhelp.journey import rules as journey_rules
from earlyhelp.journey.chronology import chronology_record
from earlyhelp.journey.models import Episode, EpisodeStatus
from earlyhelp.notifications.models import NotificationKind
from earlyhelp.notifications.services import notification_send, notification_send_once, notifications_send
from earlyhelp.web.errors import RefusedError

from . import ics, rules
from .links import plan_page, scheduled_meeting_page
from .models import (
    MEETING_MINUTES_MAX,
    MEETING_MINUTES_MIN,
    OPEN_ACTION_STATUSES,
    ActionStatus,
    ActionStatusChange,
    InvitationResponse,
    Meeting,
    MeetingAttendee,
    MeetingInvitation,
    MeetingKind,
    Outcome,
    Plan,
    PlanAction,
    ScheduledMeeting,
    ScheduledMeetingStatus,
)
from .referral_services import referral_make, referral_withdraw
from .selectors import invitable_practitioners, lead_ids, scheduled_meeting_ics, taf_members

EPISODE_NOT_OPEN = "A plan can only be made or changed while the family's episode is open to early help"
PLAN_EXISTS = "This episode already has a plan: add to it instead"
ASSESSMENT_NOT_APPROVED = (
    "A family plan and its meetings follow an approved Early Help Assessment: "
    "this family's assessment has not been approved yet"
)
OUTCOME_REQUIRED = "Describe the outcome the family wants"
NEED_NOT_ASSESSED = "Choose needs from this family's assessment"
SERVICE_NOT_PUBLISHED = "Choose a service that is published in the directory"
WHAT_REQUIRED = "Say what will be done"
WHO_REQUIRED = "Choose who will do it: a practitioner, a family member or an agency"
DUE_REQUIRED = "Enter the date it will be done by"
DUE_IN_PAST = "The date it will be done by must be today or in the future"
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
ACTION_NOT_YOURS = (
    "Only the lead professional, the Early Help Team, a manager or the agency the action is assigned to updates it"
)
SCHEDULED_NOT_OPEN = "This meeting was cancelled or has been recorded, so it cannot be changed or answered"
SCHEDULED_NOT_IN_PLAN = "That arranged meeting is not one of this plan's"
MEETING_DAY_REQUIRED = "Enter the date of the meeting"
START_TIME_REQUIRED = "Enter the time the meeting starts, for example 10:00"
MEETING_NOT_IN_FUTURE = "The meeting must start in the future"
MEETING_DAYS_AHEAD_MAX = 730
MEETING_TOO_FAR_AHEAD = "A meeting is arranged at most two years ahead"
DURATION_REQUIRED = "Enter how long the meeting will last, in minutes"
DURATION_OUT_OF_BOUNDS = (
    f"A meeting lasts at least {MEETING_MINUTES_MIN} minutes and at most {MEETING_MINUTES_MAX // 60} hours"
)
PLACE_REQUIRED = "Say where the meeting is, or give the link to join it online"
PLACE_TOO_LONG = "Keep the place to 200 characters or fewer"
ONLINE_LINK_INVALID = "The online meeting link must be a web address starting https://"
ONLINE_LINK_TOO_LONG = "Keep the online meeting link to 500 characters or fewer"
INVITEES_REQUIRED = "Invite at least one practitioner from the Team Around the Family"
INVITEE_NOT_IN_TAF = "Invite only practitioners working with this family: the lead professional and TAF members"
NOTHING_CHANGED = "Change the date, the start time, the duration or the place: nothing was changed"
RESPONSE_UNKNOWN = "Choose accepted, declined or tentative"
INVITATION_NOT_FOUND = "That invitation is not one of this meeting's"
NOT_INVITED = "You are not invited to this meeting"
INVITATION_NOT_FAMILY = "Only a family member's answer may be recorded for them: a practitioner answers for themselves"
ACTION_NOTE_MAX = 1_000
ACTION_NOTE_TOO_LONG = f"Keep the note to {ACTION_NOTE_MAX:,} characters or fewer"


class ActionRefusedError(RefusedError):
    """A status an action may not move to from the one it is in; shown against the status field."""

    def __init__(self, reason: str) -> None:
        ValidationError.__init__(self, {"status": [reason]})
        self.reason = reason


def _require_open(plan_or_episode: Plan | Episode) -> None:
    episode = plan_or_episode.episode if isinstance(plan_or_episode, Plan) else plan_or_episode
    if episode.status != EpisodeStatus.OPEN:
        raise ValidationError({NON_FIELD_ERRORS: [EPISODE_NOT_OPEN]})


def _require_approved_assessment(household) -> None:
    if latest_approved_version(household) is None:
        raise RefusedError(ASSESSMENT_NOT_APPROVED)


def _chronicle(actor: User, plan: Plan, kind: str, summary: str, source: models.Model) -> None:
    chronology_record(
        actor=actor, household=plan.household, episode=plan.episode, kind=kind, summary=summary, source=source
    )


@transaction.atomic
def plan_start(*, actor: User, episode: Episode) -> Plan:
    """Start the family plan of an open episode, once the family's assessment is approved: one plan
    per episode."""
    _require_open(episode)
    if Plan.objects.filter(episode=episode).exists():
        raise ValidationError({NON_FIELD_ERRORS: [PLAN_EXISTS]})
    _require_approved_assessment(episode.household)
    plan = Plan.objects.create(episode=episode, household=episode.household, created_by=actor)
    workflow.audit_change(
        actor=actor, record=plan, action=Action.CREATE, household_id=plan.household_id, plan=str(plan.pk)
    )
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
    workflow.audit_change(
        actor=actor,
        record=outcome,
        action=Action.CREATE,
        household_id=plan.household_id,
        object_type="plan_outcome",
        plan=str(plan.pk),
        needs=[need.pk for need in needs],
    )
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
    be a referral to a published directory service, which the provider then sees and answers
    (`referral_services.referral_make`: held until sharing with the provider is covered)."""
    _require_open(plan)
    errors = {}
    if not what.strip():
        errors["what"] = WHAT_REQUIRED
    if practitioner is None and family_member is None and agency is None:
        errors["practitioner"] = WHO_REQUIRED
    if due_on is None:
        errors["due_on"] = DUE_REQUIRED
    elif due_on < timezone.localdate():
        errors["due_on"] = DUE_IN_PAST
    if outcome is not None and outcome.plan_id != plan.pk:
        errors["outcome"] = OUTCOME_NOT_IN_PLAN
    if (
        family_member is not None
        and not plan.household.memberships.filter(person=family_member, ended_on__isnull=True).exists()
    ):
        errors["family_member"] = FAMILY_MEMBER_NOT_IN_HOUSEHOLD
    if service is not None and not published_services().filter(pk=service.pk).exists():
        errors["service"] = SERVICE_NOT_PUBLISHED
    if errors or due_on is None:
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
    workflow.audit_change(
        actor=actor,
        record=action,
        action=Action.CREATE,
        household_id=plan.household_id,
        object_type="plan_action",
        plan=str(plan.pk),
        due_on=due_on.isoformat(),
        **({"service": str(service.pk)} if service else {}),
    )
    _chronicle(actor, plan, "plan", f"Action added: {action.what[:200]} ({action.who}, by {due_on:%d %b %Y})", action)
    if service is not None:
        referral_make(actor=actor, action=action)
    if practitioner is not None:
        # The assignee may not be involved with the family, so the notice names neither it nor the action.
        notifications_send(
            recipients=[practitioner],
            actor=actor,
            kind=NotificationKind.ACTION_ASSIGNED,
            text=f"A family plan action was assigned to you, due {due_on:%-d %B %Y}.",
            link=plan_page(plan),
        )
    return action


@transaction.atomic
def actions_overdue_notify() -> int:
    """Tell each practitioner, once, of each of their open actions past its due date in an open
    episode's plan (the daily job); how many were told."""
    overdue = (
        PlanAction.objects.filter(
            status__in=OPEN_ACTION_STATUSES,
            due_on__lt=timezone.localdate(),
            practitioner__isnull=False,
            practitioner__is_active=True,
            plan__episode__status=EpisodeStatus.OPEN,
        )
        .select_related("plan", "practitioner")
        .order_by("pk")
    )
    told = 0
    for action in overdue:
        practitioner = action.practitioner
        if practitioner is not None and notification_send_once(
            recipient=practitioner,
            kind=NotificationKind.ACTION_OVERDUE,
            about=f"plan_action:{action.pk}",
            text=f"A family plan action of yours was due on {action.due_on:%-d %B %Y}.",
            link=plan_page(action.plan),
        ):
            told += 1
    return told


@transaction.atomic
def reviews_due_notify() -> int:
    """Tell each lead professional, once for each review date, that a plan of an open episode they lead is
    due for review within PLAN_REVIEW_NOTICE_DAYS (or is past it); how many were told (the daily job)."""
    today = timezone.localdate()
    due = (
        Plan.objects.filter(
            next_review_on__isnull=False,
            next_review_on__lte=today + timedelta(days=settings.PLAN_REVIEW_NOTICE_DAYS),
            episode__status=EpisodeStatus.OPEN,
        )
        .select_related("household")
        .order_by("pk")
    )
    leads = Involvement.objects.filter(
        household__in=[plan.household_id for plan in due],
        role=InvolvementRole.LEAD_PROFESSIONAL,
        ended_on__isnull=True,
        practitioner__is_active=True,
    ).select_related("practitioner")
    leads_of: dict[uuid.UUID, list[User]] = {}
    for involvement in leads:
        if involvement.practitioner is not None:
            leads_of.setdefault(involvement.household_id, []).append(involvement.practitioner)
    told = 0
    for plan in due:
        review_on = plan.next_review_on
        if review_on is None:  # excluded by the query; the type checker cannot know
            continue
        about = f"plan_review:{plan.pk}:{review_on.isoformat()}"
        when = "was due" if review_on < today else "is due"
        for lead in leads_of.get(plan.household_id, []):
            if notification_send_once(
                recipient=lead,
                kind=NotificationKind.REVIEW_DUE,
                about=about,
                text=f"A family plan you lead {when} for review on {review_on:%-d %B %Y}.",
                link=plan_page(plan),
            ):
                told += 1
    return told


def _change_status(
    *, actor: User, action: PlanAction, status: str, meeting: Meeting | None, note: str = ""
) -> PlanAction:
    previous = PlanAction.objects.select_for_update().get(pk=action.pk).status
    # Refused here in the action's own words, against the status field; the transition checks again.
    if refusal := rules.action_refusal(previous, status):
        raise ActionRefusedError(refusal)
    changed = workflow.transition(
        actor=actor,
        record=action,
        machine=rules.ACTION,
        to=status,
        household_id=action.plan.household_id,
        changes={"updated_at": timezone.now()},
        details={"plan": str(action.plan_id), "status": [previous, status]},
        object_type="plan_action",
    )
    ActionStatusChange.objects.create(
        action=changed, from_status=previous, to_status=status, meeting=meeting, changed_by=actor, note=note
    )
    if status == ActionStatus.CANCELLED:
        # A referral no longer needed leaves the provider's queue, in this transaction.
        referral_withdraw(actor=actor, action=changed)
    return changed


@transaction.atomic
def plan_action_status_change(*, actor: User, action: PlanAction, status: str, note: str = "") -> PlanAction:
    """Move an action on (not started, in progress, done, no longer needed) by the allowed steps, with
    an optional note; by the lead professional, the Early Help Team, a manager, or whoever the action
    is assigned to (`capabilities.can_update_action`)."""
    _require_open(action.plan)
    if not capabilities.can_update_action(actor, action, lead_ids(action.plan.household)):
        raise RefusedError(ACTION_NOT_YOURS)
    note = (note or "").strip()
    if len(note) > ACTION_NOTE_MAX:
        raise ValidationError({"note": ACTION_NOTE_TOO_LONG})
    if status not in ActionStatus.values:
        raise ActionRefusedError(rules.ACTION_CANNOT_MOVE.format(current=action.status, target=status))
    changed = _change_status(actor=actor, action=action, status=status, meeting=None, note=note)
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


def _meeting_date_errors(*, kind: str, held_on: date | None, next_review_on: date | None) -> dict[str, str]:
    errors = {}
    if held_on is None:
        errors["held_on"] = MEETING_DATE_REQUIRED
    elif held_on > timezone.localdate():
        errors["held_on"] = MEETING_IN_FUTURE
    if kind != MeetingKind.CLOSURE and next_review_on is None:
        errors["next_review_on"] = REVIEW_REQUIRED
    elif next_review_on is not None and held_on is not None and next_review_on <= held_on:
        errors["next_review_on"] = REVIEW_NOT_AFTER
    return errors


def _not_all_living_here(plan: Plan, people: list[Person]) -> bool:
    """Whether any of these people does not live in the plan's household now."""
    current = set(plan.household.memberships.filter(ended_on__isnull=True).values_list("person_id", flat=True))
    return any(person.pk not in current for person in people)


def _attendance_error(plan: Plan, family_members: list[Person], others: list[object]) -> str | None:
    if not family_members and not others:
        return ATTENDANCE_REQUIRED
    if _not_all_living_here(plan, family_members):
        return FAMILY_MEMBER_NOT_IN_HOUSEHOLD
    return None


@dataclass(frozen=True)
class MeetingRecord:
    """What a meeting's form says: the kind, the date, the decisions, the re-scored scale, the next
    review, who came, and the status each reviewed action now has."""

    kind: str
    held_on: date | None
    decisions: str
    family_scale: int | None
    practitioner_scale: int | None
    next_review_on: date | None
    family_members: list[Person]
    agencies: list[Agency]
    practitioners: list[User]
    action_statuses: dict[int, str]


def _meeting_errors(plan: Plan, record: MeetingRecord) -> dict[str, str]:
    """Every field the meeting is missing or has wrong, by field."""
    errors = {}
    if record.kind not in MeetingKind.values:
        errors["kind"] = MEETING_KIND_REQUIRED
    errors |= _meeting_date_errors(kind=record.kind, held_on=record.held_on, next_review_on=record.next_review_on)
    if not record.decisions.strip():
        errors["decisions"] = DECISIONS_REQUIRED
    for name in ("family_scale", "practitioner_scale"):
        if error := _scale_error(getattr(record, name)):
            errors[name] = error
    if error := _attendance_error(plan, record.family_members, [*record.agencies, *record.practitioners]):
        errors["family_members"] = error
    in_plan = set(plan.actions.filter(pk__in=record.action_statuses).values_list("pk", flat=True))
    if set(record.action_statuses) - in_plan:
        errors[NON_FIELD_ERRORS] = ACTION_NOT_IN_PLAN
    return errors


def _meeting_attendees(meeting: Meeting, record: MeetingRecord) -> None:
    attendees = [MeetingAttendee(meeting=meeting, person=person) for person in record.family_members]
    attendees += [MeetingAttendee(meeting=meeting, agency=agency) for agency in record.agencies]
    attendees += [
        MeetingAttendee(meeting=meeting, agency=user.agency, practitioner=user)
        for user in record.practitioners
        if user.agency
    ]
    MeetingAttendee.objects.bulk_create(attendees)


def _meeting_summary(meeting: Meeting) -> str:
    review = f"; next review {meeting.next_review_on:%d %b %Y}" if meeting.next_review_on else ""
    return (
        f"{meeting.get_kind_display()} held: scale {meeting.family_scale}/10 (family), "
        f"{meeting.practitioner_scale}/10 (practitioners){review}"
    )


def _scheduled_for_record(plan: Plan, scheduled: ScheduledMeeting | None) -> str | None:
    if scheduled is None:
        return None
    if scheduled.plan_id != plan.pk:
        return SCHEDULED_NOT_IN_PLAN
    if scheduled.status != ScheduledMeetingStatus.SCHEDULED:
        return SCHEDULED_NOT_OPEN
    return None


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
    scheduled: ScheduledMeeting | None = None,
) -> Meeting:
    """Record a TAF meeting (or FGC, MARAC, review, closure meeting) of a plan that follows an approved
    assessment: who came, what was decided (the minutes), the actions updated and the scale re-scored;
    it sets the plan's next review (not for closure). Recorded from an arranged meeting, it is that
    meeting's record, and the arranged meeting is done."""
    _require_open(plan)
    _require_approved_assessment(plan.household)
    record = MeetingRecord(
        kind=kind,
        held_on=held_on,
        decisions=decisions,
        family_scale=family_scale,
        practitioner_scale=practitioner_scale,
        next_review_on=next_review_on,
        family_members=list(family_members),
        agencies=list(agencies),
        practitioners=list(practitioners),
        action_statuses=action_statuses or {},
    )
    errors = _meeting_errors(plan, record)
    if error := _scheduled_for_record(plan, scheduled):
        errors[NON_FIELD_ERRORS] = error
    # Each of these is missing only with an error already named against it.
    if errors or held_on is None or family_scale is None or practitioner_scale is None:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        plan=plan,
        kind=kind,
        held_on=held_on,
        decisions=decisions.strip(),
        family_scale=family_scale,
        practitioner_scale=practitioner_scale,
        next_review_on=next_review_on,
        step_prompt=meeting_step_prompt(previous_scale=_previous_family_scale(plan), new_scale=family_scale),
        recorded_by=actor,
    )
    _meeting_attendees(meeting, record)
    for action in plan.actions.filter(pk__in=record.action_statuses):
        if record.action_statuses[action.pk] != action.status:
            _change_status(actor=actor, action=action, status=record.action_statuses[action.pk], meeting=meeting)
    plan.next_review_on = next_review_on
    plan.save(update_fields=["next_review_on"])
    workflow.audit_change(
        actor=actor,
        record=meeting,
        action=Action.CREATE,
        household_id=plan.household_id,
        plan=str(plan.pk),
        kind=kind,
        scale=[family_scale, practitioner_scale],
        scheduled_meeting=scheduled.pk if scheduled is not None else None,
    )
    if scheduled is not None:
        scheduled.meeting = meeting
        scheduled.status = ScheduledMeetingStatus.RECORDED
        scheduled.save(update_fields=["meeting", "status", "updated_at"])
    _chronicle(actor, plan, "meeting", _meeting_summary(meeting), meeting)
    return meeting


@transaction.atomic
def taf_member_add(*, actor: User, plan: Plan, practitioner: User) -> Involvement:
    """Add a practitioner to the TAF; they can then open the family's record (access follows it)."""
    _require_open(plan)
    agency = practitioner.agency
    if agency is None:
        raise ValidationError({"practitioner": TAF_NO_AGENCY})
    if taf_members(plan).filter(practitioner=practitioner).exists():
        raise ValidationError({"practitioner": TAF_ALREADY_MEMBER})
    involvement = involvement_start(
        actor=actor, household=plan.household, role=InvolvementRole.TAF_MEMBER, agency=agency, practitioner=practitioner
    )
    _chronicle(actor, plan, "plan", f"{practitioner.display_name} ({agency.name}) joined the TAF", involvement)
    notifications_send(
        recipients=[practitioner],
        actor=actor,
        kind=NotificationKind.TAF_ADDED,
        text=f"You were added to the Team Around the Family of the {plan.household.name}.",
        link=plan_page(plan),
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
    # A TAF member is a practitioner; the database requires a practitioner or a team.
    who = (
        involvement.practitioner.display_name
        if involvement.practitioner is not None
        else getattr(involvement.team, "name", "")
    )
    _chronicle(actor, plan, "plan", f"{who} left the TAF", involvement)
    return involvement


# --- Arranging meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhenAndWhere:
    """When and where an arranged meeting is, as its form gives it: the day and start time in the
    service's time zone, the length, and a place or a link to join online (or both)."""

    meeting_day: date | None
    start_time: time | None
    duration_minutes: int | None
    place: str = ""
    online_link: str = ""

    def starts_at(self) -> datetime | None:
        if self.meeting_day is None or self.start_time is None:
            return None
        return timezone.make_aware(datetime.combine(self.meeting_day, self.start_time))


def _when_and_where_errors(arrangement: WhenAndWhere) -> dict[str, str]:
    errors = {}
    if arrangement.meeting_day is None:
        errors["meeting_day"] = MEETING_DAY_REQUIRED
    if arrangement.start_time is None:
        errors["start_time"] = START_TIME_REQUIRED
    starts_at = arrangement.starts_at()
    if starts_at is not None and starts_at <= timezone.now():
        errors["meeting_day"] = MEETING_NOT_IN_FUTURE
    elif arrangement.meeting_day is not None and arrangement.meeting_day > timezone.localdate() + timedelta(
        days=MEETING_DAYS_AHEAD_MAX
    ):
        errors["meeting_day"] = MEETING_TOO_FAR_AHEAD
    if arrangement.duration_minutes is None:
        errors["duration_minutes"] = DURATION_REQUIRED
    elif not MEETING_MINUTES_MIN <= arrangement.duration_minutes <= MEETING_MINUTES_MAX:
        errors["duration_minutes"] = DURATION_OUT_OF_BOUNDS
    place, link = arrangement.place.strip(), arrangement.online_link.strip()
    if not place and not link:
        errors["place"] = PLACE_REQUIRED
    elif len(place) > ScheduledMeeting._meta.get_field("place").max_length:  # type: ignore[operator]
        errors["place"] = PLACE_TOO_LONG
    if len(link) > ScheduledMeeting._meta.get_field("online_link").max_length:  # type: ignore[operator]
        errors["online_link"] = ONLINE_LINK_TOO_LONG
    elif link:
        try:
            URLValidator(schemes=["https"])(link)
        except ValidationError:
            errors["online_link"] = ONLINE_LINK_INVALID
    return errors


def _when(scheduled: ScheduledMeeting) -> str:
    return f"{timezone.localtime(scheduled.starts_at):%-d %B %Y at %H:%M}"


def _tell_invitees(scheduled: ScheduledMeeting, *, actor: User, kind: str, text: str, method: str) -> None:
    """Each practitioner invited, but the one who made the change: a notice in their inbox and, as they
    chose, an email with the calendar invitation. The notice names no family: the page does."""
    calendar = scheduled_meeting_ics(scheduled, method=method)
    link = scheduled_meeting_page(scheduled)
    for invitation in scheduled.invitations.filter(practitioner__isnull=False).select_related("practitioner"):
        practitioner = invitation.practitioner
        if practitioner is None or practitioner.pk == actor.pk:
            continue
        notification_send(
            recipient=practitioner,
            kind=kind,
            text=text,
            link=link,
            about=f"scheduled_meeting:{scheduled.pk}",
            ics=calendar,
        )


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    plan: Plan,
    kind: str,
    meeting_day: date | None,
    start_time: time | None,
    duration_minutes: int | None,
    place: str = "",
    online_link: str = "",
    practitioners: Iterable[User] = (),
    family_members: Iterable[Person] = (),
) -> ScheduledMeeting:
    """Arrange a meeting of an open plan in the future, for 15 minutes to 8 hours, somewhere or online,
    inviting practitioners working with the family (its lead professional and TAF members) and perhaps
    family members; each practitioner is sent the invitation."""
    _require_open(plan)
    practitioners, family_members = list(practitioners), list(family_members)
    arrangement = WhenAndWhere(meeting_day, start_time, duration_minutes, place, online_link)
    errors = _when_and_where_errors(arrangement)
    if kind not in MeetingKind.values:
        errors["kind"] = MEETING_KIND_REQUIRED
    if not practitioners:
        errors["practitioners"] = INVITEES_REQUIRED
    elif invitable_practitioners(plan).filter(pk__in=[user.pk for user in practitioners]).count() != len(
        {user.pk for user in practitioners}
    ):
        errors["practitioners"] = INVITEE_NOT_IN_TAF
    if _not_all_living_here(plan, family_members):
        errors["family_members"] = FAMILY_MEMBER_NOT_IN_HOUSEHOLD
    starts_at = arrangement.starts_at()
    if errors or starts_at is None or duration_minutes is None:
        raise ValidationError(errors)
    scheduled = ScheduledMeeting.objects.create(
        plan=plan,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        online_link=online_link.strip(),
        organiser=actor,
    )
    invited = {user.pk: user for user in practitioners}
    MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(scheduled_meeting=scheduled, practitioner=user) for user in invited.values()]
        + [
            MeetingInvitation(scheduled_meeting=scheduled, person=person)
            for person in {p.pk: p for p in family_members}.values()
        ]
    )
    workflow.audit_change(
        actor=actor,
        record=scheduled,
        action=Action.CREATE,
        household_id=plan.household_id,
        object_type="scheduled_meeting",
        plan=str(plan.pk),
        kind=kind,
        starts_at=starts_at.isoformat(),
        practitioners=sorted(invited),
        family_members=sorted(str(person.pk) for person in family_members),
    )
    _chronicle(actor, plan, "meeting", f"{scheduled.get_kind_display()} arranged for {_when(scheduled)}", scheduled)
    _tell_invitees(
        scheduled,
        actor=actor,
        kind=NotificationKind.MEETING_INVITATION,
        text=f"You are invited to a meeting on {_when(scheduled)}.",
        method=ics.REQUEST,
    )
    return scheduled


def _require_arranged(scheduled: ScheduledMeeting) -> None:
    if scheduled.status != ScheduledMeetingStatus.SCHEDULED:
        raise RefusedError(SCHEDULED_NOT_OPEN)


@transaction.atomic
def meeting_reschedule(
    *,
    actor: User,
    scheduled: ScheduledMeeting,
    meeting_day: date | None,
    start_time: time | None,
    duration_minutes: int | None,
    place: str = "",
    online_link: str = "",
) -> ScheduledMeeting:
    """Move an arranged meeting, or change where it is: the same checks as arranging it; a new time
    asks every invitee to answer again; each practitioner invited is sent the changed invitation."""
    scheduled = ScheduledMeeting.objects.select_for_update().select_related("plan__episode").get(pk=scheduled.pk)
    _require_open(scheduled.plan)
    _require_arranged(scheduled)
    arrangement = WhenAndWhere(meeting_day, start_time, duration_minutes, place, online_link)
    errors = _when_and_where_errors(arrangement)
    starts_at = arrangement.starts_at()
    if errors or starts_at is None or duration_minutes is None:
        raise ValidationError(errors)
    changes = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "place": place.strip(),
        "online_link": online_link.strip(),
    }
    changed = sorted(name for name, value in changes.items() if getattr(scheduled, name) != value)
    if not changed:
        raise ValidationError({NON_FIELD_ERRORS: [NOTHING_CHANGED]})
    for name, value in changes.items():
        setattr(scheduled, name, value)
    scheduled.sequence += 1
    scheduled.save()
    if {"starts_at", "duration_minutes"} & set(changed):
        scheduled.invitations.update(response=InvitationResponse.AWAITING, responded_at=None)
    _announce_change(
        actor,
        scheduled,
        chronicle=f"{scheduled.get_kind_display()} rearranged for {_when(scheduled)}",
        notice=f"A meeting you are invited to has changed: it is now on {_when(scheduled)}.",
        method=ics.REQUEST,
        fields=changed,
        starts_at=starts_at.isoformat(),
    )
    return scheduled


def _announce_change(
    actor: User, scheduled: ScheduledMeeting, *, chronicle: str, notice: str, method: str, **details: Any
) -> None:
    """The tail of every change to an arranged meeting: audited, on the chronology, and each
    practitioner invited sent the changed invitation (or the cancellation)."""
    workflow.audit_change(
        actor=actor,
        record=scheduled,
        household_id=scheduled.plan.household_id,
        object_type="scheduled_meeting",
        sequence=scheduled.sequence,
        **details,
    )
    _chronicle(actor, scheduled.plan, "meeting", chronicle, scheduled)
    _tell_invitees(scheduled, actor=actor, kind=NotificationKind.MEETING_CHANGED, text=notice, method=method)


@transaction.atomic
def meeting_cancel(*, actor: User, scheduled: ScheduledMeeting) -> ScheduledMeeting:
    """Call off an arranged meeting that has not been recorded; each practitioner invited is sent the
    cancellation, which takes it out of their calendar."""
    scheduled = ScheduledMeeting.objects.select_for_update().select_related("plan__episode").get(pk=scheduled.pk)
    _require_arranged(scheduled)
    scheduled.status = ScheduledMeetingStatus.CANCELLED
    scheduled.sequence += 1
    scheduled.save(update_fields=["status", "sequence", "updated_at"])
    _announce_change(
        actor,
        scheduled,
        chronicle=f"{scheduled.get_kind_display()} of {_when(scheduled)} cancelled",
        notice=f"The meeting on {_when(scheduled)} you were invited to has been cancelled.",
        method=ics.CANCEL,
        status=[ScheduledMeetingStatus.SCHEDULED, ScheduledMeetingStatus.CANCELLED],
    )
    return scheduled


@transaction.atomic
def meeting_invitation_respond(
    *, actor: User, scheduled: ScheduledMeeting, response: str, invitation_id: int | None = None
) -> MeetingInvitation:
    """Answer an invitation to an arranged meeting: accepted, declined or tentative. A practitioner
    answers their own; whoever may open the plan records a family member's answer for them."""
    _require_arranged(scheduled)
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED, InvitationResponse.TENTATIVE):
        raise ValidationError({"response": RESPONSE_UNKNOWN})
    invitations = MeetingInvitation.objects.select_for_update().filter(scheduled_meeting=scheduled)
    if invitation_id is None:
        invitation = invitations.filter(practitioner=actor).first()
        if invitation is None:
            raise RefusedError(NOT_INVITED)
    else:
        invitation = invitations.filter(pk=invitation_id).first()
        if invitation is None:
            raise ValidationError({"invitation": INVITATION_NOT_FOUND})
        if invitation.person_id is None and invitation.practitioner_id != actor.pk:
            raise RefusedError(INVITATION_NOT_FAMILY)
    previous = invitation.response
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    workflow.audit_change(
        actor=actor,
        record=invitation,
        household_id=scheduled.plan.household_id,
        object_type="meeting_invitation",
        scheduled_meeting=scheduled.pk,
        response=[previous, response],
    )
    return invitation
