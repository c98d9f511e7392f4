"""Consent over the REST API: a family's consent records, recording consent and its withdrawal,
with the same access rules, services and audit as the pages."""

from rest_framework import serializers

from earlyhelp.accounts.models import Agency
from earlyhelp.families.access import RecordNotFound
from earlyhelp.families.api import HouseholdApi
from earlyhelp.families.selectors import current_people
from earlyhelp.web.api import ListAddApi, RecordField, WriteApi, model_serializer, names_of

from . import selectors, services
from .models import ConsentRecord, SharingPurpose

ConsentSerializer = model_serializer(
    ConsentRecord,
    "id person agencies purpose given_on young_person_competent recorded_by recorded_at withdrawn_on withdrawn_by"
    " is_active",
    doc="A person's consent to share their information with the named agencies for one purpose, and its "
    "withdrawal if they withdrew it.",
    **names_of("recorded_by", "withdrawn_by"),
)


class ConsentCreateSerializer(serializers.Serializer):
    person = RecordField(among=lambda context: current_people(context["household"]), pk_field=serializers.UUIDField())
    agencies = RecordField(queryset=Agency.objects.all(), many=True)
    purpose = serializers.ChoiceField(choices=SharingPurpose.choices)
    given_on = serializers.DateField(required=False, allow_null=True, default=None)
    young_person_competent = serializers.BooleanField(default=False)


class WithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False, allow_null=True, default=None)


class ConsentsApi(HouseholdApi, ListAddApi):
    """Consent records of everyone who lives or lived in the household, active ones first; a POST
    records a current member's consent to share with the named agencies for one purpose."""

    shows = ConsentSerializer
    takes = ConsentCreateSerializer

    def read(self, request, record):
        return selectors.household_consents(record)

    def write(self, request, record, data):
        return services.consent_record(actor=request.user, **data)


class ConsentWithdrawalApi(HouseholdApi, WriteApi):
    """Record that a person withdrew a consent (today, unless `withdrawn_on` says when); a consent
    already withdrawn is a 409."""

    shows = ConsentSerializer
    takes = WithdrawSerializer

    def open(self, request, household_id, consent_id):
        household = super().open(request, household_id)
        consent = selectors.household_consents(household).filter(id=consent_id).first()
        if consent is None:
            raise RecordNotFound
        return consent

    def write(self, request, record, data):
        return services.consent_withdraw(actor=request.user, consent=record, **data)
