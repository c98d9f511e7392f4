"""The journey over the REST API, with the same access rules, services and audit as the pages."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Team, User
from earlyhelp.families.access import access_household_by_id
from earlyhelp.families.api import InvolvementSerializer
from earlyhelp.families.models import Household
from earlyhelp.web.api import JSON_TOO_DEEP as JSON_TOO_DEEP  # the message, where the journey's tests read it
from earlyhelp.web.api import NOT_YOUR_PART, BoundedJSONParser, capability_permission, record_id

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


class JourneyApiView(APIView):
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]


def _household(user: User, household_id) -> Household:
    return access_household_by_id(user, household_id, purpose="api")


# --- Serializers ------------------------------------------------------------------------------------------


class SupportRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportRequest
        fields = [
            "id",
            "reference",
            "source",
            "status",
            "household",
            "requester_name",
            "child_given_name",
            "child_family_name",
            "child_date_of_birth",
            "postcode",
            "concerns",
            "family_consents",
            "received_at",
            "triage_due_at",
            "triaged_at",
            "decision_note",
            "mash_reasons",
            "episode",
        ]


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


class EpisodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Episode
        fields = ["id", "household", "status", "opened_on", "closed_on"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = LevelOfNeed
        fields = ["id", "level", "suggested_level", "reason", "indicator_snapshot", "recorded_at", "episode"]


class LevelCreateSerializer(serializers.Serializer):
    indicators = serializers.ListField(child=record_id(), default=list)
    level = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=5000)


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedIndicator
        fields = ["id", "domain", "label", "weight", "minimum_level"]


class ChronologySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", allow_null=True, default=None)

    class Meta:
        model = ChronologyEntry
        fields = ["id", "occurred_at", "kind", "summary", "person", "episode", "actor"]


class StepUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepUp
        fields = [
            "id",
            "household",
            "episode",
            "support_request",
            "status",
            "reasons",
            "detail",
            "to_team",
            "requested_at",
            "decided_at",
            "manager_comment",
            "responded_at",
            "outcome",
            "offer",
            "response_note",
            "history",
        ]


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


class StepDownSerializer(serializers.ModelSerializer):
    class Meta:
        model = StepDown
        fields = [
            "id",
            "household",
            "status",
            "summary",
            "reason",
            "requested_at",
            "accept_by",
            "decision_note",
            "episode",
        ]


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
    household = serializers.UUIDField()
    active_episode = EpisodeSerializer(allow_null=True)
    episodes = EpisodeSerializer(many=True)
    level = LevelSerializer(allow_null=True)
    involvements = InvolvementSerializer(many=True)
    step_ups = StepUpSerializer(many=True)
    step_downs = StepDownSerializer(many=True)


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


def _one_or_none(queryset: QuerySet, pk):
    return queryset.filter(pk=pk).first() if pk is not None else None


# --- Views ------------------------------------------------------------------------------------------------


class RequestListApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=SupportRequestSerializer(many=True))
    def get(self, request):
        """Requests awaiting triage for the Early Help Team; a practitioner's own requests otherwise."""
        if capabilities.can_triage(request.user):
            found = selectors.requests_awaiting_triage()
        else:
            found = selectors.requests_made_by(request.user)
        shown = selectors.listed(request.user, purpose="api requests for support", requests=found[:200])
        return Response(SupportRequestSerializer(shown["requests"], many=True).data)

    @extend_schema(request=SupportRequestCreateSerializer, responses={201: SupportRequestSerializer})
    def post(self, request):
        data = _body(SupportRequestCreateSerializer, request)
        household_id = data.pop("household")
        household = _household(request.user, household_id) if household_id else None
        made = services.support_request_create(
            actor=request.user,
            details=services.RequestDetails(**data),
            household=household,
        )
        return Response(SupportRequestSerializer(made).data, status=status.HTTP_201_CREATED)


class RequestDetailApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=SupportRequestSerializer)
    def get(self, request, request_id):
        found = selectors.access_request_by_id(request.user, request_id, purpose="api")
        return Response(SupportRequestSerializer(found).data)


class RequestTriageApi(JourneyApiView):
    permission_classes = [Triage]

    @extend_schema(request=TriageSerializer, responses=SupportRequestSerializer)
    def post(self, request, request_id):
        found = selectors.access_request_by_id(request.user, request_id, purpose="api triage")
        data = _body(TriageSerializer, request)
        household = _household(request.user, data["household"]) if data["household"] else None
        triaged = services.support_request_triage(
            actor=request.user,
            support_request=found,
            decision=data["decision"],
            note=data["note"],
            household=household,
            lead=_one_or_none(selectors.possible_leads(), data["lead"]),
            mash_reasons=data["mash_reasons"],
            to_team=_one_or_none(Team.objects.all(), data["to_team"]),
        )
        return Response(SupportRequestSerializer(triaged).data)


class JourneyApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=JourneySerializer)
    def get(self, request, household_id):
        household = _household(request.user, household_id)
        return Response(
            JourneySerializer(
                {
                    "household": household.id,
                    "active_episode": selectors.active_episode(household),
                    "episodes": selectors.household_episodes(household),
                    "level": selectors.current_level(household),
                    "involvements": selectors.involvement_panel(household).current,
                    "step_ups": household.step_ups.all(),
                    "step_downs": household.step_downs.all(),
                }
            ).data
        )


class ChronologyApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=ChronologySerializer(many=True))
    def get(self, request, household_id):
        """The family's chronology in order; `kind` (repeatable) and `person` narrow it."""
        household = _household(request.user, household_id)
        filters = selectors.ChronologyFilter(
            kinds=tuple(request.query_params.getlist("kind")),
            person_id=selectors.uuid_or_none(request.query_params.get("person"))
            if request.query_params.get("person")
            else None,
        )
        return Response(ChronologySerializer(selectors.chronology(household, filters), many=True).data)


class LevelApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=LevelSerializer(many=True))
    def get(self, request, household_id):
        household = _household(request.user, household_id)
        return Response(LevelSerializer(selectors.level_history(household), many=True).data)

    @extend_schema(request=LevelCreateSerializer, responses={201: LevelSerializer})
    def post(self, request, household_id):
        household = _household(request.user, household_id)
        data = _body(LevelCreateSerializer, request)
        record = services.level_record(
            actor=request.user,
            household=household,
            indicator_ids=data["indicators"],
            level=data["level"],
            reason=data["reason"],
        )
        return Response(LevelSerializer(record).data, status=status.HTTP_201_CREATED)


class IndicatorApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=IndicatorSerializer(many=True))
    def get(self, request):
        return Response(IndicatorSerializer(selectors.active_indicators(), many=True).data)


class StepUpCreateApi(JourneyApiView):
    permission_classes = [Leading]

    @extend_schema(request=StepUpCreateSerializer, responses={201: StepUpSerializer})
    def post(self, request, episode_id):
        episode = selectors.access_episode_by_id(request.user, episode_id, purpose="api step up")
        data = _body(StepUpCreateSerializer, request)
        step_up = services.step_up_request(
            actor=request.user,
            episode=episode,
            reasons=data["reasons"],
            detail=data["detail"],
            to_team=_one_or_none(Team.objects.all(), data["to_team"]),
        )
        return Response(StepUpSerializer(step_up).data, status=status.HTTP_201_CREATED)


class EpisodeCloseApi(JourneyApiView):
    permission_classes = [Leading]

    @extend_schema(request=ClosureSerializer, responses=EpisodeSerializer)
    def post(self, request, episode_id):
        episode = selectors.access_episode_by_id(request.user, episode_id, purpose="api closure")
        data = _body(ClosureSerializer, request)
        services.episode_close(
            actor=request.user,
            episode=episode,
            reason=data["reason"],
            detail=data["detail"],
            need_results=[services.NeedResult(**result) for result in data["need_results"]],
        )
        episode.refresh_from_db()
        return Response(EpisodeSerializer(episode).data)


class StepUpListApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=StepUpSerializer(many=True))
    def get(self, request):
        """Step ups waiting on the user: to approve (manager), to answer (social care)."""
        shown = selectors.listed(
            request.user, purpose="api step ups", step_ups=selectors.step_ups_for(request.user)[:200]
        )
        return Response(StepUpSerializer(shown["step_ups"], many=True).data)


class StepUpDetailApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=StepUpSerializer)
    def get(self, request, step_up_id):
        return Response(StepUpSerializer(selectors.access_step_up_by_id(request.user, step_up_id)).data)


class StepUpDecideApi(JourneyApiView):
    permission_classes = [ApprovingStepUps]

    @extend_schema(request=StepUpDecisionSerializer, responses=StepUpSerializer)
    def post(self, request, step_up_id):
        step_up = selectors.access_step_up_by_id(request.user, step_up_id, purpose="api decision")
        data = _body(StepUpDecisionSerializer, request)
        decided = services.step_up_decide(
            actor=request.user, step_up=step_up, approve=data["decision"] == "approve", comment=data["comment"]
        )
        return Response(StepUpSerializer(decided).data)


class StepUpRespondApi(JourneyApiView):
    permission_classes = [AnsweringStepUps]

    @extend_schema(request=StepUpResponseSerializer, responses=StepUpSerializer)
    def post(self, request, step_up_id):
        step_up = selectors.access_step_up_by_id(request.user, step_up_id, purpose="api response")
        data = _body(StepUpResponseSerializer, request)
        answered = services.step_up_respond(actor=request.user, step_up=step_up, **data)
        return Response(StepUpSerializer(answered).data)


class StepDownCreateApi(JourneyApiView):
    permission_classes = [SteppingDown]

    @extend_schema(request=StepDownCreateSerializer, responses={201: StepDownSerializer})
    def post(self, request, household_id):
        household = _household(request.user, household_id)
        data = _body(StepDownCreateSerializer, request)
        made = services.step_down_request(actor=request.user, household=household, **data)
        return Response(StepDownSerializer(made).data, status=status.HTTP_201_CREATED)


class StepDownDetailApi(JourneyApiView):
    permission_classes = [Casework]

    @extend_schema(responses=StepDownSerializer)
    def get(self, request, step_down_id):
        return Response(StepDownSerializer(selectors.access_step_down_by_id(request.user, step_down_id)).data)


class StepDownDecideApi(JourneyApiView):
    permission_classes = [AcceptingStepDowns]

    @extend_schema(request=StepDownDecisionSerializer, responses=StepDownSerializer)
    def post(self, request, step_down_id):
        step_down = selectors.access_step_down_by_id(request.user, step_down_id, purpose="api decision")
        data = _body(StepDownDecisionSerializer, request)
        decided = services.step_down_decide(
            actor=request.user,
            step_down=step_down,
            accept=data["decision"] == "accept",
            lead=_one_or_none(selectors.possible_leads(), data["lead"]),
            note=data["note"],
        )
        return Response(StepDownSerializer(decided).data)
