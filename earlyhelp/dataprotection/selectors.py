"""Reads for data protection: a record's break-glass history, a person's audit trail."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import BreakGlassGrant, Household, Membership, Person


def household_break_glass_history(household: Household) -> QuerySet[BreakGlassGrant]:
    """Every break-glass opening of this household's record, newest first."""
    return household.break_glass_grants.select_related("user__agency").order_by("-granted_at", "-id")


def break_glass_grants_recent(limit: int = 100) -> QuerySet[BreakGlassGrant]:
    """The latest break-glass openings across the register, for the data protection officer."""
    return BreakGlassGrant.objects.select_related("user__agency", "household").order_by("-granted_at", "-id")[:limit]


def break_glass_live_for(user) -> QuerySet[BreakGlassGrant]:
    """The user's own break-glass grants that still last, soonest to end first."""
    return (
        BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())
        .select_related("household")
        .order_by("expires_at", "id")
    )


def break_glass_is_active(grant: BreakGlassGrant) -> bool:
    return grant.expires_at > timezone.now()


def person_audit_trail(person: Person) -> QuerySet[AuditEvent]:
    """Every event about the person, or about a household they live or lived in, newest first."""
    households = Membership.objects.filter(person=person).values("household_id")
    return (
        AuditEvent.objects.filter(Q(person_id=person.id) | Q(household_id__in=households))
        # A refusal is about no record; has_key keeps events without an outcome, which a bare
        # exclude on the JSON key would drop (the comparison is NULL for them).
        .exclude(Q(details__has_key="outcome") & Q(details__outcome="refused"))
        .order_by("-at", "-id")
    )
