"""Consent to share a person's information, and the lawful basis recorded when sharing goes
ahead without it."""

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Agency
from earlyhelp.families.models import Household, Person


class SharingPurpose(models.TextChoices):
    TEAM_AROUND_THE_FAMILY = "taf", "Working together in the Team Around the Family"
    REFERRAL = "referral", "Referral to a service"
    ASSESSMENT = "assessment", "Contributing to the Early Help Assessment"


class LawfulBasis(models.TextChoices):
    SAFEGUARDING_CHILD = (
        "safeguarding_child",
        "Safeguarding a child at risk of harm (Children Act 1989; Data Protection Act 2018, Schedule 8)",
    )
    SAFEGUARDING_ADULT = (
        "safeguarding_adult",
        "Safeguarding an adult at risk (Care Act 2014; Data Protection Act 2018, Schedule 8)",
    )


class ConsentRecord(models.Model):
    """One person's consent to share their information with named agencies for one purpose."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    agencies = models.ManyToManyField(Agency, related_name="+")
    purpose = models.CharField(max_length=12, choices=SharingPurpose.choices)
    given_on = models.DateField()
    # A young person under 18 consents for themselves only when judged competent to (Gillick).
    young_person_competent = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(purpose__in=SharingPurpose.values), name="consent_purpose_known"),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True, withdrawn_by__isnull=True)
                | models.Q(withdrawn_on__isnull=False, withdrawn_by__isnull=False),
                name="consent_withdrawal_recorded_with_who",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk} ({self.get_purpose_display()})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class ShareStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting a manager's confirmation"
    CONFIRMED = "confirmed", "Confirmed by a manager"
    DECLINED = "declined", "Declined by a manager"


class SharingWithoutConsent(models.Model):
    """A decision to share a family's information with an agency without consent, on a lawful basis.
    It takes effect only once a manager other than the requester confirms it; the data
    protection officer is told of every one."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="shares_without_consent")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=12, choices=SharingPurpose.choices)
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    reason = models.TextField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ShareStatus.choices, default=ShareStatus.AWAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name_plural = "shares without consent"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ShareStatus.values), name="share_status_known"),
            models.CheckConstraint(condition=models.Q(purpose__in=SharingPurpose.values), name="share_purpose_known"),
            models.CheckConstraint(condition=models.Q(lawful_basis__in=LawfulBasis.values), name="share_basis_known"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="share_reason_given"),
            models.CheckConstraint(
                condition=models.Q(status="awaiting", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~models.Q(status="awaiting")
                    & models.Q(decided_by__isnull=False, decided_at__isnull=False)
                    & ~models.Q(decided_by=models.F("requested_by"))
                ),
                name="share_decided_by_another",
            ),
        ]

    def __str__(self) -> str:
        return f"Share {self.pk} without consent ({self.get_status_display()})"
