"""Notifications, alerts and the email outbox. A notification (and the email it asks for) is written
inside the transaction of the change it reports, so a change that rolls back tells no one; the
outbox is sent afterwards by the background worker (`send_outbox`), which marks each message sent
exactly once."""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime
from email.mime.text import MIMEText

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import rules
from .models import Alert, Delivery, EmailStatus, Notification, NotificationKind, NotificationPreference, OutboundEmail
from .selectors import already_told

logger = logging.getLogger(__name__)

_ALERT_KINDS = {
    "break_glass": NotificationKind.BREAK_GLASS,
    "sharing_requested": NotificationKind.SHARING_REQUESTED,
    "sharing_without_consent": NotificationKind.SHARING_WITHOUT_CONSENT,
}


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} must run inside the transaction of the change it reports")


# --- Raising -------------------------------------------------------------------------------------------


def delivery_for(*, user: User, kind: str) -> str:
    """How the user is emailed about this kind: their choice, at once where they made none; a
    safeguarding notice is never off, whatever a stored row says."""
    chosen = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    delivery = chosen or Delivery.IMMEDIATE
    if rules.may_choose(kind, delivery) is not None:
        return Delivery.IMMEDIATE
    return delivery


def notification_send(
    *,
    recipient: User,
    kind: str,
    text: str,
    link: str = "",
    alert: Alert | None = None,
    about: str = "",
    ics: str = "",
) -> Notification:
    """Put a notification in the recipient's inbox and, as they chose, an email in the outbox (at once)
    or the notification in their daily summary; runs inside the caller's transaction. `ics`, a
    calendar invitation, goes with an email sent at once (a summary carries none)."""
    _require_transaction("notification_send")
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}")
    if not rules.link_is_inside(link):
        raise ValidationError({"link": rules.LINK_OUTSIDE})
    delivery = delivery_for(user=recipient, kind=kind) if recipient.is_active and recipient.email else Delivery.OFF
    notification = Notification.objects.create(
        recipient=recipient,
        kind=kind,
        text=text[:300],
        link=link,
        alert=alert,
        about=about,
        in_digest=delivery == Delivery.DIGEST,
    )
    if delivery == Delivery.IMMEDIATE:
        email_queue(
            recipient=recipient,
            subject=rules.email_subject(kind),
            body=rules.email_body(kind=kind, url=_absolute(link or reverse("notifications:inbox"))),
            ics=ics,
        )
    return notification


def notifications_send(
    *, recipients: Iterable[User], kind: str, text: str, link: str = "", actor: User | None = None
) -> list[Notification]:
    """The same notification to each recipient once, leaving out the person whose action it reports."""
    sent: list[Notification] = []
    seen: set[int] = set()
    for recipient in recipients:
        if recipient.pk in seen or (actor is not None and recipient.pk == actor.pk):
            continue
        seen.add(recipient.pk)
        sent.append(notification_send(recipient=recipient, kind=kind, text=text, link=link))
    return sent


def notification_send_once(*, recipient: User, kind: str, about: str, text: str, link: str = "") -> bool:
    """`notification_send`, unless the recipient was sent this kind of notice about this thing before (a
    daily job tells each person once); whether it was sent."""
    if already_told(recipient, kind=kind, about=about):
        return False
    notification_send(recipient=recipient, kind=kind, text=text, link=link, about=about)
    return True


def alert_raise(
    *, recipient: User, kind: str, message: str, household_id: uuid.UUID | None = None, link: str = ""
) -> Alert:
    """Tell a manager or the data protection officer something: an alert on their home page and the
    same notice in their inbox; runs inside the caller's transaction."""
    _require_transaction("alert_raise")
    alert = Alert.objects.create(recipient=recipient, kind=kind, message=message[:300], household_id=household_id)
    notification_send(
        recipient=recipient,
        kind=_ALERT_KINDS[kind],
        text=message,
        link=link or _alert_link(recipient),
        alert=alert,
    )
    return alert


