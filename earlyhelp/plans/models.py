"""The family plan of an episode: outcomes linked to assessed needs, actions (what, who, by when),
and the Team Around the Family meetings that review it."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Agency
from earlyhelp.assessments.models import Need
from earlyhelp.families.models import Household, Person
from earlyhelp.journey.models import Episode


def _scale_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__gte": 0, f"{field}__lte": 10})


class Plan(models.Model):
    """One plan per episode of early help, run by the lead professional with the TAF."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="plan")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="plans")
    next_review_on = models.DateField("Next review", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["next_review_on"])]

    def __str__(self) -> str:
        return f"Plan for {self.household}"


class Outcome(models.Model):
    """What the family and the TAF want to be different, answering one or more assessed needs."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    description = models.TextField()
    needs = models.ManyToManyField(Need, blank=True, related_name="plan_outcomes")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "No longer needed"


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class PlanAction(models.Model):
    """Who does what by when: a practitioner, a family member or an agency."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    what = models.TextField("What will be done")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    family_member = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions")
    # A referral to a service in the directory (a single-service intervention), so the partnership
    # can count which services families were referred to and what came of each referral.
    service = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    due_on = models.DateField("By when")
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="plan_action_status_known"),
            models.CheckConstraint(
                condition=models.Q(practitioner__isnull=False)
                | models.Q(family_member__isnull=False)
                | models.Q(agency__isnull=False),
                name="plan_action_has_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def who(self) -> str:
        parts = []
        if self.practitioner is not None:
            parts.append(self.practitioner.display_name)
        if self.family_member is not None:
            parts.append(self.family_member.full_name)
        if self.agency is not None:
            parts.append(self.agency.name)
        return ", ".join(parts)


class MeetingKind(models.TextChoices):
    TAF = "taf", "Team Around the Family meeting"
    FGC = "fgc", "Family Group Conference"
    MARAC = "marac", "Multi-Agency Risk Assessment Conference (MARAC)"
    CLOSURE = "closure", "Closure meeting"
    REVIEW = "review", "Review meeting"


class Meeting(models.Model):
    """A meeting that reviews the plan: who came, what was decided, and the scale re-scored."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=8, choices=MeetingKind.choices)
    held_on = models.DateField()
    decisions = models.TextField()
    family_scale = models.PositiveSmallIntegerField("Scale scored by the family")
    practitioner_scale = models.PositiveSmallIntegerField("Scale scored by the practitioners")
    next_review_on = models.DateField("Next review", null=True, blank=True)
    # The advice the re-scoring gave the lead professional (journey.rules.step_prompt), if any.
    step_prompt = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=MeetingKind.values), name="meeting_kind_known"),
            models.CheckConstraint(condition=_scale_in_range("family_scale"), name="meeting_family_scale_0_10"),
            models.CheckConstraint(
                condition=_scale_in_range("practitioner_scale"), name="meeting_practitioner_scale_0_10"
            ),
            models.CheckConstraint(
                condition=models.Q(next_review_on__isnull=True) | models.Q(next_review_on__gt=models.F("held_on")),
                name="meeting_review_after_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"


class MeetingAttendee(models.Model):
    """Someone at a meeting: a family member, or an agency (and the practitioner who came for it)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(agency__isnull=False),
                name="meeting_attendee_is_someone",
            ),
        ]

    def __str__(self) -> str:
        # The database requires a family member or an agency, so one of the two is always there.
        return str(self.person or self.agency)


class ScheduledMeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Arranged"
    CANCELLED = "cancelled", "Cancelled"
    RECORDED = "recorded", "Held and recorded"


# How long a meeting may be arranged for, in minutes: a quarter of an hour to a working day.
MEETING_MINUTES_MIN = 15
MEETING_MINUTES_MAX = 480


