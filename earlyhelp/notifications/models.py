"""Alerts: something a manager or the data protection officer must know, shown on their home page."""

from django.conf import settings
from django.db import models


class AlertKind(models.TextChoices):
    BREAK_GLASS = "break_glass", "Break-glass access"
    SHARING_REQUESTED = "sharing_requested", "Sharing without consent requested"
    SHARING_WITHOUT_CONSENT = "sharing_without_consent", "Sharing without consent decided"


class Alert(models.Model):
    """Something a manager or the data protection officer must know, shown on their home page."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    # A plain id, not a foreign key: the alert outlives a record removed under the retention policy.
    household_id = models.UUIDField(null=True, blank=True)
    message = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The table keeps the name it was created with, when alerts were part of data protection.
        db_table = "dataprotection_alert"
        indexes = [models.Index(fields=["recipient", "read_at"], name="dataprotect_recipie_89e4b6_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=AlertKind.values), name="alert_kind_known")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"


class NotificationKind(models.TextChoices):
    """What a notification is about. Safeguarding kinds (rules.SAFEGUARDING) cannot be turned off."""

    REQUEST_TRIAGED = "request_triaged", "A request for support you made was triaged"
    MADE_LEAD = "made_lead", "You were made a family's lead professional"
    TAF_ADDED = "taf_added", "You were added to a Team Around the Family"
    ACTION_ASSIGNED = "action_assigned", "A plan action was assigned to you"
    ACTION_OVERDUE = "action_overdue", "A plan action of yours is overdue"
    REVIEW_DUE = "review_due", "A family plan you lead is due for review"
    STEP_UP_AWAITING = "step_up_awaiting", "A step up awaits your approval"
    STEP_UP_DECIDED = "step_up_decided", "A step up was decided"
    STEP_UP_TO_ANSWER = "step_up_to_answer", "A step up was sent to your team"
    STEP_UP_ANSWERED = "step_up_answered", "Social care answered a step up"
    STEP_DOWN_TO_ACCEPT = "step_down_to_accept", "A step down awaits your team's acceptance"
    BREAK_GLASS = "break_glass", "Break-glass access to a family's record"
    SHARING_REQUESTED = "sharing_requested", "Sharing without consent to decide"
    SHARING_WITHOUT_CONSENT = "sharing_without_consent", "Sharing without consent decided"
    LEAD_CHANGED = "lead_changed", "A family you work with has a new lead professional"
    EPISODE_TRANSFERRED = "episode_transferred", "An episode was transferred to your team"
    REFERRAL_RECEIVED = "referral_received", "A referral to your service was received"
    REFERRAL_ANSWERED = "referral_answered", "A service answered a referral you made"
    REFERRAL_WITHDRAWN = "referral_withdrawn", "A referral to your service was withdrawn"
    MEETING_INVITATION = "meeting_invitation", "You are invited to a meeting"
    MEETING_CHANGED = "meeting_changed", "A meeting you were invited to changed"


class Notification(models.Model):
    """Something one user needs to know or act on, in their inbox. The text says no more about a family
    than its recipient may see; the link leads to the page where they act (which checks access again)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    text = models.CharField(max_length=300)
    # A path inside the service, never another site's address.
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The alert a data protection notice also raised on the home page; reading one reads the other.
    alert = models.OneToOneField(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="notification")
    # What a notice from a daily job is about ("plan_action:42"), so the job tells each person once.
    about = models.CharField(max_length=60, blank=True)
    # Waiting for the recipient's daily digest email, until the digest job takes it.
    in_digest = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=NotificationKind.values), name="notification_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(link="") | (models.Q(link__startswith="/") & ~models.Q(link__startswith="//")),
                name="notification_link_inside_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me at once"
    DIGEST = "digest", "Email me a daily summary"
    OFF = "off", "Do not email me"


class NotificationPreference(models.Model):
    """How one user wants to be emailed about one kind of notification; without a row, at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
            models.CheckConstraint(
                condition=models.Q(delivery__in=Delivery.values), name="notification_delivery_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.delivery}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Given up after repeated failures"


class OutboundEmail(models.Model):
    """An email waiting in the outbox, written in the transaction of the event it reports and sent by
    the background worker, so a change that rolls back sends nothing and a mail server that is down
    loses nothing. It says only that there is something to see, and links to it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="outbound_emails"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # The kind of the last failure (an exception's class), never its message, which may carry an address.
    last_error = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # GOV.UK Notify's id for the message, where Notify sent it.
    provider_reference = models.CharField(max_length=100, blank=True)
    # A calendar invitation (iCalendar, RFC 5545) the mail server path attaches as text/calendar; Notify
    # cannot attach one, so there the email's link to the meeting page is what the recipient has.
    ics = models.TextField("Calendar invitation", blank=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbound_email_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=EmailStatus.values), name="outbound_email_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EmailStatus.SENT) | models.Q(sent_at__isnull=False),
                name="outbound_email_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Email {self.pk} ({self.status})"
