"""Reads for data protection: a record's break-glass history, a person's audit trail, alerts as shown."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent.selectors import shares_awaiting_manager
from earlyhelp.families.access import visible_households
from earlyhelp.families.models import BreakGlassGrant, Household, Membership, Person
from earlyhelp.notifications.models import Alert, AlertKind
from earlyhelp.notifications.selectors import alerts_unread


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
    """Every event about the person, or about a household they live or lived in, newest first; with
    the work lists their household appeared in (a list's event names the households it showed)."""
    households = Membership.objects.filter(person=person).values("household_id")
    about = Q(person_id=person.id) | Q(household_id__in=households)
    for household_id in households.values_list("household_id", flat=True).distinct():
        # A household's id is a UUID, which no other id contains, so a match in the text is exact.
        about |= Q(object_type="list", details__households__icontains=str(household_id))
    return (
        AuditEvent.objects.filter(about)
        # A refusal is about no record; has_key keeps events without an outcome, which a bare
        # exclude on the JSON key would drop (the comparison is NULL for them).
        .exclude(Q(details__has_key="outcome") & Q(details__outcome="refused"))
        .order_by("-at", "-id")
    )


DECIDE = "Confirm or decline it"
OPEN_RECORD = "Open the family's record"
SEE_OVERVIEW = "See the data protection overview"


@dataclass(frozen=True)
class ShownAlert:
    """An alert as its recipient sees it: the family named, and a link to act, only where they may see it."""

    alert: Alert
    family: str = ""
    link: str = ""
    action: str = ""


def alerts_shown(user, limit: int = 20) -> list[ShownAlert]:
    """The user's unread alerts, each naming its family and linking to where to act on it: the decision
    for a manager asked to share, the record for someone who may open it, the data protection pages
    (which list every family's break-glass openings and shares) for the officer. The alert's stored
    message names no family, so one reaching someone who may not see the family reveals nothing."""
    alerts = list(alerts_unread(user)[:limit])
    ids = {alert.household_id for alert in alerts if alert.household_id}
    if capabilities.is_data_protection_officer(user):
        named = Household.objects.filter(id__in=ids).in_bulk()
        overview = reverse("dataprotection:overview")
        return [_shown(alert, named.get(alert.household_id), overview, SEE_OVERVIEW) for alert in alerts]
    visible = visible_households(user).filter(id__in=ids).in_bulk()
    decisions: dict = {}
    for pending in shares_awaiting_manager(user).filter(household_id__in=ids).order_by("-requested_at", "-id"):
        decisions[pending.household_id] = pending
    shown = []
    for alert in alerts:
        share = decisions.get(alert.household_id) if alert.kind == AlertKind.SHARING_REQUESTED else None
        if share is not None:
            shown.append(_shown(alert, share.household, reverse("consent:decide", args=[share.id]), DECIDE))
        elif alert.household_id in visible:
            household = visible[alert.household_id]
            shown.append(_shown(alert, household, reverse("families:household", args=[household.id]), OPEN_RECORD))
        else:
            shown.append(ShownAlert(alert=alert))
    return shown


def _shown(alert: Alert, household: Household | None, link: str, action: str) -> ShownAlert:
    if household is None:  # removed under the retention policy since
        return ShownAlert(alert=alert)
    return ShownAlert(alert=alert, family=household.name, link=link, action=action)
