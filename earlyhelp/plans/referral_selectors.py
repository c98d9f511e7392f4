"""Reads of referrals to providers' services: the provider's queue and one referral as the provider sees
it (the minimum of the family's record: the person referred, how to reach them, and why). How
referrals came out, by service, is counted for the coverage report in `selectors.referrals_by_service`.

A provider reads a referral, never the family's record: these reads do not go through the family
access choke point. They are narrowed to the organisations the reader keeps listings for, a referral
of another organisation (or one still waiting for consent) is "not found" like a missing one, and
each read is audited by the services that call them (`referral_services.referral_open`,
`referral_queue_view`)."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.http import Http404

from earlyhelp.accounts.models import User
from earlyhelp.consent.models import SharingPurpose
from earlyhelp.consent.selectors import consent_check_sharing
from earlyhelp.directory.access import edited_organization_ids
from earlyhelp.families.models import MemberRole, Person

from .models import PROVIDER_REFERRAL_STATUSES, PlanAction, ServiceReferral

REFERRAL_NOT_FOUND = "No referral was found, or it was not sent to your organisation."
# Whom a referral names when its action names no family member: the family's first parent or carer.
CONTACT_ROLES = (MemberRole.PARENT, MemberRole.CARER, MemberRole.OTHER_ADULT)


def person_referred(action: PlanAction) -> Person | None:
    """The family member a referral names: the action's own, else the first current parent or carer."""
    if action.family_member is not None:
        return action.family_member
    membership = (
        action.plan.household.memberships.filter(ended_on__isnull=True, role__in=CONTACT_ROLES)
        .select_related("person")
        .order_by("started_on", "id")
        .first()
    )
    return membership.person if membership is not None else None


def sharing_covered(referral: ServiceReferral) -> bool:
    """Whether the family's information may go to the provider for a referral: the provider is a
    partnership agency (`Organization.agency`) and consent, a confirmed lawful basis or the agency's own
    involvement covers sharing with it (`consent.selectors.consent_check_sharing`)."""
    agency = referral.organization.agency
    if agency is None:
        return False
    household = referral.action.plan.household
    return consent_check_sharing(household=household, agency=agency, purpose=SharingPurpose.REFERRAL).allowed


def _provider_referrals(user: User) -> QuerySet[ServiceReferral]:
    """The referrals released to the organisations this person keeps listings for."""
    return ServiceReferral.objects.filter(
        organization_id__in=edited_organization_ids(user), status__in=PROVIDER_REFERRAL_STATUSES
    )


def provider_queue(user: User, status: str = "") -> list[ServiceReferral]:
    """The provider's queue: referrals released to the reader's organisations, newest first, of one
    status if given; with what `referral_details` reads of each (the page lists the person's names only)."""
    referrals = _provider_referrals(user).select_related(
        "service", "organization", "person", "action__plan__household", "referred_by__agency"
    )
    if status:
        referrals = referrals.filter(status=status)
    return list(referrals.order_by("-released_at", "id"))


def queue_counts(user: User) -> dict[str, int]:
    """How many of the provider's referrals are in each status."""
    counts = dict(_provider_referrals(user).values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in PROVIDER_REFERRAL_STATUSES}


def referral_for_provider(user: User, referral_id: uuid.UUID | str) -> ServiceReferral:
    """One referral released to the reader's organisations; "not found" alike for a missing referral,
    another organisation's and one still waiting for consent."""
    try:
        key = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
    except ValueError as error:
        raise Http404(REFERRAL_NOT_FOUND) from error
    referral = (
        _provider_referrals(user)
        .select_related(
            "service", "organization", "person", "action__plan__household", "referred_by__agency", "answered_by"
        )
        .filter(pk=key)
        .first()
    )
    if referral is None:
        raise Http404(REFERRAL_NOT_FOUND)
    return referral


@dataclass(frozen=True)
class ReferralDetails:
    """What a provider is told of a referral, and no more: the family member's names and contact as the
    register holds them, the reason (the action's words), the service, who referred and the answer."""

    id: uuid.UUID
    status: str
    status_label: str
    service: str
    organization: str
    given_name: str
    family_name: str
    address: str
    postcode: str
    phone: str
    reason: str
    referred_by: str
    referred_at: datetime | None
    decline_reason: str
    answered_at: datetime | None
    completed_at: datetime | None


def _address(person: Person | None, referral: ServiceReferral) -> tuple[str, str]:
    """The person's address, or their household's where the register holds none for the person."""
    household = referral.action.plan.household
    holder = person if person is not None and (person.address_line_1 or person.postcode) else household
    lines = [holder.address_line_1, holder.address_line_2, holder.town]
    return ", ".join(line for line in lines if line), holder.postcode


def referral_details(referral: ServiceReferral) -> ReferralDetails:
    """The provider's view of a referral (the minimum of the family's record)."""
    person = referral.person
    address, postcode = _address(person, referral)
    return ReferralDetails(
        id=referral.pk,
        status=referral.status,
        status_label=referral.get_status_display(),
        service=referral.service.name,
        organization=referral.organization.name,
        given_name=person.given_name if person is not None else "",
        family_name=person.family_name if person is not None else "",
        address=address,
        postcode=postcode,
        phone=person.phone if person is not None else "",
        reason=referral.action.what,
        referred_by=referral.referred_by.contact_line,
        referred_at=referral.released_at,
        decline_reason=referral.decline_reason,
        answered_at=referral.answered_at,
        completed_at=referral.completed_at,
    )
