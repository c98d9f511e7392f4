"""The early help journey of a family: episodes of support and the chronology of everything
that happened, in order."""

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.families.models import Household, Person


class EpisodeStatus(models.TextChoices):
    OPEN = "open", "Open to early help"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    CLOSED = "closed", "Closed"


class Episode(models.Model):
    """One period of early help for a family, from the decision to assess to closure."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="episodes")
    status = models.CharField(max_length=12, choices=EpisodeStatus.choices, default=EpisodeStatus.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=EpisodeStatus.values), name="episode_status_known"),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                name="episode_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(status="closed", closed_on__isnull=False) | ~models.Q(status="closed"),
                name="episode_closed_has_date",
            ),
            models.UniqueConstraint(
                fields=["household"], condition=~models.Q(status="closed"), name="episode_one_active_per_household"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} from {self.opened_on:%d %b %Y} ({self.get_status_display()})"


class ChronologyEntry(models.Model):
    """One thing that happened in a family's journey. Written by the service that made it happen,
    in the same transaction, so the chronology is complete by construction."""

    id = models.BigAutoField(primary_key=True)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="chronology")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="chronology")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="chronology")
    occurred_at = models.DateTimeField(db_index=True)
    # A short code for filtering ("request", "triage", "level", "assessment", "meeting", "plan", "step_up",
    # "step_down", "social_care_response", "closure", ...): each app names its own.
    kind = models.CharField(max_length=30)
    summary = models.CharField(max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    source_type = models.CharField(max_length=50, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["household", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.kind}: {self.summary}"
