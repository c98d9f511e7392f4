"""The journey over the REST API, with the same access rules, services and audit as the pages."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Team, User
from earlyhelp.families.access import access_household_by_id
from earlyhelp.families.api import HouseholdApi, InvolvementSerializer
from earlyhelp.families.models import Household
from earlyhelp.web.api import JSON_TOO_DEEP as JSON_TOO_DEEP  # the message, where the journey's tests read it
from earlyhelp.web.api import (
    NOT_YOUR_PART,
    ApiView,
    ListAddApi,
    ReadApi,
    WriteApi,
    capability_permission,
    model_serializer,
    names_of,
    record_id,
)

from . import selectors, services
from .models import (
    ChronologyEntry,
    ClosureReason,
    Episode,
    HarmReason,
    LevelOfNeed,
    NeedIndicator,
    NeedOutcome,
    SocialCareOutcome,
    StepDown,
    StepUp,
    SupportRequest,
)

# Not found, refused and invalid become 404, 409 and 400 in earlyhelp.web.api.exception_handler.

Casework = capability_permission(capabilities.works_with_families, NOT_YOUR_PART)
Triage = capability_permission(capabilities.can_triage, NOT_YOUR_PART)
Leading = capability_permission(capabilities.can_lead, NOT_YOUR_PART)
ApprovingStepUps = capability_permission(capabilities.can_approve_step_up, NOT_YOUR_PART)
AnsweringStepUps = capability_permission(capabilities.can_answer_step_up, NOT_YOUR_PART)
SteppingDown = capability_permission(capabilities.can_step_down, NOT_YOUR_PART)
AcceptingStepDowns = capability_permission(capabilities.can_accept_step_down, NOT_YOUR_PART)


def _household(user: User, household_id) -> Household:
    return access_household_by_id(user, household_id, purpose="api")


# --- Serializers ------------------------------------------------------------------------------------------

SupportRequestSerializer = model_serializer(
    SupportRequest,
    "id reference source status household requester_name child_given_name child_family_name child_date_of_birth"
    " postcode concerns family_consents received_at triage_due_at triaged_at decision_note mash_reasons episode",
    doc="A request for support: who asked, about which child and family, the concerns, whether the family "
    "consents, when it is due to be triaged, and the triage decision (with the episode it opened).",
)


class SupportRequestCreateSerializer(serializers.Serializer):
    household = serializers.UUIDField(required=False, allow_null=True, default=None)
    child_given_name = serializers.CharField(max_length=100, allow_blank=True)
    child_family_name = serializers.CharField(max_length=100, allow_blank=True)
    child_date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    address_line_1 = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    postcode = serializers.CharField(max_length=8, required=False, default="", allow_blank=True)
    concerns = serializers.CharField(max_length=5000, allow_blank=True)
    family_consents = serializers.BooleanField(default=False)


class TriageSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["advice", "universal", "assessment", "mash"])
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    household = serializers.UUIDField(required=False, allow_null=True, default=None)
    lead = record_id(required=False, allow_null=True, default=None)
    mash_reasons = serializers.ListField(
        child=serializers.ChoiceField(choices=HarmReason.choices), required=False, default=list
    )
    to_team = record_id(required=False, allow_null=True, default=None)


EpisodeSerializer = model_serializer(
    Episode,
    "id household status opened_on closed_on",
    doc="An episode of early help for the family: open or closed, and when.",
)


LevelSerializer = model_serializer(
    LevelOfNeed,
    "id level suggested_level reason indicator_snapshot recorded_at episode",
    doc="A level of need recorded for the family: the level, the one its indicators suggested, the reason, "
    "and the indicators as they were.",
    name="LevelSerializer",
)


class LevelCreateSerializer(serializers.Serializer):
    indicators = serializers.ListField(child=record_id(), default=list)
    level = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


IndicatorSerializer = model_serializer(
    NeedIndicator,
    "id domain label weight minimum_level",
    doc="An indicator of need, by domain, with its weight and the least level of need it calls for.",
    name="IndicatorSerializer",
)


ChronologySerializer = model_serializer(
    ChronologyEntry,
    "id occurred_at kind summary person episode actor",
    doc="An entry of the family's chronology: when, what kind, what happened, about whom, and who recorded it.",
    name="ChronologySerializer",
    **names_of("actor"),
)


StepUpSerializer = model_serializer(
    StepUp,
    "id household episode support_request status reasons detail to_team requested_at decided_at manager_comment"
    " responded_at outcome offer response_note history",
    doc="A step up to social care: the reasons, the manager's decision, and social care's response.",
)


class StepUpCreateSerializer(serializers.Serializer):
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=HarmReason.choices), default=list)
    detail = serializers.CharField(allow_blank=True, max_length=5000)
    to_team = record_id(allow_null=True, default=None)


class StepUpDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "decline"])
    comment = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class StepUpResponseSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=[*SocialCareOutcome.values, "nfa"])
    offer = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


StepDownSerializer = model_serializer(
    StepDown,
    "id household status summary reason requested_at accept_by decision_note episode",
    doc="A step down from social care to early help: the summary, the reason, when it is to be accepted by, "
    "and the decision.",
)


class StepDownCreateSerializer(serializers.Serializer):
    summary = serializers.CharField(allow_blank=True, max_length=5000)
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class StepDownDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accept", "decline"])
    lead = record_id(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class NeedResultSerializer(serializers.Serializer):
    need_text = serializers.CharField(max_length=500)
    need_ref = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)
    outcome_area = serializers.CharField(max_length=40, required=False, default="", allow_blank=True)
    outcome = serializers.ChoiceField(choices=NeedOutcome.values)


class ClosureSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=ClosureReason.values)
    detail = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)
    need_results = NeedResultSerializer(many=True, required=False, default=list)


class JourneySerializer(serializers.Serializer):
    """The family's journey: its open episode and all its episodes, its current level of need, the
    services involved now, and its step ups and step downs."""

    household = serializers.UUIDField()
    active_episode = EpisodeSerializer(allow_null=True)
    episodes = EpisodeSerializer(many=True)
    level = LevelSerializer(allow_null=True)
    involvements = InvolvementSerializer(many=True)
    step_ups = StepUpSerializer(many=True)
    step_downs = StepDownSerializer(many=True)


def _one_or_none(queryset: QuerySet, pk):
    return queryset.filter(pk=pk).first() if pk is not None else None


# --- Views ------------------------------------------------------------------------------------------------


class ListApi(ReadApi):
    """A list for the caller's role, about no one record."""

    many = True

    def open(self, request, *args: Any, **kwargs: Any) -> None:
        return None