def _alert_link(recipient: User) -> str:
    """Where an alert is acted on when its raiser names no page: the data protection pages for the
    officer (which list every family's openings and shares), the home page's alerts for a manager
    (which link to the family where the manager may open it)."""
    if capabilities.is_data_protection_officer(recipient):
        return reverse("dataprotection:overview")
    return reverse("home:dashboard")


def _absolute(path: str) -> str:
    return settings.EARLY_HELP.notifications.service_url.rstrip("/") + path


# --- Reading -------------------------------------------------------------------------------------------


def _mark_read(notifications, alerts, now: datetime) -> int:
    alerts.filter(read_at__isnull=True).update(read_at=now)
    return notifications.filter(read_at__isnull=True).update(read_at=now)


@transaction.atomic
def notification_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications as read (and the alert it came with)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError({"notification": rules.NOT_YOURS})
    now = timezone.now()
    changed = _mark_read(
        Notification.objects.filter(pk=notification.pk), Alert.objects.filter(notification=notification.pk), now
    )
    if changed:
        audit_record(actor=actor, action=Action.CHANGE, object_type="notification", object_id=notification.pk)
    notification.refresh_from_db()
    return notification


@transaction.atomic
def notifications_read_all(*, actor: User) -> int:
    """Mark every unread notification of the actor's as read (and their alerts); how many it marked."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    ids = list(unread.values_list("pk", flat=True))
    changed = _mark_read(
        Notification.objects.filter(pk__in=ids), Alert.objects.filter(notification__in=ids), timezone.now()
    )
    if changed:
        audit_record(actor=actor, action=Action.CHANGE, object_type="notification", details={"read_all": changed})
    return changed


@transaction.atomic
def alert_dismiss(*, actor: User, alert: Alert) -> Alert:
    """Mark one of the actor's own alerts as read, and the notification that came with it."""
    if alert.recipient_id != actor.pk:
        raise ValidationError({"alert": "This alert is not yours"})
    if alert.read_at is None:
        now = timezone.now()
        alert.read_at = now
        alert.save(update_fields=["read_at"])
        Notification.objects.filter(alert=alert, read_at__isnull=True).update(read_at=now)
        audit_record(actor=actor, action=Action.CHANGE, object_type="alert", object_id=alert.id)
    return alert


# --- Preferences ---------------------------------------------------------------------------------------


@transaction.atomic
def notification_preferences_set(*, actor: User, choices: dict[str, str]) -> dict[str, str]:
    """Record how the actor is emailed about each kind; a safeguarding notice cannot be turned off.
    Any refused choice refuses them all, naming each field, and nothing changes."""
    errors = {}
    for kind, delivery in choices.items():
        if kind not in NotificationKind.values:
            raise ValueError(f"Unknown notification kind {kind!r}")
        error = rules.may_choose(kind, delivery)
        if error:
            errors[kind] = error
    if errors:
        raise ValidationError(errors)
    changed = {}
    for kind, delivery in choices.items():
        if delivery_for(user=actor, kind=kind) != delivery:
            NotificationPreference.objects.update_or_create(user=actor, kind=kind, defaults={"delivery": delivery})
            changed[kind] = delivery
    if changed:
        audit_record(actor=actor, action=Action.CHANGE, object_type="notification_preferences", details=changed)
    return changed


# --- The outbox ----------------------------------------------------------------------------------------


def email_queue(*, recipient: User, subject: str, body: str, ics: str = "") -> OutboundEmail:
    """An email in the outbox, in the caller's transaction, perhaps with a calendar invitation; the
    worker is asked to send it once that transaction commits."""
    _require_transaction("email_queue")
    email = OutboundEmail.objects.create(
        recipient=recipient, to=recipient.email, subject=subject, body=body, ics=ics, next_attempt_at=timezone.now()
    )
    transaction.on_commit(_wake_worker)
    return email


