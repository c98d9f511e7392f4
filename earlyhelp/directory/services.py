"""Every change to the directory. Each service runs in one transaction and records its audit event
(and, for listings, HSDS metadata rows naming each changed field) in it.

A listing's way to publication (a state machine; docs/directory.md):

    draft ──submit──▶ pending ──approve──▶ published
      ▲                  │                     │
      └──── returned ◀───┘ return              │ an editor's change waits as a ServiceChange
                                               ▼ until the Early Help Team approves or returns it

Coordinators (the Early Help Team) review; their own edits publish at once. Approving a listing or
a change, or confirming it is still correct, sets its review date (ORUK's assured_date).
"""

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields, replace
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from earlyhelp.accounts import capabilities
from earlyhelp.accounts.models import Locality, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.families.rules import POSTCODE_INVALID

from . import rules
from .access import editable_organizations
from .models import (
    Address,
    Attribute,
    ChangeStatus,
    Contact,
    CostOption,
    DirectoryEditor,
    LocalityPostcodes,
    Location,
    LocationType,
    Metadata,
    Organization,
    Phone,
    PostcodeCentroid,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from .needs import NEED_LINK_TYPE, NEEDS_TAXONOMY_ID, install_needs
from .selectors import postcode_point

NAME_REQUIRED = "Enter the name of the service"
NOT_YOUR_ORGANISATION = "You can only add listings for an organisation you look after"
NOT_YOUR_LISTING = "You can only change listings of an organisation you look after"
REVIEWERS_ONLY = "Only the Early Help Team can approve or return listings"
CANNOT_SUBMIT = "Only a draft or returned listing can be sent for review"
NOTHING_TO_REVIEW = "This listing has nothing waiting for review"
RETURN_NEEDS_NOTE = "Say what needs to change, so the editor knows what to do"
UNKNOWN_NEED = "Choose needs from the list"
UNKNOWN_LOCALITY = "Choose areas from the list"
VENUE_NEEDS_ADDRESS = "Enter the first line of the address, the town and the postcode, or leave all three blank"
DAYS_NEED_TIMES = "Enter the opening and closing times for the days you chose"
TIMES_NEED_DAYS = "Choose the days the service runs"
SUPERSEDED = (
    "The Early Help Team changed the listing themselves; check it and propose your change again if it is still needed"
)

LISTING = "directory_service"


@dataclass(frozen=True)
class ListingDetails:
    """What an editor fills in for a listing. The main venue, opening times, phone and cost of a listing
    are its first of each; imported listings may have more, which the form leaves as they are."""

    name: str
    description: str = ""
    needs: tuple[uuid.UUID, ...] = ()
    minimum_age: Decimal | None = None
    maximum_age: Decimal | None = None
    eligibility_description: str = ""
    application_process: str = ""
    email: str = ""
    url: str = ""
    phone: str = ""
    cost_amount: Decimal | None = None
    cost_description: str = ""
    status: str = ServiceStatus.ACTIVE
    alert: str = ""
    venue_name: str = ""
    address_1: str = ""
    town: str = ""
    postcode: str = ""
    days: tuple[str, ...] = ()
    opens_at: time | None = None
    closes_at: time | None = None
    times_description: str = ""
    localities: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON, for a change waiting for review."""
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, Decimal | uuid.UUID):
                data[name] = str(value)
            elif isinstance(value, time):
                data[name] = value.strftime("%H:%M")
            elif isinstance(value, tuple):
                data[name] = [str(item) if isinstance(item, uuid.UUID) else item for item in value]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ListingDetails":
        known = {item.name for item in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        for name in ("minimum_age", "maximum_age", "cost_amount"):
            values[name] = Decimal(values[name]) if values.get(name) not in (None, "") else None
        for name in ("opens_at", "closes_at"):
            values[name] = time.fromisoformat(values[name]) if values.get(name) else None
        values["needs"] = tuple(uuid.UUID(str(item)) for item in values.get("needs", ()))
        values["days"] = tuple(values.get("days", ()))
        values["localities"] = tuple(int(item) for item in values.get("localities", ()))
        return cls(**values)

    def errors(self) -> dict[str, str]:
        errors = rules.age_range_errors(self.minimum_age, self.maximum_age)
        if not self.name.strip():
            errors["name"] = NAME_REQUIRED
        venue = [self.address_1.strip(), self.town.strip(), self.postcode.strip()]
        if any(venue) and not all(venue):
            errors["address_1"] = VENUE_NEEDS_ADDRESS
        elif self.postcode and rules.clean_postcode(self.postcode) is None:
            errors["postcode"] = POSTCODE_INVALID
        if self.days and not (self.opens_at and self.closes_at):
            errors["opens_at"] = DAYS_NEED_TIMES
        elif (self.opens_at or self.closes_at) and not self.days:
            errors["days"] = TIMES_NEED_DAYS
        elif self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = rules.TIMES_OUT_OF_ORDER
        if any(day not in rules.DAY_CODES for day in self.days):
            errors["days"] = TIMES_NEED_DAYS
        if self.status not in ServiceStatus.values:
            errors["status"] = "Choose whether the service is running"
        return errors


# --- Reading a listing back as the form's details --------------------------------------------


def _first(items: Iterable[Any]) -> Any:
    return next(iter(items), None)


def _main_place(service: Service) -> ServiceAtLocation | None:
    return _first(service.service_at_locations.select_related("location").order_by("id"))


def _main_schedule(service: Service) -> Schedule | None:
    return _first(service.schedules.filter(service_at_location__isnull=True).order_by("id"))


def _main_phone(service: Service) -> Phone | None:
    return _first(Phone.objects.filter(contact__service=service).order_by("contact_id", "id"))


def _locality_areas(service: Service) -> dict[str, ServiceArea]:
    """The service's areas that name a locality: the ones the form manages, by locality name."""
    names = set(Locality.objects.values_list("name", flat=True))
    return {area.name: area for area in service.service_areas.all() if area.name in names}


def listing_details_of(service: Service) -> ListingDetails:
    """The listing as the form shows it."""
    place = _main_place(service)
    address = _first(place.location.addresses.order_by("id")) if place else None
    schedule = _main_schedule(service)
    phone = _main_phone(service)
    cost = _first(service.cost_options.order_by("id"))
    localities = Locality.objects.filter(name__in=_locality_areas(service).keys()).order_by("name")
    return ListingDetails(
        name=service.name,
        description=service.description,
        needs=tuple(
            sorted(
                service.attributes.filter(taxonomy_term__taxonomy_id=NEEDS_TAXONOMY_ID).values_list(
                    "taxonomy_term_id", flat=True
                ),
                key=str,
            )
        ),
        minimum_age=service.minimum_age,
        maximum_age=service.maximum_age,
        eligibility_description=service.eligibility_description,
        application_process=service.application_process,
        email=service.email,
        url=service.url,
        phone=phone.number if phone else "",
        cost_amount=cost.amount if cost else None,
        cost_description=cost.amount_description if cost else "",
        status=service.status,
        alert=service.alert,
        venue_name=place.location.name if place else "",
        address_1=address.address_1 if address else "",
        town=address.city if address else "",
        postcode=address.postal_code if address else "",
        days=tuple(rules.byday_codes(schedule.byday)) if schedule else (),
        opens_at=schedule.opens_at if schedule else None,
        closes_at=schedule.closes_at if schedule else None,
        times_description=schedule.description if schedule else "",
        localities=tuple(localities.values_list("id", flat=True)),
    )


def listing_differences(before: ListingDetails, after: ListingDetails) -> dict[str, tuple[Any, Any]]:
    """The fields that differ, with their old and new values."""
    return {
        item.name: (getattr(before, item.name), getattr(after, item.name))
        for item in fields(ListingDetails)
        if getattr(before, item.name) != getattr(after, item.name)
    }


# --- Writing a listing ---------------------------------------------------------------------


def _clean(details: ListingDetails) -> ListingDetails:
    errors = details.errors()
    needs = set(details.needs)
    if needs and TaxonomyTerm.objects.filter(id__in=needs, taxonomy_id=NEEDS_TAXONOMY_ID).count() != len(needs):
        errors["needs"] = UNKNOWN_NEED
    localities = set(details.localities)
    if localities and Locality.objects.filter(id__in=localities).count() != len(localities):
        errors["localities"] = UNKNOWN_LOCALITY
    if errors:
        raise ValidationError(errors)
    return replace(
        details,
        name=details.name.strip(),
        postcode=rules.clean_postcode(details.postcode) or "",
        days=tuple(day for day in rules.DAY_CODES if day in details.days),
        needs=tuple(sorted(needs, key=str)),
        localities=tuple(sorted(localities)),
    )


def refresh_search_text(service: Service) -> None:
    """Recompute the words a search matches: name, description, organisation, needs and places."""
    terms = service.attributes.values_list("taxonomy_term__name", flat=True)
    places = ServiceAtLocation.objects.filter(service=service).values_list("location__name", flat=True)
    service.search_text = rules.search_text_of(
        service.name, service.description, service.organization.name, *terms, *places, service.eligibility_description
    )
    Service.objects.filter(pk=service.pk).update(search_text=service.search_text)


def _set_needs(service: Service, needs: tuple[uuid.UUID, ...]) -> None:
    current = service.attributes.filter(taxonomy_term__taxonomy_id=NEEDS_TAXONOMY_ID)
    current.exclude(taxonomy_term_id__in=needs).delete()
    have = set(current.values_list("taxonomy_term_id", flat=True))
    Attribute.objects.bulk_create(
        [
            Attribute(service=service, taxonomy_term_id=term_id, link_type=NEED_LINK_TYPE)
            for term_id in needs
            if term_id not in have
        ]
    )


def _set_phone(service: Service, number: str) -> None:
    phone = _main_phone(service)
    if not number:
        if phone:
            phone.delete()
        return
    if phone:
        phone.number = number
        phone.save(update_fields=["number"])
        return
    contact = _first(service.contacts.order_by("id")) or Contact.objects.create(service=service, name="Enquiries")
    Phone.objects.create(contact=contact, number=number)


def _coordinates(postcode: str) -> tuple[Decimal | None, Decimal | None]:
    """A venue's coordinates from its postcode, or its sector's centre; none rather than a district's."""
    point = postcode_point(postcode)
    if point is None or point.precision == "district":
        return None, None
    return Decimal(f"{point.latitude:.6f}"), Decimal(f"{point.longitude:.6f}")


def _set_venue(service: Service, details: ListingDetails) -> None:
    place = _main_place(service)
    if not details.address_1:
        if place and service.service_at_locations.count() == 1:
            location = place.location
            place.delete()
            if not location.service_at_locations.exists():
                location.delete()
        return
    if place is None:
        place = ServiceAtLocation.objects.create(
            service=service, location=Location.objects.create(location_type=LocationType.PHYSICAL)
        )
    location = place.location
    address = _first(location.addresses.order_by("id")) or Address(location=location)
    wanted = (details.venue_name, details.address_1, details.town, details.postcode)
    if wanted == (location.name, address.address_1, address.city, address.postal_code):
        return
    if location.service_at_locations.exclude(pk=place.pk).exists():
        # Other services meet at this venue too: this one moves to a venue of its own instead.
        location = Location.objects.create(location_type=LocationType.PHYSICAL)
        place.location = location
        place.save(update_fields=["location"])
        address = Address(location=location)
    moved = address.postal_code != details.postcode
    address.address_1, address.city, address.postal_code = details.address_1, details.town, details.postcode
    address.save()
    location.name = details.venue_name
    if moved or location.latitude is None:
        location.latitude, location.longitude = _coordinates(details.postcode)
    location.save()


def _set_schedule(service: Service, details: ListingDetails) -> None:
    schedule = _main_schedule(service)
    if not (details.days or details.times_description):
        if schedule:
            schedule.delete()
        return
    schedule = schedule or Schedule(service=service)
    if details.days:
        schedule.freq, schedule.interval = "WEEKLY", 1
    schedule.byday = ",".join(details.days)
    schedule.opens_at, schedule.closes_at = details.opens_at, details.closes_at
    schedule.description = details.times_description
    schedule.save()


def _set_cost(service: Service, details: ListingDetails) -> None:
    cost = _first(service.cost_options.order_by("id"))
    if details.cost_amount is None and not details.cost_description:
        if cost:
            cost.delete()
        return
    cost = cost or CostOption(service=service)
    cost.amount, cost.amount_description = details.cost_amount, details.cost_description
    cost.save()


def locality_area_fields(locality: Locality) -> dict[str, str]:
    """A service area for one locality, as ORUK carries it: the districts in a "text" extent."""
    districts = getattr(locality, "directory_postcodes", None)
    listed = rules.parse_postcode_districts(districts.postcode_districts) if districts else []
    return {
        "name": locality.name,
        "service_area": f"Families living in {locality.name}",
        "extent": " ".join(listed),
        "extent_type": "text" if listed else "",
        "postcode_districts": area_districts_field(listed),
    }


def area_districts_field(districts: list[str]) -> str:
    """The internal form of an area's districts: space-separated with a space each side, for whole-word search."""
    return f" {' '.join(districts)} " if districts else ""


def _set_areas(service: Service, localities: tuple[int, ...]) -> None:
    managed = _locality_areas(service)
    chosen = {
        locality.name: locality
        for locality in Locality.objects.filter(id__in=localities).select_related("directory_postcodes")
    }
    for name, area in managed.items():
        if name not in chosen:
            area.delete()
    for name, locality in chosen.items():
        values = locality_area_fields(locality)
        if name in managed:
            ServiceArea.objects.filter(pk=managed[name].pk).update(**values)
        else:
            ServiceArea.objects.create(service=service, **values)


def _apply(service: Service, details: ListingDetails, *, actor: User) -> None:
    before = None if service._state.adding else listing_details_of(service)
    for name in (
        "name",
        "description",
        "minimum_age",
        "maximum_age",
        "eligibility_description",
        "application_process",
        "email",
        "url",
        "status",
        "alert",
    ):
        setattr(service, name, getattr(details, name))
    service.last_modified = rules.whole_milliseconds(timezone.now())
    service.save()
    _set_needs(service, details.needs)
    _set_phone(service, details.phone)
    _set_venue(service, details)
    _set_schedule(service, details)
    _set_cost(service, details)
    _set_areas(service, details.localities)
    refresh_search_text(service)
    _record_metadata(service, before, listing_details_of(service), actor=actor)


def _record_metadata(service: Service, before: ListingDetails | None, after: ListingDetails, *, actor: User) -> None:
    at = timezone.now()
    if before is None:
        Metadata.objects.create(
            resource_id=service.id,
            resource_type="service",
            last_action_date=at,
            last_action_type="create",
            updated_by=actor.username,
        )
        return
    Metadata.objects.bulk_create(
        [
            Metadata(
                resource_id=service.id,
                resource_type="service",
                last_action_date=at,
                last_action_type="update",
                field_name=name,
                previous_value=_shown(old),
                replacement_value=_shown(new),
                updated_by=actor.username,
            )
            for name, (old, new) in listing_differences(before, after).items()
        ]
    )


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _audit(actor: User, service: Service, step: str, action: str = Action.CHANGE, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=LISTING,
        object_id=service.id,
        details={"step": step, "organization": str(service.organization_id), **details},
    )


def _assure(service: Service, actor: User) -> None:
    service.assured_date = timezone.localdate()
    service.assurer_email = actor.email
    Service.objects.filter(pk=service.pk).update(assured_date=service.assured_date, assurer_email=actor.email)


@transaction.atomic
def listing_create(*, actor: User, organization: Organization, details: ListingDetails) -> Service:
    """Start a listing for an organisation the actor looks after. It stays a draft until reviewed,
    except that the Early Help Team's own listings are published at once."""
    if not editable_organizations(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied(NOT_YOUR_ORGANISATION)
    details = _clean(details)
    service = Service(organization=organization)
    service.review_status = ReviewStatus.PUBLISHED if capabilities.can_review_listings(actor) else ReviewStatus.DRAFT
    _apply(service, details, actor=actor)
    if capabilities.can_review_listings(actor):
        _assure(service, actor)
    _audit(actor, service, "created", Action.CREATE, review_status=service.review_status)
    return service


@transaction.atomic
def listing_save(*, actor: User, service: Service, details: ListingDetails) -> ServiceChange | None:
    """Save an editor's changes. A published listing stays as it is and the change waits for review
    (replacing any earlier change still waiting); anything else, or a reviewer's change, applies now."""
    _check_may_edit(actor, service)
    details = _clean(details)
    if service.is_published and not capabilities.can_review_listings(actor):
        ServiceChange.objects.filter(service=service, status=ChangeStatus.PENDING).delete()
        change = ServiceChange.objects.create(
            service=service, proposed_by=actor, proposed_at=timezone.now(), details=details.to_json()
        )
        _audit(actor, service, "change proposed")
        return change
    _apply(service, details, actor=actor)
    if capabilities.can_review_listings(actor) and service.is_published:
        _assure(service, actor)
        waiting = service.changes.filter(status=ChangeStatus.PENDING).first()
        if waiting is not None:
            _decide(waiting, actor, ChangeStatus.RETURNED, note=SUPERSEDED)
    _audit(actor, service, "changed", review_status=service.review_status)
    return None


def _check_may_edit(actor: User, service: Service) -> None:
    if not editable_organizations(actor).filter(pk=service.organization_id).exists():
        raise PermissionDenied(NOT_YOUR_LISTING)


@transaction.atomic
def listing_submit(*, actor: User, service: Service) -> None:
    """Send a draft or returned listing to the Early Help Team for review."""
    _check_may_edit(actor, service)
    if service.review_status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(CANNOT_SUBMIT)
    service.review_status, service.review_note = ReviewStatus.PENDING, ""
    service.save(update_fields=["review_status", "review_note"])
    _audit(actor, service, "submitted")


@transaction.atomic
def listing_approve(*, actor: User, service: Service) -> None:
    """Publish a listing waiting for review, or apply the change waiting on a published one."""
    if not capabilities.can_review_listings(actor):
        raise PermissionDenied(REVIEWERS_ONLY)
    change = service.changes.filter(status=ChangeStatus.PENDING).first()
    if service.review_status == ReviewStatus.PENDING:
        service.review_status = ReviewStatus.PUBLISHED
        service.last_modified = rules.whole_milliseconds(timezone.now())
        service.save(update_fields=["review_status", "last_modified"])
        step = "published"
    elif change is not None:
        if change.details:
            _apply(service, ListingDetails.from_json(change.details), actor=change.proposed_by)
        step = "change approved" if change.details else "confirmed still correct"
    else:
        raise ValidationError(NOTHING_TO_REVIEW)
    if change is not None:
        _decide(change, actor, ChangeStatus.APPROVED)
    _assure(service, actor)
    _audit(actor, service, step)


@transaction.atomic
def listing_return(*, actor: User, service: Service, note: str) -> None:
    """Send a listing or a change back to its editor with a note of what to put right."""
    if not capabilities.can_review_listings(actor):
        raise PermissionDenied(REVIEWERS_ONLY)
    if not note.strip():
        raise ValidationError({"note": RETURN_NEEDS_NOTE})
    change = service.changes.filter(status=ChangeStatus.PENDING).first()
    if service.review_status == ReviewStatus.PENDING:
        service.review_status, service.review_note = ReviewStatus.RETURNED, note.strip()
        service.save(update_fields=["review_status", "review_note"])
    elif change is not None:
        _decide(change, actor, ChangeStatus.RETURNED, note=note.strip())
    else:
        raise ValidationError(NOTHING_TO_REVIEW)
    _audit(actor, service, "returned")


def _decide(change: ServiceChange, actor: User, status: str, note: str = "") -> None:
    change.status, change.decided_by, change.decided_at, change.note = status, actor, timezone.now(), note
    change.save(update_fields=["status", "decided_by", "decided_at", "note"])


@transaction.atomic
def listing_confirm(*, actor: User, service: Service) -> None:
    """Say a published listing is still correct: the Early Help Team's word resets its review date at
    once; an editor's goes to the team as a change with nothing changed."""
    _check_may_edit(actor, service)
    if not service.is_published:
        raise ValidationError(NOTHING_TO_REVIEW)
    if capabilities.can_review_listings(actor):
        _assure(service, actor)
        _audit(actor, service, "confirmed still correct")
        return
    if not service.changes.filter(status=ChangeStatus.PENDING).exists():
        ServiceChange.objects.create(service=service, proposed_by=actor, proposed_at=timezone.now(), details={})
    _audit(actor, service, "confirmation proposed")


# --- Postcode lookup -------------------------------------------------------------------------

# ONS Postcode Directory: postcodes with no grid reference carry this latitude.
ONS_NO_LOCATION = Decimal("99.999999")


@dataclass
class PostcodeLoad:
    loaded: int = 0
    terminated: int = 0
    skipped: int = 0


def _postcode_row(row: dict[str, str]) -> tuple[str, Decimal, Decimal] | None:
    postcode = rules.clean_postcode(row.get("pcds") or row.get("pcd") or row.get("pcd2") or "")
    try:
        latitude, longitude = Decimal(row.get("lat", "")), Decimal(row.get("long", ""))
    except InvalidOperation:
        return None
    if postcode is None or latitude == ONS_NO_LOCATION or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return postcode, latitude.quantize(Decimal("0.000001")), longitude.quantize(Decimal("0.000001"))


@transaction.atomic
def postcodes_load(*, rows: Iterable[dict[str, str]], batch_size: int = 5000) -> PostcodeLoad:
    """Load or refresh postcode centroids from ONS Postcode Directory rows (columns pcds, lat, long,
    doterm). Terminated postcodes are removed; rows with no location are skipped. Safe to repeat."""
    result = PostcodeLoad()
    pending: list[PostcodeCentroid] = []
    ended: list[str] = []

    def flush() -> None:
        PostcodeCentroid.objects.bulk_create(
            pending,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["latitude", "longitude", "district", "sector"],
        )
        PostcodeCentroid.objects.filter(postcode__in=ended).delete()
        pending.clear()
        ended.clear()

    for row in rows:
        parsed = _postcode_row(row)
        if parsed is None:
            result.skipped += 1
            continue
        postcode, latitude, longitude = parsed
        if (row.get("doterm") or "").strip():
            ended.append(postcode)
            result.terminated += 1
        else:
            pending.append(
                PostcodeCentroid(
                    postcode=postcode,
                    latitude=latitude,
                    longitude=longitude,
                    district=rules.postcode_district(postcode),
                    sector=rules.postcode_sector(postcode),
                )
            )
            result.loaded += 1
        if len(pending) + len(ended) >= batch_size:
            flush()
    flush()
    audit_record(actor=None, action=Action.CREATE, object_type="postcode_lookup", details=asdict(result))
    return result


@transaction.atomic
def locality_postcodes_set(*, actor: User | None, locality: Locality, districts: list[str]) -> LocalityPostcodes:
    """Say which postcode districts make up a locality (for the coverage report)."""
    listed = rules.parse_postcode_districts(" ".join(districts))
    record, _ = LocalityPostcodes.objects.update_or_create(
        locality=locality, defaults={"postcode_districts": " ".join(listed)}
    )
    audit_record(
        actor=actor,
        action=Action.CHANGE,
        object_type="locality_postcodes",
        object_id=locality.pk,
        details={"districts": listed},
    )
    return record


@transaction.atomic
def organization_save(*, actor: User | None, organization: Organization) -> Organization:
    """Add a provider organisation to the directory, or correct its details."""
    created = organization._state.adding
    organization.save()
    audit_record(
        actor=actor,
        action=Action.CREATE if created else Action.CHANGE,
        object_type="directory_organization",
        object_id=organization.pk,
    )
    return organization


@transaction.atomic
def directory_editor_add(*, actor: User | None, user: User, organization: Organization) -> DirectoryEditor:
    """Let a person keep an organisation's listings up to date."""
    editor, _ = DirectoryEditor.objects.get_or_create(user=user, organization=organization)
    _editor_audit(actor, Action.CREATE, editor)
    return editor


@transaction.atomic
def directory_editor_remove(*, actor: User | None, editor: DirectoryEditor) -> None:
    _editor_audit(actor, Action.DELETE, editor)
    editor.delete()


def _editor_audit(actor: User | None, action: str, editor: DirectoryEditor) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="directory_editor",
        object_id=editor.pk,
        details={"user": editor.user_id, "organization": str(editor.organization_id)},
    )


@transaction.atomic
def needs_taxonomy_install() -> None:
    """Make sure the shipped taxonomy of early help needs is there (migration 0002 installs it; a
    database emptied since, as tests and restores do, gets it back)."""
    install_needs(Taxonomy, TaxonomyTerm)


def term_slug(name: str) -> str:
    return slugify(name)[:250]
