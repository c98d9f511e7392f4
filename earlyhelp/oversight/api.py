"""Management oversight over the REST API: the team caseload (a manager's own team), a family's
supervision records, changing its lead professional and transferring its episode, with the same
access rules, services and audit as the pages."""

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Team, User
from earlyhelp.families.api import HouseholdApi
from earlyhelp.web.api import (
    NOT_YOUR_PART,
    ListAddApi,
    ReadApi,
    RecordField,
    WriteApi,
    capability_permission,
    model_serializer,
    names_of,
)

from . import selectors, services
from .models import EpisodeTransfer, FamilyTold, Handover, Supervision, SupervisionAction

# --- The team caseload ----------------------------------------------------------------------------------


class FamilyLoadSerializer(serializers.Serializer):
    """One family a worker leads: its level of need, days open, next review, days since anything was
    recorded, and why its episode counts as drift (empty where it does not)."""

    household = serializers.UUIDField(source="household.id")
    name = serializers.CharField(source="household.name")
    level = serializers.IntegerField(allow_null=True)
    days_open = serializers.IntegerField()
    next_review_on = serializers.DateField(source="review_on", allow_null=True)
    review_overdue = serializers.BooleanField()
    days_since_recorded = serializers.IntegerField(allow_null=True)
    drift_reasons = serializers.ListField(child=serializers.CharField())


class WorkerLoadSerializer(serializers.Serializer):
    """One worker of the team: the families they lead, by level of need, and their overdue work."""

    worker = serializers.IntegerField(source="worker.pk")
    name = serializers.CharField(source="worker.display_name")
    by_level = serializers.DictField(child=serializers.IntegerField())
    overdue_reviews = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    families = FamilyLoadSerializer(many=True)


class TeamCaseloadSerializer(serializers.Serializer):
    """The caseload of the team the caller manages, and the drift thresholds it was judged by."""

    drift_days = serializers.IntegerField()
    drift_reviews = serializers.IntegerField()
    workers = WorkerLoadSerializer(many=True)


class TeamCaseloadApi(ReadApi):
    """The caseload of the team the caller manages (audited as a list naming every family shown)."""

    permission_classes = [capability_permission(capabilities.can_see_team_caseload, NOT_YOUR_PART)]
    shows = TeamCaseloadSerializer

    def open(self, request, *args: Any, **kwargs: Any):
        return selectors.team_caseload(request.user)


# --- Supervision ----------------------------------------------------------------------------------------

SupervisionSerializer = model_serializer(
    Supervision,
    "id household episode held_on supervisor reflection decisions actions recorded_at",
    doc="A supervision discussion about the family: the reflection, the decisions, and who does what by when.",
    **names_of("supervisor"),
    actions=model_serializer(
        SupervisionAction,
        "what owner due_on",
        doc="An action agreed in supervision: what, who, and by when.",
        **names_of("owner"),
    )(many=True),
)


class SupervisionActionInputSerializer(serializers.Serializer):
    # Missing parts are refused by the service, in its own words.
    what = serializers.CharField(allow_blank=True)
    owner = RecordField(
        queryset=User.objects.filter(is_active=True, role__in=capabilities.casework_roles()), allow_null=True
    )
    due_on = serializers.DateField(allow_null=True)


class SupervisionCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField(allow_null=True)
    reflection = serializers.CharField(allow_blank=True)
    decisions = serializers.CharField(allow_blank=True)
    actions = SupervisionActionInputSerializer(many=True, required=False, default=list)


class SupervisionApi(HouseholdApi, ListAddApi):
    """The family's supervision records, newest first, for everyone who may open the family; a POST records
    one (a team manager or the Early Help Team): the date, the reflection, the decisions and up to three
    actions."""

    shows = SupervisionSerializer
    takes = SupervisionCreateSerializer

    def open(self, request, household_id, *args: Any, **kwargs: Any):
        household = super().open(request, household_id)
        if request.method == "POST" and not capabilities.can_record_supervision(request.user):
            raise PermissionDenied(NOT_YOUR_PART)
        return household

    def read(self, request, record):
        return selectors.supervisions(record)

    def write(self, request, record, data):
        return services.supervision_record(actor=request.user, household=record, **data)


# --- Changing the lead, transferring the episode --------------------------------------------------------

HandoverSerializer = model_serializer(
    Handover,
    "id household episode from_lead to_lead note family_told family_told_on family_not_told_reason recorded_by"
    " recorded_at",
    doc="A change of lead professional: from whom, to whom, the handover note, and how and when the family "
    "was told (or why not yet).",
    **names_of("from_lead", "to_lead", "recorded_by"),
)


def _lead_choice(**kwargs) -> RecordField:
    return RecordField(queryset=User.objects.filter(is_active=True, role__in=capabilities.named_lead_roles()), **kwargs)


class LeadChangeSerializer(serializers.Serializer):
    new_lead = _lead_choice(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    family_told = serializers.ChoiceField(choices=FamilyTold.choices, allow_blank=True)
    family_told_on = serializers.DateField(required=False, allow_null=True, default=None)
    family_not_told_reason = serializers.CharField(required=False, allow_blank=True, default="")


class LeadChangeApi(HouseholdApi, WriteApi):
    """Hand the family to a new lead professional (a team manager or the Early Help Team): the old and new
    leads and the Team Around the Family are told; the family's own hearing of it is recorded."""

    permission_classes = [capability_permission(capabilities.can_change_lead, NOT_YOUR_PART)]
    shows = HandoverSerializer
    takes = LeadChangeSerializer
    creates = True

    def write(self, request, record, data):
        return services.lead_change(actor=request.user, household=record, **data)


EpisodeTransferSerializer = model_serializer(
    EpisodeTransfer,
    "id household episode from_team to_team reason from_lead to_lead recorded_by recorded_at",
    doc="An episode moved from one team to another, with the reason, and who leads the family afterwards "
    "(none: the receiving team chooses).",
    **names_of("from_lead", "to_lead", "recorded_by"),
    from_team=serializers.CharField(source="from_team.name"),
    to_team=serializers.CharField(source="to_team.name"),
)


class TransferSerializer(serializers.Serializer):
    to_team = RecordField(queryset=Team.objects.all(), allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    new_lead = _lead_choice(required=False, allow_null=True, default=None)


class EpisodeTransferApi(HouseholdApi, WriteApi):
    """Transfer the family's open episode to another team (a manager of the team holding it): the receiving
    team's managers are told; the lead stays if in that team, else hands over to `new_lead` or is cleared."""

    permission_classes = [capability_permission(capabilities.can_transfer_episode, NOT_YOUR_PART)]
    shows = EpisodeTransferSerializer
    takes = TransferSerializer
    creates = True

    def write(self, request, record, data):
        return services.episode_transfer(actor=request.user, household=record, **data)
