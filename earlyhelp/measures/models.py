"""Each child's activity in children's social care: referrals, single assessments, and episodes of
child in need, child protection and being looked after. It arrives by two routes: social care's
answer to a step up inside the system, and the council's social care system's feed (CSV). Each
record names its route and the sending system's id, so a second delivery of a record is recognised.

The locality is the child's family's locality when the record was made, kept on the record: the
indicators are broken down by it without following the child's moves through the register."""

from django.conf import settings
from django.db import models

from earlyhelp.accounts.models import Agency, AgencyKind, Locality
from earlyhelp.families.models import Household, Person
from earlyhelp.journey.models import StepUp

# Where a referral came from: the partnership's agency kinds, and the family itself (or a member of
# the public), which is no agency.
SELF_REFERRAL = "family"
SOURCE_AGENCY_TYPES = [*AgencyKind.choices, (SELF_REFERRAL, "The family or a member of the public")]


class RecordRoute(models.TextChoices):
    STEP_UP = "step_up", "Social care's answer to a step up in this system"
    FEED = "feed", "The social care system's feed"


class ReferralReason(models.TextChoices):
    """The child in need census's categories of need, the reason a referral is counted under."""

    ABUSE_OR_NEGLECT = "abuse_or_neglect", "Abuse or neglect"
    DISABILITY = "disability", "Child's disability or illness"
    PARENTAL_ILLNESS = "parental_illness", "Parental illness or disability"
    ACUTE_STRESS = "acute_stress", "Family in acute stress"
    FAMILY_DYSFUNCTION = "family_dysfunction", "Family dysfunction"
    SOCIALLY_UNACCEPTABLE = "socially_unacceptable", "Socially unacceptable behaviour"
    LOW_INCOME = "low_income", "Low income"
    ABSENT_PARENTING = "absent_parenting", "Absent parenting"
    NOT_IN_NEED = "not_in_need", "Cases other than children in need"


class ReferralOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    SINGLE_ASSESSMENT = "single_assessment", "Single assessment"
    OTHER = "other", "Other"


class AssessmentOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "nfa", "No further action"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"
    LOOKED_AFTER = "looked_after", "Looked after"
    EARLY_HELP = "early_help", "Stepped down to early help"
    OTHER = "other", "Other"


class CareEpisodeKind(models.TextChoices):
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after"


class SocialCareRecord(models.Model):
    """What every social care record holds: whose, where, by which route, under which source id."""

    id = models.BigAutoField(primary_key=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    route = models.CharField(max_length=10, choices=RecordRoute.choices)
    source_id = models.CharField("The sending system's id", max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


def _route_known(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(route__in=RecordRoute.values), name=f"{name}_route_known")


def _source_once(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(fields=["route", "source_id"], name=f"{name}_source_id_once")


class Referral(SocialCareRecord):
    """A referral of one child to children's social care, and what social care decided."""

    step_up = models.ForeignKey(StepUp, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    referred_on = models.DateField()
    source_agency_type = models.CharField(max_length=20, choices=SOURCE_AGENCY_TYPES)
    reason = models.CharField(max_length=24, choices=ReferralReason.choices)
    outcome = models.CharField(max_length=20, choices=ReferralOutcome.choices)
    # After no further action, whether an early help offer was recorded (2014 §5.3: the journey must
    # not go dark).
    early_help_offer = models.BooleanField(default=False)

    class Meta:
        ordering = ["referred_on", "id"]
        # K14 looks for a family's referrals in the twelve months after a closure (on the benchmark's history,
        # half its time when closures' twelve months are over: docs/indicators.md).
        indexes = [
            models.Index(fields=["referred_on"]),
            models.Index(fields=["person", "referred_on"]),
            models.Index(fields=["household", "referred_on"]),
        ]
        constraints = [
            _route_known("referral"),
            _source_once("referral"),
            models.CheckConstraint(
                condition=models.Q(source_agency_type__in=[value for value, _ in SOURCE_AGENCY_TYPES]),
                name="referral_source_agency_type_known",
            ),
            models.CheckConstraint(condition=models.Q(reason__in=ReferralReason.values), name="referral_reason_known"),
            models.CheckConstraint(
                condition=models.Q(outcome__in=ReferralOutcome.values), name="referral_outcome_known"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="nfa") | models.Q(early_help_offer=False),
                name="referral_offer_only_after_nfa",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.referred_on:%d %b %Y} ({self.get_outcome_display()})"


class SingleAssessment(SocialCareRecord):
    """Social care's single assessment of a child, following a referral."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="single_assessments")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=AssessmentOutcome.choices, blank=True)
    early_help_offer = models.BooleanField(default=False)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["completed_on"])]
        constraints = [
            _route_known("single_assessment"),
            _source_once("single_assessment"),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True) | models.Q(completed_on__gte=models.F("started_on")),
                name="single_assessment_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True, outcome="")
                | models.Q(completed_on__isnull=False, outcome__in=AssessmentOutcome.values),
                name="single_assessment_outcome_when_completed",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="nfa") | models.Q(early_help_offer=False),
                name="single_assessment_offer_only_after_nfa",
            ),
        ]

    def __str__(self) -> str:
        return f"Single assessment from {self.started_on:%d %b %Y}"


class CareEpisode(SocialCareRecord):
    """A period in which a child was a child in need, on a child protection plan, or looked after."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=CareEpisodeKind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [models.Index(fields=["kind", "started_on"]), models.Index(fields=["person", "kind"])]
        constraints = [
            _route_known("care_episode"),
            _source_once("care_episode"),
            models.CheckConstraint(condition=models.Q(kind__in=CareEpisodeKind.values), name="care_episode_kind_known"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="care_episode_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on:%d %b %Y}"


class ConfidenceAnswer(models.Model):
    """One practitioner's answer to the confidence survey for one survey period: three scores from 1 (not at
    all confident) to 5 (very confident). Their agency and their team's locality when they answered are
    kept on the answer, so results by agency and locality do not move when the practitioner does. Results
    are published only as suppressed aggregates."""

    id = models.BigAutoField(primary_key=True)
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The first day of the survey period the answer belongs to (rules.confidence_period).
    period_start = models.DateField()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    identifying_need = models.PositiveSmallIntegerField()
    using_levels = models.PositiveSmallIntegerField()
    leading_assessment = models.PositiveSmallIntegerField()
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["answered_at", "id"]
        indexes = [models.Index(fields=["answered_at"])]
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "period_start"], name="confidence_once_a_period"),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{score}__gte": 1, f"{score}__lte": 5}), name=f"confidence_{score}_range"
                )
                for score in ("identifying_need", "using_levels", "leading_assessment")
            ),
        ]

    def __str__(self) -> str:
        return f"Confidence survey answer for the period from {self.period_start:%d %b %Y}"
