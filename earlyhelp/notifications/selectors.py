"""Reads of a user's inbox, alerts and email preferences."""

from dataclasses import dataclass

from django.db.models import QuerySet

from earlyhelp.accounts.models import User

from . import rules
from .models import Alert, Delivery, Notification, NotificationKind, NotificationPreference


def alerts_unread(user: User) -> QuerySet[Alert]:
    """The user's alerts not yet marked as read, newest first."""
    if not user.is_authenticated:
        return Alert.objects.none()
    return Alert.objects.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-id")


def inbox(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first; nobody reads another's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def inbox_unread_count(user: User) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def already_told(user: User, *, kind: str, about: str) -> bool:
    """Whether the user was sent this kind of notice about this thing before (for daily jobs)."""
    return Notification.objects.filter(recipient=user, kind=kind, about=about).exists()


def notification_of(user: User, notification_id: int) -> Notification | None:
    """One of the user's own notifications, or None for another's and for none alike."""
    return inbox(user).filter(pk=notification_id).first()


@dataclass(frozen=True)
class PreferenceShown:
    kind: str
    label: str
    delivery: str
    safeguarding: bool


def preferences_of(user: User) -> list[PreferenceShown]:
    """How the user is emailed about each kind, at once where they made no choice."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return [
        PreferenceShown(
            kind=kind.value,
            label=kind.label,
            delivery=chosen.get(kind.value, Delivery.IMMEDIATE),
            safeguarding=kind in rules.SAFEGUARDING,
        )
        for kind in NotificationKind
    ]
