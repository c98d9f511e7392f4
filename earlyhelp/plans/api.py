"""The family plan over the REST API: plans, their outcomes and actions, and the meetings that
review them, with the same access rules, services and audit as the pages."""

from rest_framework import serializers

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.directory.models import Service
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.families.selectors import current_people
from earlyhelp.web.api import NOT_YOUR_PART, ApiView, ReadApi, RecordField, WriteApi, capability_permission, record_id

from . import selectors, services
from .models import ActionStatus, Meeting, MeetingAttendee, MeetingKind, Outcome, Plan, PlanAction

Casework = capability_permission(capabilities.works_with_families, NOT_YOUR_PART)


class OutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outcome
        fields = ["id", "description", "needs", "created_at"]


class PlanActionSerializer(serializers.ModelSerializer):
    practitioner = serializers.CharField(source="practitioner.display_name", allow_null=True, default=None)
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "outcome",
            "what",
            "practitioner",
            "family_member",
            "agency",
            "service",
            "due_on",
            "status",
            "created_at",
            "updated_at",
        ]


class AttendeeSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", allow_null=True, default=None)
    practitioner = serializers.CharField(source="practitioner.display_name", allow_null=True, default=None)

    class Meta:
        model = MeetingAttendee
        fields = ["person", "agency", "practitioner"]


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeSerializer(many=True)
    recorded_by = serializers.CharField(source="recorded_by.display_name")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "held_on",
            "decisions",
            "family_scale",
            "practitioner_scale",
            "next_review_on",
            "step_prompt",
            "attendees",
            "recorded_by",
            "created_at",
        ]


class PlanSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "household", "episode", "next_review_on", "created_at"]


class PlanSerializer(PlanSummarySerializer):
    outcomes = OutcomeSerializer(many=True)
    actions = PlanActionSerializer(many=True)
    meetings = MeetingSerializer(many=True)

    class Meta(PlanSummarySerializer.Meta):
        fields = [*PlanSummarySerializer.Meta.fields, "outcomes", "actions", "meetings"]


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


class PlanApi(ApiView):
    """An endpoint about one of the family's plans."""

    permission_classes = [Casework]

    def open(self, request, household_id, plan_id):
        household = access_household_by_id(request.user, household_id, purpose=self.purpose)
        return selectors.plan_of(household, plan_id)

    def context(self, record):
        return {"plan": record}


class PlansApi(ReadApi):
    """The family's plans, newest first, one per episode."""

    permission_classes = [Casework]
    shows = PlanSummarySerializer
    many = True
    found = "The family's plans."

    def open(self, request, household_id):
        return access_household_by_id(request.user, household_id, purpose="api family plans")

    def read(self, request, record):
        return selectors.household_plans(record)


class PlanDetailApi(PlanApi, ReadApi):
    """One plan: its outcomes (with the assessed needs they answer), its actions and its meetings."""

    shows = PlanSerializer
    found = "The plan."
    purpose = "api family plan"


class ActionsApi(PlanApi, ReadApi, WriteApi):
    """The plan's actions, by due date; a POST adds one: what, who (a practitioner, a family member or
    an agency) and by when, perhaps for one of the plan's outcomes or as a referral to a service."""

    shows = PlanActionSerializer
    takes = PlanActionCreateSerializer
    many = True
    creates = True
    found = "The plan's actions."
    done = "The action, added."
    purpose = "api plan actions"

    def read(self, request, record):
        return record.actions.all()

    def write(self, request, record, data):
        return services.plan_action_add(actor=request.user, plan=record, **data)


class ActionStatusApi(PlanApi, WriteApi):
    """Move an action on: not started, in progress, done or no longer needed, by the allowed steps (a
    refused step is a 409 with the reason)."""

    shows = PlanActionSerializer
    takes = ActionStatusSerializer
    done = "The action, with its new status."
    purpose = "api update action"

    def open(self, request, household_id, plan_id, action_id):
        action = super().open(request, household_id, plan_id).actions.filter(pk=action_id).first()
        if action is None:
            raise RecordNotFound
        return action

    def write(self, request, record, data):
        return services.plan_action_status_change(actor=request.user, action=record, status=data["status"])


class MeetingsApi(PlanApi, ReadApi, WriteApi):
    """The meetings that reviewed the plan, latest first; a POST records one: who came, what was
    decided, the scale re-scored, the next review, and the status each reviewed action now has."""

    shows = MeetingSerializer
    takes = MeetingCreateSerializer
    many = True
    creates = True
    found = "The plan's meetings."
    done = "The meeting, recorded."
    purpose = "api plan meetings"

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
