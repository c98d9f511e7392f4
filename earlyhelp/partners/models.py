"""Partner systems (a school's MIS, a police notification feed) that call the API. Each acts as a
service user of its agency: the same access rules and audit apply to it as to a person."""

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Agency, Team


class PartnerScope(models.TextChoices):
    PEOPLE_READ = "people:read", "Search for people and read their records"
    HOUSEHOLDS_READ = "households:read", "Read families' records"
    KNOWN_CHECK = "known-check", "Ask whether a child is known"


class PartnerClient(models.Model):
    """A partner system's credentials. The secret is kept only as a SHA-256 digest: it is a long
    random token, so a fast digest is as strong as a slow password hash here (decision 0003)."""

    name = models.CharField(max_length=200, unique=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="partner_clients")
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_client"
    )
    client_id = models.CharField(max_length=32, unique=True)
    secret_sha256 = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    # Requests allowed per period, in DRF's notation: "120/minute", "5000/day".
    rate = models.CharField(max_length=20, default="120/minute")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(secret_sha256=""), name="partner_secret_digest_kept"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def team(self) -> Team | None:
        return self.service_user.team

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
