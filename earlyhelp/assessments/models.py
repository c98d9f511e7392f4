"""The Early Help Assessment: one per family, kept with the family across episodes. Each review
is a new version of the same assessment, started from the last one, never from blank."""

import uuid

from django.conf import settings
from django.db import models

from earlyhelp.families.models import Household, Person
from earlyhelp.journey.models import Episode


class OutcomeArea(models.TextChoices):
    """The ten headline outcomes of the national Supporting Families framework."""

    EDUCATION = "education", "Getting a good education"
    EARLY_YEARS = "early_years", "Good early years development"
    HEALTH = "health", "Improved mental and physical health"
    SUBSTANCE_USE = "substance_use", "Promoting recovery and reducing harm from substance use"
    FAMILY_RELATIONSHIPS = "family_relationships", "Improved family relationships"
    SAFE_FROM_ABUSE = "safe_from_abuse", "Children safe from abuse and exploitation"
    CRIME = "crime", "Crime prevention and tackling crime"
    DOMESTIC_ABUSE = "domestic_abuse", "Safe from domestic abuse"
    HOUSING = "housing", "Secure housing"
    FINANCIAL_STABILITY = "financial_stability", "Adults in work and financial stability"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for quality assurance"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"


# A version in one of these states is still being written; the rest are settled.
EDITABLE_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)
OPEN_STATUSES = (AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED, AssessmentStatus.RETURNED)


class LawfulBasis(models.TextChoices):
    """Why information is shared without consent (UK GDPR Article 6 and the Children Act duties)."""

    SAFEGUARDING = "safeguarding", "Safeguarding a child or adult at risk"
    PUBLIC_TASK = "public_task", "Public task (the council's statutory duties)"
    VITAL_INTERESTS = "vital_interests", "Vital interests (to protect someone's life)"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation"
    CRIME_PREVENTION = "crime_prevention", "Prevention or detection of crime"


class Assessment(models.Model):
    """The family's one assessment. Its content lives in versions; it outlives every episode."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.OneToOneField(Household, on_delete=models.PROTECT, related_name="assessment")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Early Help Assessment of {self.household}"


def _scale_in_range(field: str) -> models.Q:
    return models.Q(**{f"{field}__isnull": True}) | models.Q(**{f"{field}__gte": 0, f"{field}__lte": 10})


class AssessmentVersion(models.Model):
    """One version of the assessment, written in one episode and quality-assured by the Early Help Team.

    `revision` counts saves of this version: a save names the revision it was made from and is
    refused if anyone saved in between (checked in the UPDATE's WHERE clause).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessment_versions")
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    revision = models.PositiveIntegerField(default=1)

    # Signs of Safety / Signs of Wellbeing.
    past_harm = models.TextField("What has happened (past harm)", blank=True)
    future_danger = models.TextField("What we are worried could happen (future danger)", blank=True)
    complicating_factors = models.TextField("What makes it harder (complicating factors)", blank=True)
    working_well = models.TextField("What is working well", blank=True)
    needs_to_happen = models.TextField("What needs to happen", blank=True)
    family_scale = models.PositiveSmallIntegerField("Scale scored by the family", null=True, blank=True)
    practitioner_scale = models.PositiveSmallIntegerField("Scale scored by the practitioner", null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_saved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comments = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "-number"]
        # reviewed_at places an approval or a quality check in an indicator's period (K02 to K04, K12).
        indexes = [models.Index(fields=["reviewed_at"])]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="assessment_version_number_unique"),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(status__in=["draft", "submitted", "returned"]),
                name="assessment_one_open_version",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AssessmentStatus.values), name="assessment_version_status_known"
            ),
            models.CheckConstraint(condition=_scale_in_range("family_scale"), name="assessment_family_scale_0_10"),
            models.CheckConstraint(
                condition=_scale_in_range("practitioner_scale"), name="assessment_practitioner_scale_0_10"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(review_comments=""),
                name="assessment_returned_has_comments",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(reviewed_at__isnull=False),
                name="assessment_approved_is_reviewed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment.household}: version {self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def lead_team_ids(self) -> set[int]:
        """The teams of the family's current lead professional: their own team, or the team that
        holds the lead. Their managers may quality-assure the version (accounts.capabilities)."""
        leads = self.assessment.household.involvements.current_lead().values_list("practitioner__team_id", "team_id")
        return {team for pair in leads for team in pair if team is not None}


class MemberSection(models.Model):
    """One household member's part of the assessment: their own story, their voice if a child,
    and, for an adult, whether they consent to their information being shared."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, related_name="sections")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessment_sections")
    is_child = models.BooleanField()
    about = models.TextField("Their situation, strengths and needs", blank=True)
    child_voice = models.TextField("In the child's own words", blank=True)
    voice_not_heard_reason = models.TextField("Why the child's voice could not be heard", blank=True)
    consent_given = models.BooleanField("Consents to share information", null=True, blank=True)
    consent_what = models.TextField("What may be shared", blank=True)
    consent_with_whom = models.TextField("With whom", blank=True)
    lawful_basis = models.CharField(
        "Lawful basis for sharing without consent", max_length=20, choices=LawfulBasis.choices, blank=True
    )

    class Meta:
        ordering = ["version", "-is_child", "person__date_of_birth"]
        constraints = [
            models.UniqueConstraint(fields=["version", "person"], name="assessment_section_one_per_person"),
            models.CheckConstraint(
                condition=~models.Q(consent_given=False) | ~models.Q(lawful_basis=""),
                name="assessment_sharing_without_consent_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.version}"


class Need(models.Model):
    """An assessed need of one member (or of the whole family), in one outcome area.

    `key` is shared by the copies of the same need in later versions, so versions can be compared
    and a plan's outcomes follow the need through reviews.
    """

    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, related_name="needs")
    key = models.UUIDField(default=uuid.uuid4)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome_area = models.CharField(max_length=24, choices=OutcomeArea.choices)
    description = models.TextField()

    class Meta:
        ordering = ["version", "outcome_area", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="assessment_need_key_unique_in_version"),
            models.CheckConstraint(condition=models.Q(outcome_area__in=OutcomeArea.values), name="need_area_known"),
        ]

    def __str__(self) -> str:
        who = self.person.full_name if self.person is not None else "Whole family"
        return f"{who}: {self.get_outcome_area_display()}: {self.description[:60]}"


class WorryGoal(models.Model):
    """A danger or worry statement paired with the goal that answers it."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, related_name="worry_goals")
    key = models.UUIDField(default=uuid.uuid4)
    worry = models.TextField("Danger or worry statement")
    goal = models.TextField("Goal")

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="assessment_worry_key_unique_in_version"),
        ]

    def __str__(self) -> str:
        return self.worry[:60]
