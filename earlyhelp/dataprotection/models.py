"""Emergency ("break-glass") access to a record, alerts to managers and the data protection
officer, and nothing else: the audit trail itself lives in the audit app."""

from django.conf import settings
from django.db import models

from earlyhelp.families.models import Household


class BreakGlassGrant(models.Model):
    """A practitioner not involved with a family opened its record for a stated reason, for a
    limited time. Access follows the grant while it lasts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="break_glass_reason_given"),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="break_glass_expires_after_granted"
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass {self.pk} until {self.expires_at:%Y-%m-%d %H:%M}"


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
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [models.CheckConstraint(condition=models.Q(kind__in=AlertKind.values), name="alert_kind_known")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient_id}"
