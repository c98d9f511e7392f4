"""The family register: people, the households they live in, how they are related, and which
practitioners and teams are involved with each household."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper

from earlyhelp.accounts.models import Agency, Locality, Team


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class Ethnicity(models.TextChoices):
    """The 2021 Census high-level groups, as used in the school census and CIN census."""

    WHITE = "white", "White"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class NhsNumberMissingReason(models.TextChoices):
    """Why a child on the register has no NHS number, the consistent child identifier (Children's
    Wellbeing and Schools Act 2026, s.16LC)."""

    NOT_YET_KNOWN = "not_yet_known", "Not yet known"
    BEING_TRACED = "being_traced", "Being traced with the NHS"
    NO_GP = "no_gp", "Not registered with a GP"
    BORN_ABROAD = "born_abroad", "Born abroad, not yet issued"
    WITHHELD = "withheld", "Withheld, for a reason recorded"
    OTHER = "other", "Another reason"


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Lower-case, accent-free "given family": the form names are matched in (see rules.name_search_key).
    # On PostgreSQL indexes of its words and trigrams serve typo-tolerant search (migrations 0002, 0005).
    search_name = models.CharField(max_length=201, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=12, choices=Ethnicity.choices, blank=True)
    nhs_number = models.CharField(max_length=10, null=True, blank=True, unique=True)
    upn = models.CharField("Unique Pupil Number", max_length=13, null=True, blank=True, unique=True)
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    # Why a child has no NHS number, when and by whom it was recorded; cleared when the number is recorded.
    nhs_number_missing_reason = models.CharField(max_length=20, choices=NhsNumberMissingReason.choices, blank=True)
    nhs_number_missing_detail = models.CharField(max_length=500, blank=True)
    nhs_number_missing_recorded_at = models.DateTimeField(null=True, blank=True)
    nhs_number_missing_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A duplicate record merged into the survivor's (see merging.py): kept, hidden from searches and lists.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_duplicates"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["date_of_birth"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True) | models.Q(expected_date_of_birth__isnull=True),
                name="person_birth_or_expected_not_both",
            ),
            models.CheckConstraint(
                condition=models.Q(nhs_number_missing_reason="") | models.Q(nhs_number__isnull=True),
                name="person_nhs_missing_reason_only_without_number",
            ),
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("id")), name="person_not_merged_into_self"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None


class PersonName(models.Model):
    """A name the person was known by before: kept so a search by an old name still finds them."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="previous_names")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    search_name = models.CharField(max_length=201, editable=False)
    used_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-used_until"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Household(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, help_text="How the family is known, for example “Smith family”")
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="households")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Upper("name"), name="household_name_upper")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    CHILD = "child", "Child or young person"
    UNBORN = "unborn", "Unborn child"
    OTHER_ADULT = "other_adult", "Other adult"


class Membership(models.Model):
    """A person living in a household over a period; a move ends one membership and starts another."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["household", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="membership_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["household", "person"],
                condition=models.Q(ended_on__isnull=True),
                name="membership_one_current_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.household} ({self.get_role_display()})"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class RelationshipKind(models.TextChoices):
    PARENT = "parent", "Parent of"
    CARER = "carer", "Carer of"
    SIBLING = "sibling", "Sibling of"
    PARTNER = "partner", "Partner of"
    OTHER = "other", "Other relationship to"


class Relationship(models.Model):
    """`person` is <kind> `relative`: e.g. person is parent of relative."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_as_relative")
    kind = models.CharField(max_length=10, choices=RelationshipKind.choices)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~models.Q(person=models.F("relative")), name="relationship_not_to_self"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(started_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="relationship_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display().lower()} {self.relative}"


class InvolvementRole(models.TextChoices):
    LEAD_PROFESSIONAL = "lead", "Lead professional"
    CASE_HOLDER = "case_holder", "Team holding the case"
    TAF_MEMBER = "taf", "Team Around the Family member"
    CONTRIBUTOR = "contributor", "Contributing practitioner"


class InvolvementQuerySet(models.QuerySet):
    def current_lead(self) -> "InvolvementQuerySet":
        """The lead professional's involvement now: at most one per household (involvement_one_current_lead)."""
        return self.filter(role=InvolvementRole.LEAD_PROFESSIONAL, ended_on__isnull=True)


class Involvement(models.Model):
    """A practitioner or team working with a household over a period. Access follows it."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="involvements"
    )
    role = models.CharField(max_length=12, choices=InvolvementRole.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["practitioner", "ended_on"]),
            models.Index(fields=["team", "ended_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="involvement_dates_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(practitioner__isnull=False) | models.Q(team__isnull=False),
                name="involvement_names_practitioner_or_team",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(role="lead", ended_on__isnull=True),
                name="involvement_one_current_lead",
            ),
        ]

    def __str__(self) -> str:
        # The database requires a practitioner or a team, so one of the two is always there.
        who = self.practitioner.display_name if self.practitioner is not None else getattr(self.team, "name", "")
        return f"{who}: {self.get_role_display()} for {self.household}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class BreakGlassGrant(models.Model):
    """A practitioner not involved with a family opened its record for a stated reason, for a
    limited time. Access follows the grant while it lasts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at", "-id"]
        # The table keeps the name it was created with, when grants were part of data protection.
        db_table = "dataprotection_breakglassgrant"
        indexes = [models.Index(fields=["user", "expires_at"], name="dataprotect_user_id_854a40_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="break_glass_reason_given"),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="break_glass_expires_after_granted"
            ),
        ]

    def __str__(self) -> str:
        return f"Break-glass {self.pk} until {self.expires_at:%Y-%m-%d %H:%M}"


class PersonMerge(models.Model):
    """A duplicate record merged into the survivor's: what was moved, what was left (parked) on the
    duplicate because the survivor already had its like, and what was carried over, so that undoing
    the merge moves exactly those back."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    reason = models.TextField()
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Identifiers the survivor lacked and took from the duplicate, and the survivor's values they replaced.
    carried = models.JSONField(default=dict, blank=True)
    # The duplicate's name, added to the survivor's previous names so a search by it finds the survivor.
    added_name = models.ForeignKey(PersonName, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(survivor=models.F("duplicate")), name="merge_not_into_self"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="merge_reason_given"),
            models.UniqueConstraint(
                fields=["duplicate"], condition=models.Q(undone_at__isnull=True), name="merge_one_current_per_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return f"Merge {self.pk}: {self.duplicate_id} into {self.survivor_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None


class PersonMergeMove(models.Model):
    """One row that referred to the duplicate: moved to the survivor, or parked (left on the duplicate)
    because moving it would clash with a row the survivor has (`clash` names the rule)."""

    merge = models.ForeignKey(PersonMerge, on_delete=models.CASCADE, related_name="moves")
    model_label = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    field_name = models.CharField(max_length=100)
    parked = models.BooleanField(default=False)
    clash = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["model_label", "field_name", "id"]

    def __str__(self) -> str:
        return f"{self.model_label}.{self.field_name} {self.object_pk}"
