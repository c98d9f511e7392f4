"""Reads of the audit trail, for the data protection officer."""

from django.db.models import Q, QuerySet

from earlyhelp.families.models import Membership, Person

from .models import AuditEvent


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
