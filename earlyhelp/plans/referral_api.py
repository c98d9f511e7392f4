"""The provider's referrals over the REST API: the queue, one referral (the minimum of the family's
record) and the answers (accept, decline with a reason, complete), with the same rules, services and
audit as the pages. Only the editors of an organisation in the directory use them; another
organisation's referral is "not found"."""

from typing import Any

from rest_framework import serializers

from earlyhelp.accounts import capabilities
from earlyhelp.directory.access import edited_organization_ids
from earlyhelp.web.api import ApiView, ReadApi, WriteApi, capability_permission

from . import referral_selectors as selectors
from . import referral_services as services
from .models import PROVIDER_REFERRAL_STATUSES

NOT_A_PROVIDER = "Only the editors of a provider organisation in the directory see and answer its referrals."


def _provider(user) -> bool:
    return capabilities.can_see_referral_queue(user, edited_organization_ids(user))


class ReferralSerializer(serializers.Serializer):
    """A referral to one of the provider's services, as the provider is told of it: the family member's
    names and contact as the register holds them, why they were referred, who referred them, and the
    provider's answer. Nothing else of the family's record."""

    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=PROVIDER_REFERRAL_STATUSES)
    service = serializers.CharField()
    organization = serializers.CharField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    address = serializers.CharField()
    postcode = serializers.CharField()
    phone = serializers.CharField()
    reason = serializers.CharField()
    referred_by = serializers.CharField()
    referred_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class NoBodySerializer(serializers.Serializer):
    """Nothing: the path says what is done."""


class DeclineSerializer(serializers.Serializer):
    # A blank or over-long reason is refused by the service, in its own words.
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ProviderApi(ApiView):
    """An endpoint for a provider organisation's directory editors."""

    permission_classes = [capability_permission(_provider, NOT_A_PROVIDER)]


class ReferralQueueApi(ProviderApi, ReadApi):
    """The referrals sent to the caller's organisations, newest first (`?status=` one of new, opened,
    accepted, declined, completed); the read is audited."""

    shows = ReferralSerializer
    many = True

    def open(self, request, *args: Any, **kwargs: Any):
        status = request.query_params.get("status", "")
        status = status if status in PROVIDER_REFERRAL_STATUSES else ""
        return services.referral_queue_view(
            actor=request.user, referrals=selectors.provider_queue(request.user, status), status=status
        )

    def read(self, request, record):
        return [selectors.referral_details(referral) for referral in record]


class ReferralEndpoint(ProviderApi):
    """An endpoint about one referral sent to the caller's organisations; any other is not found."""

    shows = ReferralSerializer

    def open(self, request, referral_id, *args: Any, **kwargs: Any):
        return selectors.referral_for_provider(request.user, referral_id)

    def answer(self, found, *, many: bool = False, status: int = 200):
        return super().answer(selectors.referral_details(found), many=many, status=status)


class ReferralApi(ReferralEndpoint, ReadApi):
    """One referral; reading a new one marks it opened, and every read is audited."""

    def read(self, request, record):
        return services.referral_open(actor=request.user, referral=record)


class ReferralAcceptApi(ReferralEndpoint, WriteApi):
    """Accept a new or opened referral; the lead professional is told (a referral already answered is a 409)."""

    takes = NoBodySerializer

    def write(self, request, record, data):
        return services.referral_accept(actor=request.user, referral=record)


class ReferralDeclineApi(ReferralEndpoint, WriteApi):
    """Decline a new or opened referral, saying why (required); the lead professional is told the reason."""

    takes = DeclineSerializer

    def write(self, request, record, data):
        return services.referral_decline(actor=request.user, referral=record, reason=data["reason"])


class ReferralCompleteApi(ReferralEndpoint, WriteApi):
    """Mark an accepted referral completed; the lead professional is told."""

    takes = NoBodySerializer

    def write(self, request, record, data):
        return services.referral_complete(actor=request.user, referral=record)
