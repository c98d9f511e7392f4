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


# --- Requests for support: the front door -----------------------------------------------------------


class RequestSource(models.TextChoices):
    PRACTITIONER = "practitioner", "A practitioner"
    FAMILY = "family", "The family"


class RequestStatus(models.TextChoices):
    AWAITING_TRIAGE = "awaiting_triage", "Awaiting triage"
    ADVICE = "advice", "Advice and signposting given"
    UNIVERSAL = "universal", "Back to universal services"
    ASSESSMENT = "assessment", "Early help assessment"
    MASH = "mash", "Passported to the MASH"


class HarmReason(models.TextChoices):
    """Why a family goes to the MASH: the passport reasons of the front door and of a step up."""

    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    VULNERABLE_CHILD = "vulnerable_child", "Vulnerable child"
    VULNERABLE_ADULT = "vulnerable_adult", "Vulnerable adult"
    CSE = "cse", "Child sexual exploitation"
    OTHER_HARM = "other_harm", "Other harm"
    ESCALATING_NEED = "escalating_need", "Need or risk has grown despite early help"


class SupportRequest(models.Model):
    """A request for early help for a family, from a practitioner or the family itself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True)
    source = models.CharField(max_length=12, choices=RequestSource.choices)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="support_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requester_name = models.CharField(max_length=200)
    requester_relationship = models.CharField(max_length=100, blank=True)
    requester_phone = models.CharField(max_length=30, blank=True)
    requester_email = models.EmailField(blank=True)
    child_given_name = models.CharField(max_length=100)
    child_family_name = models.CharField(max_length=100)
    child_date_of_birth = models.DateField(null=True, blank=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    concerns = models.TextField()
    family_consents = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.AWAITING_TRIAGE)
    received_at = models.DateTimeField()
    triage_due_at = models.DateTimeField()
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    mash_reasons = models.JSONField(default=list, blank=True)
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="support_requests"
    )

    class Meta:
        ordering = ["triage_due_at"]
        # received_at places a request in an indicator's period (K01, K14); K03 looks up an episode's first request,
        # K14 a family's requests in the twelve months after a closure.
        indexes = [
            models.Index(fields=["status", "triage_due_at"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["episode", "received_at"]),
            models.Index(fields=["household", "received_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=RequestStatus.values), name="request_status_known"),
            models.CheckConstraint(condition=models.Q(source__in=RequestSource.values), name="request_source_known"),
            models.CheckConstraint(
                condition=models.Q(source="family", requested_by__isnull=True)
                | models.Q(source="practitioner", requested_by__isnull=False),
                name="request_practitioner_named",
            ),
            models.CheckConstraint(
                condition=models.Q(status="awaiting_triage", triaged_at__isnull=True)
                | (~models.Q(status="awaiting_triage") & models.Q(triaged_at__isnull=False)),
                name="request_triage_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["assessment", "mash"]) | models.Q(household__isnull=False),
                name="request_routed_names_household",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="assessment") | models.Q(episode__isnull=False),
                name="request_assessment_opens_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(triage_due_at__gte=models.F("received_at")), name="request_due_after_received"
            ),
        ]

    def __str__(self) -> str:
        return f"Request {self.reference}"

    @property
    def child_name(self) -> str:
        return f"{self.child_given_name} {self.child_family_name}"


# --- Level of need: the thresholds tool ----------------------------------------------------------------


class IndicatorDomain(models.TextChoices):
    CHILD_DEVELOPMENT = "child_development", "The child's development"
    PARENTING_CAPACITY = "parenting_capacity", "Parenting capacity"
    FAMILY_ENVIRONMENT = "family_environment", "Family and environment"


class Level(models.IntegerChoices):
    UNIVERSAL = 1, "Level 1: Universal"
    UNIVERSAL_PLUS = 2, "Level 2: Universal Plus"
    PARTNERSHIP_PLUS = 3, "Level 3: Universal Partnership Plus (targeted)"
    SPECIALIST = 4, "Level 4: Specialist or statutory"


class NeedIndicator(models.Model):
    """One sign of need in the thresholds tool. Configuration: the Early Help Team tunes weights in admin."""

    domain = models.CharField(max_length=20, choices=IndicatorDomain.choices)
    label = models.CharField(max_length=200, unique=True)
    weight = models.PositiveSmallIntegerField(help_text="How much this sign adds to the total, from 1 to 10")
    minimum_level = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=Level.choices, help_text="A level this sign alone reaches, if any"
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["domain", "position", "label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(domain__in=IndicatorDomain.values), name="indicator_domain_known"
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=10), name="indicator_weight_range"),
            models.CheckConstraint(
                condition=models.Q(minimum_level__isnull=True) | models.Q(minimum_level__gte=1, minimum_level__lte=4),
                name="indicator_minimum_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class LevelOfNeed(models.Model):
    """A practitioner's judgement of a family's level of need, with what the tool suggested."""

    id = models.BigAutoField(primary_key=True)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="levels_of_need")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="levels")
    indicators = models.ManyToManyField(NeedIndicator, blank=True, related_name="+")
    # The indicators as they were weighed at the time: history stays true when configuration changes.
    indicator_snapshot = models.JSONField(default=list, blank=True)
    suggested_level = models.PositiveSmallIntegerField(choices=Level.choices)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "levels of need"
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="level_in_range"),
            models.CheckConstraint(
                condition=models.Q(suggested_level__gte=1, suggested_level__lte=4), name="level_suggested_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(level=models.F("suggested_level")) | ~models.Q(reason=""),
                name="level_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household}: level {self.level} on {self.recorded_at:%d %b %Y}"

    @property
    def overridden(self) -> bool:
        return self.level != self.suggested_level


# --- Step up and step down -------------------------------------------------------------------------------


class StepUpStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting manager approval"
    DECLINED = "declined", "Not approved by the manager"
    SENT = "sent", "With the MASH / social care"
    ACCEPTED = "accepted", "Accepted by social care"
    NO_FURTHER_ACTION = "nfa", "No further action: back to early help with an offer"


class SocialCareOutcome(models.TextChoices):
    SINGLE_ASSESSMENT = "single_assessment", "Single assessment"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection"


class StepUp(models.Model):
    """A request to children's social care, from triage or from an open episode, with the history compiled."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="step_ups")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="step_ups")
    support_request = models.OneToOneField(
        SupportRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="step_up"
    )
    reasons = models.JSONField(default=list)
    detail = models.TextField()
    # The family's history as it stood when the step up was asked for (read-only summary).
    history = models.JSONField(default=dict)
    # Safeguarding does not wait for paperwork, but social care must know what it is reading.
    without_approved_assessment = models.BooleanField("Sent without an approved early help assessment", default=False)
    to_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=StepUpStatus.choices, default=StepUpStatus.AWAITING_APPROVAL)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    manager_comment = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=SocialCareOutcome.choices, blank=True)
    offer = models.TextField(blank=True, help_text="The early help offered to the family after no further action")
    response_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=StepUpStatus.values), name="step_up_status_known"),
            models.CheckConstraint(
                condition=models.Q(episode__isnull=False) | models.Q(support_request__isnull=False),
                name="step_up_has_origin",
            ),
            models.CheckConstraint(
                condition=models.Q(status="awaiting_approval") | models.Q(decided_at__isnull=False),
                name="step_up_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(outcome__in=SocialCareOutcome.values),
                name="step_up_accepted_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="nfa") | ~models.Q(offer=""), name="step_up_nfa_records_offer"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status__in=["awaiting_approval", "sent"]),
                name="step_up_one_pending_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"Step up for {self.household} ({self.get_status_display()})"

    def reason_labels(self) -> list[str]:
        return [HarmReason(reason).label for reason in self.reasons if reason in HarmReason.values]


class StepDownStatus(models.TextChoices):
    AWAITING_ACCEPTANCE = "awaiting_acceptance", "Awaiting the Early Help Team"
    ACCEPTED = "accepted", "Accepted into early help"
    DECLINED = "declined", "Not accepted"


class StepDown(models.Model):
    """Children's social care handing a family to early help, with the social worker's summary."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="step_downs")
    summary = models.TextField()
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=StepDownStatus.choices, default=StepDownStatus.AWAITING_ACCEPTANCE)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    accept_by = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="step_down")

    class Meta:
        ordering = ["accept_by"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=StepDownStatus.values), name="step_down_status_known"),
            models.CheckConstraint(
                condition=~models.Q(status="accepted") | models.Q(episode__isnull=False),
                name="step_down_accepted_opens_episode",
            ),
            models.CheckConstraint(
                condition=models.Q(status="awaiting_acceptance") | models.Q(decided_at__isnull=False),
                name="step_down_decision_recorded",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(status="awaiting_acceptance"),
                name="step_down_one_pending_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"Step down for {self.household} ({self.get_status_display()})"


class StepDirection(models.TextChoices):
    UP = "up", "Consider a step up"
    DOWN = "down", "Consider a step down"


class StepPromptNotice(models.Model):
    """A review's change in scale or level crossed a threshold: the lead professional should consider a step."""

    id = models.BigAutoField(primary_key=True)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="step_prompts")
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="step_prompts")
    direction = models.CharField(max_length=4, choices=StepDirection.choices)
    message = models.CharField(max_length=300)
    previous_level = models.PositiveSmallIntegerField(null=True, blank=True)
    new_level = models.PositiveSmallIntegerField(null=True, blank=True)
    previous_scale = models.PositiveSmallIntegerField(null=True, blank=True)
    new_scale = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(direction__in=StepDirection.values), name="prompt_direction"),
        ]

    def __str__(self) -> str:
        return self.message


