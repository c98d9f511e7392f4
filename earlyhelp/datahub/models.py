"""The partnership data hub: the datasets partners send, each file received, and the records stored from them."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from earlyhelp.accounts.models import Agency
from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.imports.models import ImportedFile


class LawfulBasis(models.TextChoices):
    """The UK GDPR Article 6 basis a dataset arrives under."""

    PUBLIC_TASK = "public_task", "Public task (UK GDPR Article 6(1)(e))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (UK GDPR Article 6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (UK GDPR Article 6(1)(d))"
    CONSENT = "consent", "Consent (UK GDPR Article 6(1)(a))"


class Dataset(models.Model):
    """One flow of records from a partner: which layout its files follow, and what allows the council to hold it."""

    name = models.CharField(max_length=200, unique=True)
    layout = models.CharField(max_length=100)
    source_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sharing_agreement = models.CharField(max_length=200)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    retention_months = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lawful_basis__in=LawfulBasis.values), name="dataset_lawful_basis_known"
            ),
            models.CheckConstraint(
                condition=models.Q(retention_months__gte=1, retention_months__lte=1200),
                name="dataset_retention_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UploadStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be checked"
    CHECKING = "checking", "Being checked"
    LINKING = "linking", "Being matched to the register"
    LOADED = "loaded", "Loaded"
    REFUSED = "refused", "Refused"
    ALREADY_LOADED = "already_loaded", "Already loaded"
    FAILED = "failed", "Failed"


FINISHED_STATUSES = frozenset(
    {UploadStatus.LOADED, UploadStatus.REFUSED, UploadStatus.ALREADY_LOADED, UploadStatus.FAILED}
)


class DatasetUpload(models.Model):
    """One file sent for a dataset, from its arrival until it is loaded or refused.

    The file's content is kept only until it has been checked (a worker may check it later); the
    report keeps no personal values, so it stays to be downloaded."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="uploads")
    file_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField(null=True, editable=False)
    status = models.CharField(max_length=20, choices=UploadStatus.choices, default=UploadStatus.QUEUED)
    stage = models.CharField(max_length=20, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    problem_count = models.PositiveIntegerField(default=0)
    report_csv = models.TextField(blank=True)
    stored_count = models.PositiveIntegerField(default=0)
    present_count = models.PositiveIntegerField(default=0)
    # What matching the stored records to the register found (see datahub/linkage.py).
    linked_count = models.PositiveIntegerField(default=0)
    review_count = models.PositiveIntegerField(default=0)
    partners_only_count = models.PositiveIntegerField(default=0)
    imported_file = models.ForeignKey(ImportedFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=UploadStatus.values), name="dataset_upload_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} upload {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class LinkStatus(models.TextChoices):
    """How far a partner record has been matched to a person on the register."""

    NOT_YET_MATCHED = "not_yet_matched", "Not yet matched"
    LINKED = "linked", "Linked to a person"
    IN_REVIEW = "in_review", "Waiting for clerical review"
    PARTNERS_ONLY = "partners_only", "Known to partners only"


class PartnerRecord(models.Model):
    """One row of a partner's file: who it is about (the identifying columns, kept for linkage) and what it says."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="records")
    upload = models.ForeignKey(DatasetUpload, on_delete=models.PROTECT, related_name="records")
    source_id = models.CharField(max_length=100)
    row_number = models.PositiveIntegerField()
    identifying = models.JSONField(default=dict)
    facts = models.JSONField(default=dict)
    link_status = models.CharField(max_length=20, choices=LinkStatus.choices, default=LinkStatus.NOT_YET_MATCHED)
    # The person on the register this record is about: set when linked (automatically or by a reviewer),
    # and for a record in review, the register person it was compared with.
    person = models.ForeignKey(
        "families.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="partner_records"
    )
    match_probability = models.FloatField(null=True, blank=True)
    # The evidence for and against `person`: each comparison's match weight (name: weight), for the reviewer.
    match_weights = models.JSONField(default=dict, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    # Who accepted the link in clerical review; empty when the matcher linked it on its own.
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dataset", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "source_id"], name="partner_record_once_per_dataset"),
            models.CheckConstraint(
                condition=models.Q(link_status__in=LinkStatus.values), name="partner_record_link_status_known"
            ),
            models.CheckConstraint(
                condition=~models.Q(link_status=LinkStatus.LINKED) | models.Q(person__isnull=False),
                name="partner_record_linked_has_person",
            ),
        ]
        indexes = [
            models.Index(fields=["link_status"], name="partner_record_link_status"),
            models.Index(fields=["person", "received_at"], name="partner_record_person"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} record {self.source_id}"


class Flag(models.Model):
    """A need found early: a rule (datahub flag rules) turned linked partner facts into a flag on a
    person, in one of the ten Supporting Families outcome areas. `records` are the partner records
    that raised it; `raised_on` is the date of the latest fact that counts, which places the flag
    in a period (the measuring-success indicators and the claims' sustainment check use it)."""

    person = models.ForeignKey("families.Person", on_delete=models.PROTECT, related_name="flags")
    rule = models.CharField(max_length=100)
    outcome_area = models.CharField(max_length=30, choices=OutcomeArea.choices)
    reason = models.CharField(max_length=300)
    raised_on = models.DateField()
    raised_at = models.DateTimeField(default=timezone.now)
    records = models.ManyToManyField(PartnerRecord, related_name="flags")

    class Meta:
        ordering = ["-raised_on", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["person", "rule", "raised_on"], name="flag_once_per_rule_and_day"),
            models.CheckConstraint(
                condition=models.Q(outcome_area__in=OutcomeArea.values), name="flag_outcome_area_known"
            ),
        ]
        indexes = [models.Index(fields=["person", "outcome_area", "raised_on"], name="flag_person_area")]

    def __str__(self) -> str:
        return f"{self.get_outcome_area_display()}: {self.reason}"


class IdentificationDismissal(models.Model):
    """A coordinator's decision that a family on the identification list does not need early help
    now, with why. The family stays off the list until a flag is raised on one of its members after
    `dismissed_at`."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=1000)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-dismissed_at"]
        indexes = [models.Index(fields=["household", "dismissed_at"], name="identification_dismissal")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="identification_dismissal_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Dismissed from the identification list on {self.dismissed_at:%d %b %Y}"


class DuplicateStatus(models.TextChoices):
    """Where a likely duplicate pair on the register stands."""

    WAITING = "waiting", "Waiting for review"
    MERGED = "merged", "Merged"
    NOT_SAME = "not_same", "Not the same person"


class RegisterDuplicate(models.Model):
    """Two records on the register the matching model found likely to be one person, with its evidence,
    until someone merges them or decides they are two people.

    The two records are held by id, not by foreign key: a merge moves every foreign key to the duplicate
    onto the record kept (families/merging.py), and this pair must stay the two records that were compared.
    `person_a` is the lower id, so each pair is stored once."""

    person_a = models.UUIDField()
    person_b = models.UUIDField()
    match_probability = models.FloatField()
    match_weight = models.FloatField()
    # The evidence for and against: each comparison's match weight (name: weight).
    match_weights = models.JSONField(default=dict, blank=True)
    # The model's band for the pair: sure enough to link two records without a person, or review.
    band = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(max_length=1000, blank=True)
    # The merge that settled the pair, so that undoing it sets the pair waiting again.
    merge = models.ForeignKey("families.PersonMerge", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    found_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-match_probability", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="register_duplicate_pair_once"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="register_duplicate_pair_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DuplicateStatus.values), name="register_duplicate_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status=DuplicateStatus.WAITING) | models.Q(decided_at__isnull=False),
                name="register_duplicate_decided_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "-match_probability"], name="register_duplicate_waiting")]

    def __str__(self) -> str:
        return f"Likely duplicate {self.person_a} and {self.person_b} ({self.status})"


class SearchStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Searching"
    FINISHED = "finished", "Finished"
    STOPPED = "stopped", "Stopped"
    FAILED = "failed", "Failed"


class DuplicateSearch(models.Model):
    """One search of the register for duplicates of itself (the page's button, the background task or the
    command): its progress while it runs and what it found. Counts only; no one's details."""

    status = models.CharField(max_length=20, choices=SearchStatus.choices, default=SearchStatus.QUEUED)
    stage = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    compared = models.PositiveIntegerField(default=0)
    proposed = models.PositiveIntegerField(default=0)
    waiting = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=SearchStatus.values), name="duplicate_search_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Search for duplicates {self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (SearchStatus.FINISHED, SearchStatus.STOPPED, SearchStatus.FAILED)