class RequestListApi(ListApi, ListAddApi):
    """Requests awaiting triage for the Early Help Team; a practitioner's own requests otherwise (the list
    audited as shown). A POST makes a request, perhaps for a family the caller may open."""

    permission_classes = [Casework]
    shows = SupportRequestSerializer
    takes = SupportRequestCreateSerializer

    def read(self, request, record):
        if capabilities.can_triage(request.user):
            found = selectors.requests_awaiting_triage()
        else:
            found = selectors.requests_made_by(request.user)
        return selectors.listed(request.user, purpose="api requests for support", requests=found[:200])["requests"]

    def write(self, request, record, data):
        household_id = data.pop("household")
        household = _household(request.user, household_id) if household_id else None
        return services.support_request_create(
            actor=request.user, details=services.RequestDetails(**data), household=household
        )


class RecordApi(ApiView):
    """An endpoint about the one record its URL names, opened by `opens`: a selector that asks the access
    choke point about the record's family, audits the read with the endpoint's purpose, and answers 404
    alike for a record that is missing and one that is not the caller's."""

    opens: Callable[..., Any]

    def open(self, request, *args: Any, **kwargs: Any) -> Any:
        (record_id,) = kwargs.values()
        return self.opens(request.user, record_id, purpose=self.purpose)


class RequestApi(RecordApi):
    """An endpoint about one request for support."""

    permission_classes = [Casework]
    shows = SupportRequestSerializer
    opens = staticmethod(selectors.access_request_by_id)


class RequestDetailApi(RequestApi, ReadApi):
    """One request for support."""

    purpose = "api"


class RequestTriageApi(RequestApi, WriteApi):
    """Triage a request: advice, universal services, an assessment, or the MASH with the reasons of harm."""

    permission_classes = [Triage]
    takes = TriageSerializer
    purpose = "api triage"

    def write(self, request, record, data):
        household = _household(request.user, data["household"]) if data["household"] else None
        return services.support_request_triage(
            actor=request.user,
            support_request=record,
            decision=data["decision"],
            note=data["note"],
            household=household,
            lead=_one_or_none(selectors.possible_leads(), data["lead"]),
            mash_reasons=data["mash_reasons"],
            to_team=_one_or_none(Team.objects.all(), data["to_team"]),
        )


class FamilyApi(HouseholdApi):
    """An endpoint about one family's journey."""

    permission_classes = [Casework]
    purpose = "api"


class JourneyApi(FamilyApi, ReadApi):
    """The family's journey: episodes, level of need, services involved, step ups and step downs."""

    shows = JourneySerializer

    def read(self, request, record):
        return {
            "household": record.id,
            "active_episode": selectors.active_episode(record),
            "episodes": selectors.household_episodes(record),
            "level": selectors.current_level(record),
            "involvements": selectors.involvement_panel(record).current,
            "step_ups": record.step_ups.all(),
            "step_downs": record.step_downs.all(),
        }


