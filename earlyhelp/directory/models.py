"""The service directory (the Family Information Service), shaped on Open Referral UK 3.0.

Each table of the standard is a model with a UUID primary key, the standard's id. Fields the
UK profile leaves out but families need (a contact's phone numbers and email, a language's name,
a service's eligibility and how to apply) are kept under their HSDS 3.0 core names, so the
export carries them as the core specification names them (docs/directory.md, "Extensions").

Fields marked "internal" are this system's own: publication, review and search. They never appear
in the ORUK output. Every write goes through services.py.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from earlyhelp.accounts.models import Agency, Locality


def _uuid_pk() -> models.UUIDField:
    return models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)


class Taxonomy(models.Model):
    id = _uuid_pk()
    name = models.CharField(max_length=200)
    description = models.TextField()
    uri = models.URLField(max_length=500, blank=True)
    version = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    id = _uuid_pk()
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms")
    # ORUK's free-text "taxonomy": which established taxonomy a term comes from, where there is no taxonomy record.
    taxonomy_name = models.CharField(max_length=250, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    name = models.CharField(max_length=250)
    description = models.TextField()
    term = models.CharField(max_length=250, blank=True)
    term_uri = models.URLField(max_length=500, blank=True)
    # Internal: the name as a URL word ("school-attendance"), for the public search by need.
    slug = models.SlugField(max_length=250, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["slug"])]

    def __str__(self) -> str:
        return self.name


class Organization(models.Model):
    id = _uuid_pk()
    name = models.CharField(max_length=250)
    description = models.TextField()
    email = models.EmailField(blank=True)
    website = models.URLField(max_length=500, blank=True)
    logo = models.CharField(max_length=500, blank=True)
    uri = models.URLField(max_length=500, blank=True)
    parent = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children")
    # The partnership agency this provider is, where it is one: consent to share a family's information
    # is recorded for agencies, so a referral to the provider's services waits for consent to this agency.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_organizations",
        help_text="The partnership agency this provider is, for consent to share a family's information with it",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="identifiers")
    identifier_scheme = models.CharField(max_length=100, blank=True)
    identifier_type = models.CharField(max_length=100)
    identifier = models.CharField(max_length=100)

    def __str__(self) -> str:
        return f"{self.identifier_type} {self.identifier}"


class ServiceStatus(models.TextChoices):
    """ORUK's service status: whether the service is running, not whether it is listed."""

    ACTIVE = "active", "Running"
    TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"
    INACTIVE = "inactive", "Not running at the moment"
    DEFUNCT = "defunct", "Closed for good"


class ReviewStatus(models.TextChoices):
    """Internal: where a listing is on its way to publication."""

    DRAFT = "draft", "Draft"
    PENDING = "pending", "Waiting for review"
    RETURNED = "returned", "Returned for changes"
    PUBLISHED = "published", "Published"


