"""What a notification's email says, whom a preference may silence, and when a failed email is tried
again: pure decisions, no database."""

from datetime import datetime, timedelta

from .models import Delivery, NotificationKind

# Safeguarding notices reach their recipient whatever they chose: they may have them in the daily
# summary, never not at all.
SAFEGUARDING = frozenset(
    {
        NotificationKind.STEP_UP_AWAITING,
        NotificationKind.STEP_UP_DECIDED,
        NotificationKind.STEP_UP_TO_ANSWER,
        NotificationKind.STEP_UP_ANSWERED,
        NotificationKind.BREAK_GLASS,
        NotificationKind.SHARING_REQUESTED,
        NotificationKind.SHARING_WITHOUT_CONSENT,
    }
)
SAFEGUARDING_CANNOT_BE_OFF = "Safeguarding notices cannot be turned off: choose at once or a daily summary"
DELIVERY_UNKNOWN = "Choose how to be emailed about this"
LINK_OUTSIDE = "A notification links only to a page of this service"
NOT_YOURS = "This notification is not yours"

# The subject of an email names only the kind of thing there is to see: never a child, a family or a
# decision, which an inbox outside the partnership's systems (a phone, a shared mailbox) could show.
EMAIL_SUBJECTS: dict[str, str] = {
    NotificationKind.REQUEST_TRIAGED: "A request for support you made has been answered",
    NotificationKind.MADE_LEAD: "You have been made a lead professional",
    NotificationKind.TAF_ADDED: "You have been added to a Team Around the Family",
    NotificationKind.ACTION_ASSIGNED: "A plan action has been assigned to you",
    NotificationKind.ACTION_OVERDUE: "A plan action of yours is overdue",
    NotificationKind.REVIEW_DUE: "A family plan you lead is due for review",
    NotificationKind.STEP_UP_AWAITING: "A step up awaits your approval",
    NotificationKind.STEP_UP_DECIDED: "A step up has been decided",
    NotificationKind.STEP_UP_TO_ANSWER: "A step up has been sent to your team",
    NotificationKind.STEP_UP_ANSWERED: "Social care has answered a step up",
    NotificationKind.STEP_DOWN_TO_ACCEPT: "A step down awaits your team's acceptance",
    NotificationKind.BREAK_GLASS: "A family's record was opened in an emergency",
    NotificationKind.SHARING_REQUESTED: "A decision on sharing without consent is needed",
    NotificationKind.SHARING_WITHOUT_CONSENT: "Sharing without consent has been decided",
    NotificationKind.LEAD_CHANGED: "A family you work with has a new lead professional",
    NotificationKind.EPISODE_TRANSFERRED: "An episode has been transferred to your team",
    NotificationKind.REFERRAL_RECEIVED: "A referral to your service has been received",
    NotificationKind.REFERRAL_ANSWERED: "A service has answered a referral you made",
    NotificationKind.REFERRAL_WITHDRAWN: "A referral to your service has been withdrawn",
    NotificationKind.MEETING_INVITATION: "You are invited to a meeting",
    NotificationKind.MEETING_CHANGED: "A meeting you were invited to has changed",
}
SUBJECT_PREFIX = "Early Help System: "
DIGEST_SUBJECT = "Early Help System: your daily summary"


def may_choose(kind: str, delivery: str) -> str | None:
    """Why a user may not be emailed `delivery` for `kind`, or None when they may."""
    if delivery not in Delivery.values:
        return DELIVERY_UNKNOWN
    if kind in SAFEGUARDING and delivery == Delivery.OFF:
        return SAFEGUARDING_CANNOT_BE_OFF
    return None


def link_is_inside(link: str) -> bool:
    """A path of this service: it starts with one slash (two would name another site) and holds no
    backslash or control character a browser might read as another site."""
    return link == "" or (
        link.startswith("/") and not link.startswith("//") and "\\" not in link and link.isprintable()
    )


def email_subject(kind: str) -> str:
    return SUBJECT_PREFIX + EMAIL_SUBJECTS[kind]


def email_body(*, kind: str, url: str) -> str:
    """The whole email: that there is something to see, and where. Nothing about the family."""
    return (
        f"{EMAIL_SUBJECTS[kind]}.\n\n"
        f"Sign in to the Early Help System to see it:\n{url}\n\n"
        "This email does not say more, to keep families' information safe. "
        "You can choose which emails you get under Notifications in the service."
    )


def digest_body(*, count: int, url: str) -> str:
    things = "1 new notification" if count == 1 else f"{count} new notifications"
    return (
        f"You have {things} in the Early Help System since your last summary.\n\n"
        f"Sign in to see them:\n{url}\n\n"
        "This email does not say more, to keep families' information safe."
    )


def next_attempt(*, now: datetime, attempts: int, retry_after_seconds: int) -> datetime:
    """Exponential backoff: the first retry after the configured wait, doubling after each failure
    (capped at a day, so a long outage is still retried daily)."""
    wait = min(retry_after_seconds * 2 ** max(attempts - 1, 0), 24 * 60 * 60)
    return now + timedelta(seconds=wait)


def calendar_method(ics: str) -> str:
    """The iTIP method of a calendar invitation (REQUEST, CANCEL), from its METHOD line; "" without one."""
    for line in ics.splitlines():
        name, _, value = line.partition(":")
        if name.strip().upper() == "METHOD":
            return value.strip().upper()
    return ""
