"""Reads of consent: whether sharing a family's information with an agency is covered."""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Agency, User
from earlyhelp.families.models import Household, Involvement, MemberRole, Membership, Person
from earlyhelp.families.selectors import current_members

from .models import ConsentRecord, ShareStatus, SharingWithoutConsent

ADULT_ROLES = {MemberRole.PARENT, MemberRole.CARER, MemberRole.OTHER_ADULT}


class SharingBasis(StrEnum):
    CONSENT = "consent"
    LAWFUL_BASIS = "lawful basis confirmed by a manager"
    ALREADY_HELD = "the agency already works with the family"
    NOTHING_TO_SHARE = "no one is recorded in the household yet"
    NONE = "none"


@dataclass(frozen=True)
class SharingDecision:
    """Whether the family's information may go to the agency, on what basis, and who has not consented."""

    allowed: bool
    basis: SharingBasis
    consents: list[int] = field(default_factory=list)
    share_id: int | None = None
    without_consent: list[Person] = field(default_factory=list)


def _active_consents(person_ids: list, agency: Agency, purpose: str) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(
        person_id__in=person_ids, agencies=agency, purpose=purpose, withdrawn_on__isnull=True
    )


def consent_check_sharing(*, household: Household, agency: Agency, purpose: str) -> SharingDecision:
    """Sharing is covered when every current adult member consents for this agency and purpose (a
    competent young person's consent serves where no adult lives there), when a manager has
    confirmed a lawful basis for it, or when the agency already works with the family."""
    if Involvement.objects.filter(household=household, agency=agency, ended_on__isnull=True).exists():
        return SharingDecision(allowed=True, basis=SharingBasis.ALREADY_HELD)
    members = list(current_members(household))
    if not members:
        return SharingDecision(allowed=True, basis=SharingBasis.NOTHING_TO_SHARE)
    adults = [m.person for m in members if m.role in ADULT_ROLES]
    needed = adults or [m.person for m in members]
    consents = {c.person_id: c.id for c in _active_consents([p.id for p in needed], agency, purpose)}
    missing = [person for person in needed if person.id not in consents]
    if (adults and not missing) or (not adults and consents):
        return SharingDecision(allowed=True, basis=SharingBasis.CONSENT, consents=sorted(consents.values()))
    share = (
        SharingWithoutConsent.objects.filter(
            household=household, agency=agency, purpose=purpose, status=ShareStatus.CONFIRMED
        )
        .order_by("-decided_at")
        .first()
    )
    if share is not None:
        return SharingDecision(
            allowed=True, basis=SharingBasis.LAWFUL_BASIS, share_id=share.id, without_consent=missing
        )
    return SharingDecision(allowed=False, basis=SharingBasis.NONE, without_consent=missing)


def household_consents(household: Household) -> QuerySet[ConsentRecord]:
    """Consents of everyone who lives or lived in the household, active ones first."""
    people = Membership.objects.filter(household=household).values("person_id")
    return (
        ConsentRecord.objects.filter(person_id__in=people)
        .select_related("person", "recorded_by", "withdrawn_by")
        .prefetch_related("agencies")
        .order_by("withdrawn_on", "-given_on", "-id")
    )


def household_shares_without_consent(household: Household) -> QuerySet[SharingWithoutConsent]:
    """Every request to share this family's information without consent, newest first."""
    return household.shares_without_consent.select_related("agency", "requested_by", "decided_by")


def _households_of_managers_team(manager: User) -> QuerySet:
    """Households a current involvement of the manager's team, or of a member of it, touches."""
    if manager.team_id is None:
        return Household.objects.none()
    return (
        Involvement.objects.filter(ended_on__isnull=True)
        .filter(Q(team_id=manager.team_id) | Q(practitioner__team_id=manager.team_id))
        .values("household_id")
    )


def _decidable_by(manager: User) -> Q:
    # The requester's own line management, or the manager answerable for the family's case: a step
    # up asked for by a school's lead professional is approved by the manager of the team that works
    # with the family, and that approval is the decision to share with social care.
    return Q(requested_by__agency_id=manager.agency_id) | Q(household_id__in=_households_of_managers_team(manager))


def manager_may_decide(*, manager: User, share: SharingWithoutConsent) -> bool:
    """Whether this manager answers for the request; the service separately refuses their own request."""
    if not capabilities.can_decide_sharing(manager) or manager.agency_id is None:
        return False
    return SharingWithoutConsent.objects.filter(_decidable_by(manager), pk=share.pk).exists()


def shares_awaiting_manager(manager: User) -> QuerySet[SharingWithoutConsent]:
    """Requests a manager may confirm: asked by someone else in the manager's agency, or about a family
    the manager's team works with."""
    if not capabilities.can_decide_sharing(manager) or manager.agency_id is None:
        return SharingWithoutConsent.objects.none()
    return (
        SharingWithoutConsent.objects.filter(_decidable_by(manager), status=ShareStatus.AWAITING)
        .exclude(requested_by=manager)
        .select_related("household", "agency", "requested_by")
    )


def shares_without_consent_for_dpo() -> QuerySet[SharingWithoutConsent]:
    """Every share without consent, confirmed or not, for the data protection officer."""
    return SharingWithoutConsent.objects.select_related("household", "agency", "requested_by", "decided_by").order_by(
        "-requested_at", "-id"
    )