class Service(models.Model):
    id = _uuid_pk()
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    # ORUK marks the free-text fees deprecated in favour of cost options; kept so imports lose nothing.
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    maximum_age = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # HSDS 3.0 core fields the UK profile leaves out (exported as extensions).
    eligibility_description = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    # When the listing was last checked, and by whom: the review date of the staff work list.
    assured_date = models.DateField(null=True, blank=True)
    assurer_email = models.EmailField(blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField()

    # Internal.
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    # Why the Early Help Team returned a new listing to its editor; cleared when it is sent again.
    review_note = models.TextField(blank=True)
    # Lower-case words of the name, description, organisation and needs: SQLite searches it word by word.
    search_text = models.TextField(blank=True, editable=False)
    # PostgreSQL's full-text form of search_text, kept by a database trigger and indexed (migration 0003);
    # always empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["review_status", "name"]),
            models.Index(fields=["review_status", "assured_date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ServiceStatus.values), name="service_status_known"),
            models.CheckConstraint(
                condition=models.Q(review_status__in=ReviewStatus.values), name="service_review_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_ages_in_order",
            ),
            models.CheckConstraint(
                condition=(models.Q(minimum_age__isnull=True) | models.Q(minimum_age__gte=0))
                & (models.Q(maximum_age__isnull=True) | models.Q(maximum_age__gte=0)),
                name="service_ages_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.review_status == ReviewStatus.PUBLISHED


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "A place people visit"
    POSTAL = "postal", "Postal address"
    VIRTUAL = "virtual", "Online or by phone"


class Location(models.Model):
    id = _uuid_pk()
    location_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)
    name = models.CharField(max_length=250, blank=True)
    description = models.TextField(blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["latitude", "longitude"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(location_type__in=LocationType.values), name="location_type_known"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    id = _uuid_pk()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=250, blank=True)
    address_1 = models.CharField(max_length=250)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    state_province = models.CharField(max_length=100)
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, default="GB")
    address_type = models.CharField(max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city} {self.postal_code}"


class Accessibility(models.Model):
    id = _uuid_pk()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibility")
    description = models.TextField(blank=True)
    details = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    accessibility = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "accessibility"

    def __str__(self) -> str:
        return self.description or self.accessibility


class ServiceAtLocation(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="service_at_location_once"),
        ]

    def __str__(self) -> str:
        return f"{self.service} at {self.location}"


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", "Weekly"
    MONTHLY = "MONTHLY", "Monthly"


class Schedule(models.Model):
    """When a service runs, as an RFC 5545 recurrence (ORUK's schedule)."""

    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=7, choices=Frequency.choices, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=100, blank=True)
    bymonthday = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    schedule_link = models.URLField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=250, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(freq="") | models.Q(freq__in=Frequency.values), name="schedule_freq_known"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="schedule_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}–{self.closes_at}"


class ServiceArea(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=250, blank=True)
    service_area = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    # Internal: the postcode districts the area covers ("L33 L34"), read from a "text" extent that
    # lists them; blank where the extent says otherwise, and then the area does not narrow a search.
    postcode_districts = models.CharField(max_length=500, blank=True, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.service_area


class Contact(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=250, blank=True)
    title = models.CharField(max_length=250, blank=True)
    email = models.EmailField(blank=True)  # HSDS 3.0 core; the UK profile leaves it out

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.title or str(self.id)


class Phone(models.Model):
    """A phone number of a service's contact (ORUK links phones to contacts only)."""

    id = _uuid_pk()
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=50)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class Language(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    # HSDS 3.0 core; the UK profile keeps only the id.
    name = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.code


class Funding(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "funding"

    def __str__(self) -> str:
        return self.source


class CostOption(models.Model):
    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(max_length=250, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    amount_description = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0), name="cost_option_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.option


ATTRIBUTE_LINKS = (
    "service",
    "organization",
    "organization_identifier",
    "location",
    "address",
    "accessibility",
    "contact",
)


def _exactly_one(fields: tuple[str, ...]) -> models.Q:
    condition = models.Q()
    for chosen in fields:
        condition |= models.Q(**{f"{field}__isnull": field != chosen for field in fields})
    return condition


class Attribute(models.Model):
    """A taxonomy term describing one record: a service's needs, a location's facilities.

    ORUK links an attribute to any record by `link_id`; here it is one of several foreign keys,
    exactly one set, so the database keeps the link whole and deletes it with its record.
    """

    id = _uuid_pk()
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes")
    link_type = models.CharField(max_length=100, blank=True)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes"
    )
    organization_identifier = models.ForeignKey(
        OrganizationIdentifier, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes")
    address = models.ForeignKey(Address, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes")
    accessibility = models.ForeignKey(
        Accessibility, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="attributes")

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["taxonomy_term", "service"])]
        constraints = [
            models.CheckConstraint(condition=_exactly_one(ATTRIBUTE_LINKS), name="attribute_links_one_record"),
        ]

    def __str__(self) -> str:
        return str(self.taxonomy_term)

    @property
    def link_id(self) -> uuid.UUID:
        return next(getattr(self, f"{link}_id") for link in ATTRIBUTE_LINKS if getattr(self, f"{link}_id"))


class Metadata(models.Model):
    """HSDS's change record: one row per changed field of a directory record, with who changed it.

    The UK profile does not publish it, so the API leaves it out; the staff pages show it as a listing's history.
    """

    id = _uuid_pk()
    resource_id = models.UUIDField(db_index=True)
    resource_type = models.CharField(max_length=50)
    last_action_date = models.DateTimeField()
    last_action_type = models.CharField(max_length=20)
    field_name = models.CharField(max_length=100, blank=True)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-last_action_date", "field_name"]
        verbose_name_plural = "metadata"

    def __str__(self) -> str:
        return f"{self.resource_type} {self.last_action_type} {self.field_name}"


class DirectoryEditor(models.Model):
    """A person who keeps an organisation's listings up to date (a provider's editor)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_editing")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="editors")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="directory_editor_once")]

    def __str__(self) -> str:
        return f"{self.user} edits {self.organization}"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned for changes"


class ServiceChange(models.Model):
    """A change to a published listing, proposed by its editor and waiting for the Early Help Team.

    The published listing stays as it is until the change is approved. A change with no fields is
    the editor confirming the listing is still correct.
    """

    id = _uuid_pk()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="changes")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    # The listing as the editor wants it: ListingDetails as JSON (see services.ListingDetails).
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ChangeStatus.values), name="change_status_known"),
            models.UniqueConstraint(
                fields=["service"], condition=models.Q(status="pending"), name="change_one_pending_per_service"
            ),
        ]

    def __str__(self) -> str:
        return f"Change to {self.service} ({self.get_status_display()})"


class PostcodeCentroid(models.Model):
    """Where a postcode is: loaded from the ONS Postcode Directory by `manage.py load_postcodes`."""

    postcode = models.CharField(max_length=8, primary_key=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    district = models.CharField(max_length=4, db_index=True)
    sector = models.CharField(max_length=6, db_index=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class LocalityPostcodes(models.Model):
    """The postcode districts that make up a locality, for the coverage report and area searches."""

    locality = models.OneToOneField(Locality, on_delete=models.CASCADE, related_name="directory_postcodes")
    postcode_districts = models.CharField(max_length=500, help_text="Outward codes separated by spaces, like “L33 L34”")

    class Meta:
        ordering = ["locality__name"]
        verbose_name_plural = "locality postcodes"

    def __str__(self) -> str:
        return f"{self.locality}: {self.postcode_districts}"
