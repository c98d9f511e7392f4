"""Access rules of the inbox: every signed-in person has their own; a notification is marked as read
only by its recipient (another's is not found, like a missing one)."""

from .matrix import (
    ANONYMOUS,
    FORBIDDEN,
    INVOLVED,
    MISSING,
    NOT_FOUND,
    SIGN_IN,
    UNRELATED,
    Rule,
    World,
    api,
    no_kwargs,
    signed_in,
)


def _notification(world: World, relation: str) -> dict:
    from django.db import transaction

    from earlyhelp.notifications.models import NotificationKind
    from earlyhelp.notifications.services import notification_send
    from tests.factories import UserFactory

    if relation == MISSING:
        return {"notification_id": 999_999}
    own = relation == INVOLVED and world.user is not None
    with transaction.atomic():
        notification = notification_send(
            recipient=world.user if own else UserFactory(), kind=NotificationKind.MADE_LEAD, text="Lead", link="/"
        )
    return {"notification_id": notification.pk}


def _read(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return SIGN_IN
    return 302 if relation == INVOLVED else NOT_FOUND


def _read_all(role: str, relation: str) -> int:
    return SIGN_IN if role == ANONYMOUS else 302


def _read_api(role: str, relation: str) -> int:
    if role == ANONYMOUS:
        return FORBIDDEN
    return 200 if relation == INVOLVED else NOT_FOUND


RULES = {
    "notifications:inbox": Rule(no_kwargs, signed_in),
    "notifications:preferences": Rule(no_kwargs, signed_in),
    "notifications:read": Rule(
        _notification, _read, (INVOLVED, UNRELATED, MISSING), method="POST", data=lambda world: {}
    ),
    "notifications:read-all": Rule(no_kwargs, _read_all, method="POST", data=lambda world: {}),
    "notifications-api:inbox": Rule(no_kwargs, api(signed_in)),
    "notifications-api:read": Rule(
        _notification, _read_api, (INVOLVED, UNRELATED, MISSING), method="POST", data=lambda world: {}
    ),
    "notifications-api:read-all": Rule(no_kwargs, api(signed_in), method="POST", data=lambda world: {}),
}
