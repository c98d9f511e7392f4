"""The family plan over the REST API: plans, their outcomes and actions, and the meetings that
review them, with the same access rules, services and audit as the pages."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.directory.models import Service
from earlyhelp.families.access import RecordNotFound
from earlyhelp.families.api import HouseholdApi
from earlyhelp.families.selectors import current_people
from earlyhelp.web.api import (
    ERROR_RESPONSES,
    READ_ERRORS,
    ListAddApi,
    ReadApi,
    RecordField,
    WriteApi,
    model_serializer,
    names_of,
    record_id,
)

from . import selectors, services
from .models import (
    ActionStatus,
    InvitationResponse,
    Meeting,
    MeetingAttendee,
    MeetingInvitation,
    MeetingKind,
    Outcome,
    Plan,
    PlanAction,
    ScheduledMeeting,
)
from .views import ics_response

OutcomeSerializer = model_serializer(
    Outcome,
    "id description needs created_at",
    doc="What the family and the TAF want to be different, and the assessed needs it answers.",
)
PlanActionSerializer = model_serializer(
    PlanAction,
    "id outcome what practitioner family_member agency service due_on status created_at updated_at",
    doc="An action of the plan: what, who (a practitioner, a family member or an agency), by when, and how "
    "far it has got.",
    **names_of("practitioner", "agency"),
)
MeetingSerializer = model_serializer(
    Meeting,
    "id kind held_on decisions family_scale practitioner_scale next_review_on step_prompt attendees recorded_by"
    " created_at",
    doc="A meeting that reviewed the plan: who came, what was decided, and the scale re-scored.",
    **names_of("recorded_by"),
    attendees=model_serializer(
        MeetingAttendee,
        "person agency practitioner",
        doc="Someone at a meeting: a family member, or an agency and the practitioner who came for it.",
        **names_of("agency", "practitioner"),
    )(many=True),
)
ScheduledMeetingSerializer = model_serializer(
    ScheduledMeeting,
    "id uid kind starts_at ends_at duration_minutes place online_link organiser status sequence meeting invitations"
    " created_at updated_at",
    doc="A meeting arranged for the plan: when (starts_at, in UTC, and ends_at), where or online, who arranged "
    "it, whether it is arranged, cancelled or held and recorded (meeting: the record of it), how many times it "
    "changed (sequence, as in its calendar invitation), and each invitee's answer.",
    **names_of("organiser"),
    ends_at=serializers.DateTimeField(read_only=True),
    invitations=model_serializer(
        MeetingInvitation,
        "id practitioner person response responded_at",
        doc="One invitee, a practitioner or a family member, and their answer: awaiting, accepted, declined or "
        "tentative.",
        **names_of("practitioner"),
    )(many=True),
)
PLAN_FIELDS = "id household episode next_review_on created_at"
PlanSummarySerializer = model_serializer(
    Plan, PLAN_FIELDS, doc="A family plan of one episode, and when it is next reviewed.", name="PlanSummarySerializer"
)
PlanSerializer = model_serializer(
    Plan,
    f"{PLAN_FIELDS} outcomes actions meetings",
    doc="A family plan with its outcomes, its actions and the meetings that reviewed it.",
    outcomes=OutcomeSerializer(many=True),
    actions=PlanActionSerializer(many=True),
    meetings=MeetingSerializer(many=True),
)


def _member_field(**kwargs) -> RecordField:
    """Someone who lives in the plan's household now."""
    return RecordField(
        among=lambda context: current_people(context["plan"].household), pk_field=serializers.UUIDField(), **kwargs
    )


class PlanActionCreateSerializer(serializers.Serializer):
    # Who: a practitioner, a family member or an agency (at least one, the service says).
    what = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField(allow_null=True)
    outcome = RecordField(
        queryset=Outcome.objects.all(),
        among=lambda context: context["plan"].outcomes.all(),
        required=False,
        allow_null=True,
        default=None,
    )
    practitioner = RecordField(
        queryset=User.objects.filter(is_active=True, role__in=capabilities.casework_roles()),
        required=False,
        allow_null=True,
        default=None,
    )
    family_member = _member_field(required=False, allow_null=True, default=None)
    agency = RecordField(queryset=Agency.objects.all(), required=False, allow_null=True, default=None)
    service = RecordField(
        queryset=Service.objects.all(),
        pk_field=serializers.UUIDField(),
        required=False,
        allow_null=True,
        default=None,
    )


class ActionStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    # An over-long note is refused by the service, in its own words.
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewedActionSerializer(serializers.Serializer):
    action = record_id()
    status = serializers.ChoiceField(choices=ActionStatus.choices)


class MeetingCreateSerializer(serializers.Serializer):
    # Missing and out-of-range values are refused by the service, in its own words.
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField(allow_null=True)
    decisions = serializers.CharField(allow_blank=True)
    family_scale = serializers.IntegerField(allow_null=True)
    practitioner_scale = serializers.IntegerField(allow_null=True)
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)
    family_members = _member_field(many=True, required=False, default=list)
    agencies = RecordField(queryset=Agency.objects.all(), many=True, required=False, default=list)
    actions = ReviewedActionSerializer(many=True, required=False, default=list)


