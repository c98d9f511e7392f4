"""A claim for a family's significant and sustained progress under the Supporting Families outcome
framework: prepared by one person, signed off by a second (the internal audit check), then marked
submitted. A family is claimed for once."""

from django.conf import settings
from django.db import models

from earlyhelp.families.models import Household
from earlyhelp.journey.models import Episode


class ClaimStatus(models.TextChoices):
    PREPARED = "prepared", "Prepared, awaiting sign-off"
    SIGNED_OFF = "signed_off", "Signed off, ready to submit"
    SUBMITTED = "submitted", "Submitted"


class Claim(models.Model):
    """One family's claim, for the episode whose progress it evidences. `evidence` keeps the
    framework's answer as it stood when the claim was prepared: each outcome area, what showed the
    need, its outcome at closure, and the last day of the sustainment period."""

    id = models.BigAutoField(primary_key=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.PREPARED)
    sustained_until = models.DateField()
    evidence = models.JSONField(default=list)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["prepared_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household"], name="claim_once_per_family"),
            models.CheckConstraint(condition=models.Q(status__in=ClaimStatus.values), name="claim_status_known"),
            models.CheckConstraint(
                condition=models.Q(signed_off_by__isnull=True) | ~models.Q(signed_off_by=models.F("prepared_by")),
                name="claim_signed_off_by_a_second_person",
            ),
            models.CheckConstraint(
                condition=models.Q(status="prepared")
                | models.Q(signed_off_by__isnull=False, signed_off_at__isnull=False),
                name="claim_signed_off_names_who_and_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted")
                | models.Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="claim_submitted_names_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim for {self.household} ({self.get_status_display()})"