class ChronologyApi(FamilyApi, ReadApi):
    """The family's chronology in order; `kind` (repeatable) and `person` narrow it."""

    shows = ChronologySerializer
    many = True

    def read(self, request, record):
        person = request.query_params.get("person")
        filters = selectors.ChronologyFilter(
            kinds=tuple(request.query_params.getlist("kind")),
            person_id=selectors.uuid_or_none(person) if person else None,
        )
        return selectors.chronology(record, filters)


class LevelApi(FamilyApi, ListAddApi):
    """The family's levels of need as recorded; a POST records one, from the indicators seen."""

    shows = LevelSerializer
    takes = LevelCreateSerializer

    def read(self, request, record):
        return selectors.level_history(record)

    def write(self, request, record, data):
        return services.level_record(
            actor=request.user,
            household=record,
            indicator_ids=data["indicators"],
            level=data["level"],
            reason=data["reason"],
        )


class IndicatorApi(ListApi):
    """The indicators of need in use."""

    permission_classes = [Casework]
    shows = IndicatorSerializer

    def read(self, request, record):
        return selectors.active_indicators()


class EpisodeApi(RecordApi):
    """An endpoint about one episode, for its lead."""

    permission_classes = [Leading]
    opens = staticmethod(selectors.access_episode_by_id)


class StepUpCreateApi(EpisodeApi, WriteApi):
    """Ask for the episode to step up to social care: the reasons of harm and the detail."""

    shows = StepUpSerializer
    takes = StepUpCreateSerializer
    creates = True
    purpose = "api step up"

    def write(self, request, record, data):
        return services.step_up_request(
            actor=request.user,
            episode=record,
            reasons=data["reasons"],
            detail=data["detail"],
            to_team=_one_or_none(Team.objects.all(), data["to_team"]),
        )


class EpisodeCloseApi(EpisodeApi, WriteApi):
    """Close the episode: the reason, and the outcome for each need."""

    shows = EpisodeSerializer
    takes = ClosureSerializer
    purpose = "api closure"

    def write(self, request, record, data):
        services.episode_close(
            actor=request.user,
            episode=record,
            reason=data["reason"],
            detail=data["detail"],
            need_results=[services.NeedResult(**result) for result in data["need_results"]],
        )
        record.refresh_from_db()
        return record


class StepUpListApi(ListApi):
    """Step ups waiting on the user: to approve (manager), to answer (social care)."""

    permission_classes = [Casework]
    shows = StepUpSerializer

    def read(self, request, record):
        step_ups = selectors.step_ups_for(request.user)[:200]
        return selectors.listed(request.user, purpose="api step ups", step_ups=step_ups)["step_ups"]


class StepUpApi(RecordApi):
    """An endpoint about one step up."""

    shows = StepUpSerializer
    opens = staticmethod(selectors.access_step_up_by_id)


class StepUpDetailApi(StepUpApi, ReadApi):
    """One step up."""

    permission_classes = [Casework]
    purpose = "step up"


class StepUpDecideApi(StepUpApi, WriteApi):
    """Approve or decline a step up (a manager), with a comment."""

    permission_classes = [ApprovingStepUps]
    takes = StepUpDecisionSerializer
    purpose = "api decision"

    def write(self, request, record, data):
        return services.step_up_decide(
            actor=request.user, step_up=record, approve=data["decision"] == "approve", comment=data["comment"]
        )


class StepUpRespondApi(StepUpApi, WriteApi):
    """Social care's response to a step up: the outcome, or no further action, with any offer."""

    permission_classes = [AnsweringStepUps]
    takes = StepUpResponseSerializer
    purpose = "api response"

    def write(self, request, record, data):
        return services.step_up_respond(actor=request.user, step_up=record, **data)


class StepDownCreateApi(FamilyApi, WriteApi):
    """Ask for the family to step down from social care to early help."""

    permission_classes = [SteppingDown]
    shows = StepDownSerializer
    takes = StepDownCreateSerializer
    creates = True

    def write(self, request, record, data):
        return services.step_down_request(actor=request.user, household=record, **data)


class StepDownApi(RecordApi):
    """An endpoint about one step down."""

    shows = StepDownSerializer
    opens = staticmethod(selectors.access_step_down_by_id)


class StepDownDetailApi(StepDownApi, ReadApi):
    """One step down."""

    permission_classes = [Casework]
    purpose = "step down"


class StepDownDecideApi(StepDownApi, WriteApi):
    """Accept or decline a step down, naming the lead professional on accepting."""

    permission_classes = [AcceptingStepDowns]
    takes = StepDownDecisionSerializer
    purpose = "api decision"

    def write(self, request, record, data):
        return services.step_down_decide(
            actor=request.user,
            step_down=record,
            accept=data["decision"] == "accept",
            lead=_one_or_none(selectors.possible_leads(), data["lead"]),
            note=data["note"],
        )