def _wake_worker(run_after: datetime | None = None) -> None:
    from .tasks import send_outbox

    job = send_outbox
    if run_after is not None:
        if not job.get_backend().supports_defer:
            return  # a backend that cannot wait (the immediate one) leaves retries to the next wake or send_outbox
        job = job.using(run_after=run_after)
    job.enqueue()


def _deliver(email: OutboundEmail) -> str:
    """Hand one message to the mail server or to GOV.UK Notify; Notify's reference, or "" for SMTP."""
    config = settings.EARLY_HELP.notifications
    if config.email_via == "notify":
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.GOVUK_NOTIFY_API_KEY)
        response = client.send_email_notification(
            email_address=email.to,
            template_id=config.notify_template_id,
            personalisation={"subject": email.subject, "body": email.body},
            reference=f"outbound-email-{email.pk}",
        )
        return str(response.get("id", ""))
    message = EmailMessage(subject=email.subject, body=email.body, to=[email.to])
    if email.ics:
        message.attach(_calendar_part(email.ics))
    message.send(fail_silently=False)
    return ""


def _calendar_part(ics: str) -> MIMEText:
    """The invitation as a text/calendar attachment, with the method (REQUEST, CANCEL) calendars read
    from its content type."""
    part = MIMEText(ics, "calendar", "utf-8")
    method = rules.calendar_method(ics)
    if method:
        part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _send_one(now: datetime) -> str | None:
    """Claim the next message due and try it, all in one transaction that holds its row: another
    worker skips the row (PostgreSQL) or waits for the transaction (SQLite, which takes its write
    lock at the start), so no two send it. What happened: "sent", "retry", "failed", or None."""
    config = settings.EARLY_HELP.notifications
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status=EmailStatus.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            email.provider_reference = _deliver(email)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server or Notify: try again later
            email.last_error = type(error).__name__[:100]
            if email.attempts >= config.max_attempts:
                email.status = EmailStatus.FAILED
            else:
                email.next_attempt_at = rules.next_attempt(
                    now=timezone.now(), attempts=email.attempts, retry_after_seconds=config.retry_after_seconds
                )
            # The id and the error's class only: its message may carry an address.
            logger.warning("Outbound email %s not sent (%s), attempt %s", email.pk, email.last_error, email.attempts)
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save()
        if email.status == EmailStatus.SENT:
            return "sent"
        return "failed" if email.status == EmailStatus.FAILED else "retry"


def outbox_send(*, limit: int = 200) -> dict[str, int]:
    """Send what is due in the outbox, oldest first, each in its own transaction; a message that fails
    waits for its next attempt (exponential backoff) and the worker is asked to come back then."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    now = timezone.now()
    for _ in range(limit):
        outcome = _send_one(now)
        if outcome is None:
            break
        counts[outcome] += 1
    if counts["retry"]:
        waiting = OutboundEmail.objects.filter(status=EmailStatus.PENDING).order_by("next_attempt_at").first()
        if waiting is not None:
            _wake_worker(waiting.next_attempt_at)
    return counts


@transaction.atomic
def digest_send() -> dict[str, int]:
    """The daily summary: one email to each user with notifications set aside for it, saying only how
    many there are, with a link to the inbox."""
    waiting = (
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(in_digest=True, digested_at__isnull=True)
        .select_related("recipient")
        .order_by("recipient_id", "id")
    )
    by_user: dict[int, list[Notification]] = {}
    users: dict[int, User] = {}
    for notification in waiting:
        by_user.setdefault(notification.recipient_id, []).append(notification)
        users[notification.recipient_id] = notification.recipient
    now = timezone.now()
    url = _absolute(reverse("notifications:inbox"))
    emailed = 0
    for user_id, notifications in by_user.items():
        user = users[user_id]
        if user.is_active and user.email:
            email_queue(
                recipient=user, subject=rules.DIGEST_SUBJECT, body=rules.digest_body(count=len(notifications), url=url)
            )
            emailed += 1
        Notification.objects.filter(pk__in=[each.pk for each in notifications]).update(digested_at=now)
    return {"users": emailed, "notifications": sum(len(each) for each in by_user.values())}
