"""Consent over the REST API: a family's consent records, recording consent and its withdrawal,
with the same access rules, services and audit as the pages."""

from rest_framework import serializers

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency
from earlyhelp.families.access import RecordNotFound, access_household_by_id
from earlyhelp.families.selectors import current_people
from earlyhelp.web.api import NOT_YOUR_PART, ReadApi, RecordField, WriteApi, capability_permission

from . import selectors, services
from .models import ConsentRecord, SharingPurpose

Casework = capability_permission(capabilities.works_with_families, NOT_YOUR_PART)


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.display_name")
    withdrawn_by = serializers.CharField(source="withdrawn_by.display_name", allow_null=True, default=None)

    class Meta:
        model = ConsentRecord
        fields = [
            "id",
            "person",
            "agencies",
            "purpose",
            "given_on",
            "young_person_competent",
            "recorded_by",
            "recorded_at",
            "withdrawn_on",
            "withdrawn_by",
            "is_active",
        ]


class ConsentCreateSerializer(serializers.Serializer):
    person = RecordField(among=lambda context: current_people(context["household"]), pk_field=serializers.UUIDField())
    agencies = RecordField(queryset=Agency.objects.all(), many=True)
    purpose = serializers.ChoiceField(choices=SharingPurpose.choices)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    young_person_competent = serializers.BooleanField(default=False)


class WithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsentsApi(ReadApi, WriteApi):
    """Consent records of everyone who lives or lived in the household, active ones first; a POST
    records a current member's consent to share with the named agencies for one purpose."""

    permission_classes = [Casework]
    shows = ConsentSerializer
    takes = ConsentCreateSerializer
    many = True
    creates = True
    found = "The family's consent records."
    done = "The consent, recorded."

    def open(self, request, household_id):
        return access_household_by_id(request.user, household_id, purpose="api consent")

    def read(self, request, record):
        return selectors.household_consents(record)

    def context(self, record):
        return {"household": record}

    def write(self, request, record, data):
        return services.consent_record(actor=request.user, **data)


class ConsentWithdrawApi(WriteApi):
    """Record that a person withdrew a consent (today, unless `withdrawn_on` says when)."""

    permission_classes = [Casework]
    shows = ConsentSerializer
    takes = WithdrawSerializer
    done = "The consent, now withdrawn."

    def open(self, request, household_id, consent_id):
        household = access_household_by_id(request.user, household_id, purpose="api withdraw consent")
        consent = selectors.household_consents(household).filter(id=consent_id).first()
        if consent is None:
            raise RecordNotFound
        return consent

    def write(self, request, record, data):
        return services.consent_withdraw(actor=request.user, consent=record, **data)
