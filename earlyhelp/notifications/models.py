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