# --- Closure -----------------------------------------------------------------------------------------------


class ClosureReason(models.TextChoices):
    OUTCOMES_ACHIEVED = "outcomes_achieved", "Outcomes achieved"
    STEPPED_DOWN = "stepped_down", "Stepped down to universal services"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    CONSENT_WITHDRAWN = "consent_withdrawn", "The family withdrew consent"
    OTHER = "other", "Other"


class EpisodeClosure(models.Model):
    """Why and when an episode closed; its need outcomes say what changed."""

    id = models.BigAutoField(primary_key=True)
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="closure")
    reason = models.CharField(max_length=20, choices=ClosureReason.choices)
    detail = models.TextField(blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField()

    class Meta:
        # closed_at places a closure in an indicator's period (K11, K13, K14, K17).
        indexes = [models.Index(fields=["closed_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(reason__in=ClosureReason.values), name="closure_reason_known"),
            models.CheckConstraint(
                condition=~models.Q(reason="other") | ~models.Q(detail=""), name="closure_other_explained"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.episode}: {self.get_reason_display()}"


class NeedOutcome(models.TextChoices):
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class ClosureNeedOutcome(models.Model):
    """How far one need found at assessment was met by closure: what outcomes are counted from."""

    id = models.BigAutoField(primary_key=True)
    closure = models.ForeignKey(EpisodeClosure, on_delete=models.CASCADE, related_name="need_outcomes")
    # The assessed need, by its id in the assessment, with its words as they stood at closure.
    need_ref = models.CharField(max_length=64, blank=True)
    need_text = models.CharField(max_length=500)
    outcome_area = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=12, choices=NeedOutcome.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(outcome__in=NeedOutcome.values), name="need_outcome_known"),
        ]

    def __str__(self) -> str:
        return f"{self.need_text}: {self.get_outcome_display()}"


class FeedbackAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_SURE = "not_sure", "I'm not sure"


def _answer_known(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": [*FeedbackAnswer.values, ""]}), name=f"feedback_{field}_known"
    )


class FeedbackInvitation(models.Model):
    """An invitation to the family to say how early help went, made at closure and answered once, before it
    expires, through a private link. Only a hash of the link's token is kept, so the database holds no
    working link. The lead professional's agency at closure is kept with it, for results by agency."""

    id = models.BigAutoField(primary_key=True)
    episode = models.OneToOneField(Episode, on_delete=models.CASCADE, related_name="feedback")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # K16's two questions, then the survey's others; an answer is blank where it was not given.
    better_supported = models.CharField(max_length=10, choices=FeedbackAnswer.choices, blank=True)
    know_where_to_go = models.CharField(max_length=10, choices=FeedbackAnswer.choices, blank=True)
    listened_to = models.CharField(max_length=10, choices=FeedbackAnswer.choices, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_range",
            ),
            _answer_known("better_supported"),
            _answer_known("know_where_to_go"),
            _answer_known("listened_to"),
            # An answer today answers K16's two questions; one brought from an earlier system may hold only
            # the 1 to 5 rating that system asked for.
            models.CheckConstraint(
                condition=models.Q(responded_at__isnull=True)
                | (~models.Q(better_supported="") & ~models.Q(know_where_to_go=""))
                | models.Q(rating__isnull=False),
                name="feedback_answer_answers",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="feedback_expires_after_made"
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.episode}"
