"""Management oversight: supervision recorded on a family's record, the handover when a family's
lead professional changes, and the transfer of an episode to another team. Each shows on the
family's chronology."""

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Team
from earlyhelp.families.models import Household
from earlyhelp.journey.models import Episode


class Supervision(models.Model):
    """A supervision discussion about one family: the reflection, what was decided, and who does what by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="supervisions")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    held_on = models.DateField()
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reflection = models.TextField()
    decisions = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        indexes = [models.Index(fields=["household", "held_on"])]

    def __str__(self) -> str:
        return f"Supervision {self.pk}"


class SupervisionAction(models.Model):
    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.what[:60]


class FamilyTold(models.TextChoices):
    """How the family heard of a new lead professional: families have no accounts and are never emailed."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    LETTER = "letter", "By letter"
    NOT_YET = "not_yet", "Not yet"


class Handover(models.Model):
    """A change of lead professional, with the note the new lead reads first and how the family was told."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="handovers")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    from_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Blank only on handovers recorded before the question was asked.
    family_told = models.CharField(max_length=10, choices=FamilyTold.choices, blank=True)
    family_told_on = models.DateField(null=True, blank=True)
    family_not_told_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(family_told="")
                | (models.Q(family_told=FamilyTold.NOT_YET) & ~models.Q(family_not_told_reason=""))
                | models.Q(
                    family_told__in=[FamilyTold.IN_PERSON, FamilyTold.PHONE, FamilyTold.LETTER],
                    family_told_on__isnull=False,
                ),
                name="handover_family_told_how_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Handover {self.pk}"

    @property
    def family_told_words(self) -> str:
        """How the family heard of the change, in words for the chronology and the handover list."""
        if self.family_told == FamilyTold.NOT_YET:
            return f"the family has not been told yet: {self.family_not_told_reason}"[:300]
        if self.family_told and self.family_told_on is not None:
            how = FamilyTold(self.family_told).label.lower()
            return f"the family was told {how} on {self.family_told_on.day} {self.family_told_on:%B %Y}"
        return "how the family was told was not recorded"


class EpisodeTransfer(models.Model):
    """An open episode moved from one team to another by a manager of the team that held it, with the reason,
    and who leads the family afterwards (the same lead, one from the receiving team, or none yet)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="transfers")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    from_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    to_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    from_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_team=models.F("to_team")), name="episode_transfer_to_another_team"
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="episode_transfer_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"

    @property
    def lead_words(self) -> str:
        """Who leads the family after the transfer, in words for the chronology and the transfer list."""
        if self.to_lead is None:
            return "no lead professional yet, for the receiving team to choose"
        if self.from_lead_id == self.to_lead_id:
            return f"{self.to_lead.display_name} stays lead professional"
        return f"{self.to_lead.display_name} is now lead professional"
