"""The family register over the REST API, with the same access rules and audit as the pages."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from earlyhelp.accounts import capabilities
from earlyhelp.web.api import NOT_YOUR_PART, ApiView, capability_permission

from . import selectors
from .access import access_household_by_id, access_person_by_id
from .models import Household, Involvement, Membership, Person

IsCaseworker = capability_permission(
    capabilities.works_with_families, "Your role does not work with families' records."
)


class HouseholdApi(ApiView):
    """An endpoint about one family's records, for the roles that work with families: the household is
    opened through the access choke point, which audits the read and answers 404 alike for a family
    that is missing and one that is not the caller's. The apps above the register build on it."""

    permission_classes = [capability_permission(capabilities.works_with_families, NOT_YOUR_PART)]

    def open(self, request, household_id, *args: Any, **kwargs: Any):
        """The household; an endpoint about a record of it opens the household first, then the record."""
        return access_household_by_id(request.user, household_id, purpose=self.purpose)

    def context(self, record):
        return {"household": record}


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "ethnicity",
            "nhs_number",
            "upn",
            "address_line_1",
            "address_line_2",
            "town",
            "postcode",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer()

    class Meta:
        model = Membership
        fields = ["id", "person", "role", "started_on", "ended_on"]


class InvolvementSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    practitioner = serializers.CharField(source="practitioner.display_name", allow_null=True, default=None)

    class Meta:
        model = Involvement
        fields = ["id", "role", "agency", "team", "practitioner", "started_on", "ended_on"]


class HouseholdSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    involvements = serializers.SerializerMethodField()

    class Meta:
        model = Household
        fields = ["id", "name", "address_line_1", "address_line_2", "town", "postcode", "members", "involvements"]

    @extend_schema(responses=MembershipSerializer(many=True))
    def get_members(self, household) -> list[dict]:
        # The stubs type .data as ReturnDict even with many=True, where DRF returns a ReturnList.
        return MembershipSerializer(selectors.household_members(household), many=True).data  # type: ignore[return-value]

    @extend_schema(responses=InvolvementSerializer(many=True))
    def get_involvements(self, household) -> list[dict]:
        # As get_members: a ReturnList at run time.
        return InvolvementSerializer(selectors.household_involvements(household), many=True).data  # type: ignore[return-value]


def _optional_text() -> serializers.CharField:
    # Blank is allowed: it is the default, and OpenAPI 3 refuses a default its own schema forbids.
    return serializers.CharField(required=False, default="", allow_blank=True)


class PersonQuerySerializer(serializers.Serializer):
    name = _optional_text()
    date_of_birth = serializers.DateField(required=False, default=None, allow_null=True)
    nhs_number = _optional_text()
    upn = _optional_text()
    postcode = _optional_text()


class KnownCheckSerializer(serializers.Serializer):
    given_name = _optional_text()
    family_name = _optional_text()
    date_of_birth = serializers.DateField(required=False, default=None, allow_null=True)
    nhs_number = _optional_text()


class KnownAnswerSerializer(serializers.Serializer):
    known = serializers.BooleanField()
    early_help_open = serializers.BooleanField()
    contacts = serializers.ListField(child=serializers.CharField())


class PersonSearchApi(APIView):
    permission_classes = [IsCaseworker]

    @extend_schema(parameters=[PersonQuerySerializer], responses=PersonSerializer(many=True))
    def get(self, request):
        params = PersonQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        people = selectors.person_search(user=request.user, query=selectors.PersonQuery(**params.validated_data))
        return Response(PersonSerializer(people, many=True).data)


class PersonDetailApi(APIView):
    permission_classes = [IsCaseworker]

    @extend_schema(responses=PersonSerializer)
    def get(self, request, person_id):
        person = access_person_by_id(request.user, person_id, purpose="api")
        return Response(PersonSerializer(person).data)


class HouseholdDetailApi(APIView):
    permission_classes = [IsCaseworker]

    @extend_schema(responses=HouseholdSerializer)
    def get(self, request, household_id):
        household = access_household_by_id(request.user, household_id, purpose="api")
        return Response(HouseholdSerializer(household).data)


class KnownCheckApi(APIView):
    permission_classes = [IsCaseworker]

    @extend_schema(request=KnownCheckSerializer, responses=KnownAnswerSerializer)
    def post(self, request):
        body = KnownCheckSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = selectors.person_known_check(user=request.user, **body.validated_data)
        return Response(KnownAnswerSerializer(answer).data, status=status.HTTP_200_OK)
