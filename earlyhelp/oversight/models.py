"""Management oversight: supervision recorded on a family's record, and the handover when a family's
lead professional changes. Both show on the family's chronology."""

import uuid

from django.conf import settings
from django.db import models

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


class Handover(models.Model):
    """A change of lead professional, with the note the new lead reads first."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="handovers")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    from_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Handover {self.pk}"
