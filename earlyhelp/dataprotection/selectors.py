"""Reads for data protection: alerts, a record's break-glass history."""

from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.families.models import Household

from .models import Alert, BreakGlassGrant


def alerts_unread(user: User) -> QuerySet[Alert]:
    """The user's alerts not yet marked as read, newest first."""
    if not user.is_authenticated:
        return Alert.objects.none()
    return Alert.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-id")


def household_break_glass_history(household: Household) -> QuerySet[BreakGlassGrant]:
    """Every break-glass opening of this household's record, newest first."""
    return household.break_glass_grants.select_related("user__agency").order_by("-granted_at", "-id")


def break_glass_grants_recent(limit: int = 100) -> QuerySet[BreakGlassGrant]:
    """The latest break-glass openings across the register, for the data protection officer."""
    return BreakGlassGrant.objects.select_related("user__agency", "household").order_by("-granted_at", "-id")[:limit]


def break_glass_is_active(grant: BreakGlassGrant) -> bool:
    return grant.expires_at > timezone.now()