class ScheduledMeeting(models.Model):
    """A meeting arranged ahead for a plan: when (in the service's time zone), for how long, where or
    online, and who is invited; once held, the meeting recorded from it. `uid` names it in calendars
    for good, and `sequence` counts its changes, so a calendar replaces the old invitation."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="scheduled_meetings")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=MeetingKind.choices)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField("Duration (minutes)")
    place = models.CharField("Where", max_length=200, blank=True)
    online_link = models.URLField("Online meeting link", max_length=500, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ScheduledMeetingStatus.choices, default="scheduled")
    sequence = models.PositiveIntegerField(default=0)
    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="scheduled_meeting"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan", "starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=MeetingKind.values), name="scheduled_meeting_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ScheduledMeetingStatus.values), name="scheduled_meeting_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=MEETING_MINUTES_MIN)
                & models.Q(duration_minutes__lte=MEETING_MINUTES_MAX),
                name="scheduled_meeting_duration_bounds",
            ),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(online_link=""), name="scheduled_meeting_has_place"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="recorded") | models.Q(meeting__isnull=False),
                name="scheduled_meeting_recorded_has_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class InvitationResponse(models.TextChoices):
    AWAITING = "awaiting", "Not answered yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    TENTATIVE = "tentative", "Tentative"


class MeetingInvitation(models.Model):
    """One invitee of an arranged meeting, a practitioner in the TAF or a family member, and their answer."""

    scheduled_meeting = models.ForeignKey(ScheduledMeeting, on_delete=models.CASCADE, related_name="invitations")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="meeting_invitations"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    response = models.CharField(max_length=10, choices=InvitationResponse.choices, default="awaiting")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["scheduled_meeting", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practitioner__isnull=False, person__isnull=True)
                | models.Q(practitioner__isnull=True, person__isnull=False),
                name="meeting_invitation_one_invitee",
            ),
            models.CheckConstraint(
                condition=models.Q(response__in=InvitationResponse.values), name="meeting_invitation_response_known"
            ),
            models.UniqueConstraint(
                fields=["scheduled_meeting", "practitioner"],
                condition=models.Q(practitioner__isnull=False),
                name="meeting_invitation_practitioner_once",
            ),
            models.UniqueConstraint(
                fields=["scheduled_meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="meeting_invitation_person_once",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.response})"

    @property
    def who(self) -> str:
        if self.practitioner is not None:
            agency = f", {self.practitioner.agency.name}" if self.practitioner.agency is not None else ""
            return f"{self.practitioner.display_name}{agency}"
        return self.person.full_name if self.person is not None else ""


class ActionStatusChange(models.Model):
    """An action's status history: from what, to what, when, by whom, and at which meeting."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ActionStatus.choices)
    to_status = models.CharField(max_length=12, choices=ActionStatus.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="action_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    # What the person who moved it says about it (a TAF member's update on their own agency's action).
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["action", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")), name="action_change_changes"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class ReferralStatus(models.TextChoices):
    AWAITING_CONSENT = "awaiting_consent", "Waiting for the family's consent"
    NEW = "new", "New"
    OPENED = "opened", "Opened"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn: no longer needed"


# What the provider has not yet answered, and what it has.
WAITING_REFERRAL_STATUSES = (ReferralStatus.AWAITING_CONSENT, ReferralStatus.NEW, ReferralStatus.OPENED)
PROVIDER_REFERRAL_STATUSES = (
    ReferralStatus.NEW,
    ReferralStatus.OPENED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.COMPLETED,
)


class ServiceReferral(models.Model):
    """A plan action that refers the family to a directory service, as the provider organisation sees
    and answers it. It is held until sharing the family's information with the provider is covered
    (consent, or a confirmed lawful basis), then released into the provider's queue; the provider
    opens it, accepts or declines it (with a reason), and completes an accepted one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.OneToOneField(PlanAction, on_delete=models.PROTECT, related_name="referral")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="referrals")
    # The provider it was sent to, fixed when it was made: whose queue it is in.
    organization = models.ForeignKey("directory.Organization", on_delete=models.PROTECT, related_name="referrals")
    # The family member referred: the action's family member, else the family's first parent or carer.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.AWAITING_CONSENT)
    decline_reason = models.TextField(blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ReferralStatus.values), name="service_referral_status_known"
            ),
            models.CheckConstraint(
                condition=(models.Q(status=ReferralStatus.DECLINED) & ~models.Q(decline_reason=""))
                | (~models.Q(status=ReferralStatus.DECLINED) & models.Q(decline_reason="")),
                name="service_referral_declined_with_reason",
            ),
            models.CheckConstraint(
                # A withdrawn referral may never have been released (withdrawn while it waited for consent).
                condition=models.Q(status=ReferralStatus.AWAITING_CONSENT, released_at__isnull=True)
                | models.Q(status=ReferralStatus.WITHDRAWN)
                | (~models.Q(status=ReferralStatus.AWAITING_CONSENT) & models.Q(released_at__isnull=False)),
                name="service_referral_released_unless_awaiting",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.get_status_display()})"