class ScheduleMeetingSerializer(serializers.Serializer):
    # Missing, past and out-of-bounds values and invitees outside the TAF are refused by the service,
    # in its own words.
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    meeting_day = serializers.DateField(allow_null=True, help_text="The day, in the service's time zone")
    start_time = serializers.TimeField(allow_null=True, help_text="The start, in the service's time zone (HH:MM)")
    duration_minutes = serializers.IntegerField(allow_null=True, help_text="From 15 to 480 minutes")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    online_link = serializers.CharField(required=False, allow_blank=True, default="")
    practitioners = RecordField(
        queryset=User.objects.filter(is_active=True, role__in=capabilities.casework_roles()),
        many=True,
        required=False,
        default=list,
        help_text="Practitioners working with the family (its lead professional and TAF members) to invite",
    )
    family_members = _member_field(many=True, required=False, default=list)


class InvitationAnswerSerializer(serializers.Serializer):
    response = serializers.ChoiceField(
        choices=[
            (InvitationResponse.ACCEPTED, "Accepted"),
            (InvitationResponse.DECLINED, "Declined"),
            (InvitationResponse.TENTATIVE, "Tentative"),
        ]
    )
    invitation = record_id(
        required=False,
        allow_null=True,
        default=None,
        help_text="A family member's invitation, to record their answer; without it, the caller's own",
    )


class PlanApi(HouseholdApi):
    """An endpoint about one of the family's plans."""

    def open(self, request, household_id, plan_id, *args: Any, **kwargs: Any):
        return selectors.plan_of(super().open(request, household_id), plan_id)

    def context(self, record):
        return {"plan": record}


class FamilyPlansApi(HouseholdApi, ReadApi):
    """The family's plans, newest first, one per episode."""

    shows = PlanSummarySerializer
    many = True

    def read(self, request, record):
        return selectors.household_plans(record)


class FamilyPlanApi(PlanApi, ReadApi):
    """One plan: its outcomes (with the assessed needs they answer), its actions and its meetings."""

    shows = PlanSerializer


class PlanActionsApi(PlanApi, ListAddApi):
    """The plan's actions, by due date; a POST adds one: what, who (a practitioner, a family member or
    an agency) and by when, perhaps for one of the plan's outcomes or as a referral to a service."""

    shows = PlanActionSerializer
    takes = PlanActionCreateSerializer

    def read(self, request, record):
        return record.actions.all()

    def write(self, request, record, data):
        return services.plan_action_add(actor=request.user, plan=record, **data)


class ActionStatusApi(PlanApi, WriteApi):
    """Move an action on: not started, in progress, done or no longer needed, by the allowed steps (a
    refused step is a 409 with the reason)."""

    shows = PlanActionSerializer
    takes = ActionStatusSerializer

    def open(self, request, household_id, plan_id, action_id):
        action = super().open(request, household_id, plan_id).actions.filter(pk=action_id).first()
        if action is None:
            raise RecordNotFound
        return action

    def write(self, request, record, data):
        return services.plan_action_status_change(
            actor=request.user, action=record, status=data["status"], note=data.get("note", "")
        )


class PlanMeetingsApi(PlanApi, ListAddApi):
    """The meetings that reviewed the plan, latest first; a POST records one: who came, what was
    decided, the scale re-scored, the next review, and the status each reviewed action now has."""

    shows = MeetingSerializer
    takes = MeetingCreateSerializer

    def read(self, request, record):
        return record.meetings.all()

    def write(self, request, record, data):
        reviewed = data.pop("actions")
        return services.meeting_record(
            actor=request.user,
            plan=record,
            action_statuses={item["action"]: item["status"] for item in reviewed},
            **data,
        )


class ScheduledMeetingsApi(PlanApi, ListAddApi):
    """The meetings arranged for the plan, soonest first, with each invitee's answer; a POST arranges one
    in the future (the day and start time in the service's time zone, 15 minutes to 8 hours, a place or a
    link to join online) and invites practitioners working with the family, each sent the calendar
    invitation."""

    shows = ScheduledMeetingSerializer
    takes = ScheduleMeetingSerializer

    def read(self, request, record):
        return selectors.scheduled_meetings(record)

    def write(self, request, record, data):
        return services.meeting_schedule(actor=request.user, plan=record, **data)


class ScheduledMeetingApi(PlanApi):
    """An endpoint about one meeting arranged for the plan."""

    def open(self, request, household_id, plan_id, scheduled_id):
        return selectors.scheduled_meeting_of(super().open(request, household_id, plan_id), scheduled_id)


class InvitationAnswerApi(ScheduledMeetingApi, WriteApi):
    """Answer an invitation to an arranged meeting: accepted, declined or tentative; the caller's own, or
    a family member's (by its invitation's id). Someone not invited, or a meeting cancelled or already
    recorded, is a 409 with the reason."""

    shows = ScheduledMeetingSerializer
    takes = InvitationAnswerSerializer

    def write(self, request, record, data):
        services.meeting_invitation_respond(
            actor=request.user, scheduled=record, response=data["response"], invitation_id=data["invitation"]
        )
        return selectors.scheduled_meeting_of(record.plan, record.pk)


class ScheduledMeetingCalendarApi(ScheduledMeetingApi):
    """The arranged meeting's calendar invitation (iCalendar, RFC 5545): METHOD:REQUEST, or CANCEL for a
    cancelled meeting; the same UID at every change, and its SEQUENCE."""

    @extend_schema(
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="The calendar invitation"),
            **{code: ERROR_RESPONSES[code] for code in READ_ERRORS},
        }
    )
    def get(self, request, household_id, plan_id, scheduled_id):
        return ics_response(selectors.scheduled_meeting_ics(self.open(request, household_id, plan_id, scheduled_id)))
