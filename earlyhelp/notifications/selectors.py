"""Reads of a user's alerts."""

from django.db.models import QuerySet

from earlyhelp.accounts.models import User

from .models import Alert


def alerts_unread(user: User) -> QuerySet[Alert]:
    """The user's alerts not yet marked as read, newest first."""
    if not user.is_authenticated:
        return Alert.objects.none()
    return Alert.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-id")
