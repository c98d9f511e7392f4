"""Case notes: what a practitioner recorded about a family. A note marked confidential is seen
only within the agency that wrote it."""

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Agency
from earlyhelp.families.models import Household


class CaseNote(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="case_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    confidential = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["household", "created_at"])]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="case_note_has_text")]

    def __str__(self) -> str:
        return f"Note {self.pk}"
