"""Import a whole directory from Open Referral UK 3.0 JSON: another council's or a provider's feed,
or this system's own export. The import is a service (docs/directory.md, "Import and export"):

- Records are matched by their ids, so importing the same feed twice changes nothing the second time.
  An imported service's nested records become exactly those of the feed.
- Each service is checked whole before anything is written: against the profile's schema, then for
  what the database needs (dates, ages in order, lengths, references that resolve). A service that
  fails is rejected with every reason, and none of it is loaded; with `all_or_nothing`, one rejection
  loads nothing at all.
- Everything loads in one transaction with one audit event: a failure part-way leaves nothing behind.
"""

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode, urljoin

from django.db import models, transaction
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record

from . import rules
from .models import (
    ATTRIBUTE_LINKS,
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Funding,
    Language,
    Location,
    Organization,
    OrganizationIdentifier,
    Phone,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .services import area_districts_field, refresh_search_text, term_slug
from .standard import errors_of, schema_file_validator, service_validator, taxonomy_validator

NOT_A_DIRECTORY = (
    "The file is not an ORUK directory: expected a list of services, an object with 'services' "
    "(and optionally 'taxonomies'), or an ORUK page with 'contents'"
)


# The largest age the database holds is 999.99; any real age limit is far below.
AGE_LIMIT = 200


class ImportRefusedError(Exception):
    """The document as a whole cannot be read; nothing was loaded."""


@dataclass
class Rejection:
    position: int  # the service's place in the feed, from 1
    id: str
    name: str
    reasons: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    taxonomies: int = 0
    terms: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    loaded: bool = True

    def lines(self) -> list[str]:
        """The report a person reads: what loaded, what was refused and why."""
        if self.loaded:
            head = (
                f"Loaded {self.created + self.updated} services ({self.created} new, {self.updated} updated), "
                f"{self.taxonomies} taxonomies and {self.terms} taxonomy terms."
            )
        else:
            head = "Nothing was loaded: the import was all or nothing and some services were rejected."
        lines = [head]
        if self.rejected:
            lines.append(f"Rejected {len(self.rejected)} services:")
            for rejection in self.rejected:
                lines.append(f"  #{rejection.position} {rejection.id or '(no id)'} {rejection.name or '(no name)'}")
                lines.extend(f"    - {reason}" for reason in rejection.reasons)
        lines.extend(f"Warning: {warning}" for warning in self.warnings)
        return lines


def read_document(document: Any) -> tuple[list[Any], list[Any]]:
    """(taxonomies, services) from any of the shapes a directory comes in."""
    if isinstance(document, list):
        return [], document
    if isinstance(document, dict):
        if isinstance(document.get("services"), list):
            return list(document.get("taxonomies") or []), document["services"]
        if isinstance(document.get("contents"), list):
            return [], document["contents"]
        if "id" in document and "name" in document:
            return [], [document]
    raise ImportRefusedError(NOT_A_DIRECTORY)


# --- Checking ------------------------------------------------------------------------------


def _max_length(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


# For each nested list of a service: the model its items load into and the fields they carry.
_STRING_FIELDS: dict[str, tuple[type[models.Model], list[str]]] = {
    "service": (Service, ["name", "url", "email", "assurer_email"]),
    "organization": (Organization, ["name", "email", "website", "logo", "uri"]),
    "organization_identifiers": (OrganizationIdentifier, ["identifier_scheme", "identifier_type", "identifier"]),
    "location": (Location, ["name", "external_identifier", "external_identifier_type"]),
    "addresses": (
        Address,
        ["attention", "address_1", "city", "region", "state_province", "postal_code", "country"],
    ),
    "accessibility": (Accessibility, ["url"]),
    "schedules": (Schedule, ["byday", "bymonthday", "schedule_link", "attending_type"]),
    "service_areas": (ServiceArea, ["name", "extent_type", "uri"]),
    "contacts": (Contact, ["name", "title", "email"]),
    "phones": (Phone, ["number"]),
    "languages": (Language, ["name", "code"]),
    "cost_options": (CostOption, ["option", "amount_description"]),
    "attributes": (Attribute, ["link_type"]),
    "taxonomy_term": (TaxonomyTerm, ["name", "term", "taxonomy", "term_uri"]),
}


def _too_long(kind: str, item: dict, where: str) -> list[str]:
    model, names = _STRING_FIELDS[kind]
    problems = []
    for name in names:
        value = item.get(name)
        limit = _max_length(model, "taxonomy_name" if name == "taxonomy" else name)
        if isinstance(value, str) and limit and len(value) > limit:
            problems.append(f"{where}/{name}: longer than {limit} characters")
    return problems


def _parse_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _parse_time(value: Any) -> time | None:
    """ "09:30", "09:30:00", "09:30Z" or "09:30+01:00" -> 09:30 (times are the borough's local time)."""
    if not value:
        return None
    parsed = time.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed.replace(tzinfo=None)


def _parse_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _attempt(problems: list[str], where: str, parse: Callable[[Any], Any], value: Any) -> Any:
    """The parsed value, or None with a problem recorded where it cannot be read."""
    try:
        return parse(value)
    except (ValueError, TypeError, InvalidOperation):
        problems.append(f"{where}: {value!r} cannot be read")
        return None


def _each(node: dict, kind: str, where: str = "") -> Iterable[tuple[str, dict]]:
    for index, item in enumerate(node.get(kind) or []):
        yield f"{where}{kind}/{index}", item


def _check_dates_and_ages(service: dict) -> list[str]:
    problems: list[str] = []
    _attempt(problems, "assured_date", _parse_date, service.get("assured_date"))
    if service.get("last_modified"):
        _attempt(problems, "last_modified", datetime.fromisoformat, service["last_modified"])
    minimum = _attempt(problems, "minimum_age", _parse_decimal, service.get("minimum_age"))
    maximum = _attempt(problems, "maximum_age", _parse_decimal, service.get("maximum_age"))
    if any(age is not None and age >= AGE_LIMIT for age in (minimum, maximum)):
        problems.append(f"minimum_age, maximum_age: ages must be under {AGE_LIMIT}")
    return problems + [f"{name}: {message}" for name, message in rules.age_range_errors(minimum, maximum).items()]


def _check_organization(service: dict) -> list[str]:
    organization = service.get("organization")
    if not isinstance(organization, dict):
        if Organization.objects.filter(id=service.get("organization_id") or uuid.UUID(int=0)).exists():
            return []
        return ["organization: a service needs its organisation, nested or already loaded"]
    problems = _too_long("organization", organization, "organization")
    for where, identifier in _each(organization, "organization_identifiers", "organization/"):
        problems += _too_long("organization_identifiers", identifier, where)
    return problems


def _check_schedule(schedule: dict, where: str) -> list[str]:
    problems = _too_long("schedules", schedule, where)
    for name in ("valid_from", "valid_to", "dtstart"):
        _attempt(problems, f"{where}/{name}", _parse_date, schedule.get(name))
    for name in ("opens_at", "closes_at"):
        _attempt(problems, f"{where}/{name}", _parse_time, schedule.get(name))
    if not rules.byday_is_valid(schedule.get("byday") or ""):
        problems.append(f"{where}/byday: {schedule['byday']!r} is not an RFC 5545 BYDAY")
    interval = schedule.get("interval")
    if interval is not None and (int(interval) != interval or not 0 < interval < 32768):
        problems.append(f"{where}/interval: must be a whole number of 1 or more")
    return problems


def _check_cost_option(option: dict, where: str) -> list[str]:
    problems = _too_long("cost_options", option, where)
    for name in ("valid_from", "valid_to"):
        _attempt(problems, f"{where}/{name}", _parse_date, option.get(name))
    amount = option.get("amount")
    if amount is not None and (amount < 0 or abs(amount) >= 10**8):
        problems.append(f"{where}/amount: must be between 0 and 99,999,999.99")
    return problems


def _check_contact(contact: dict, where: str) -> list[str]:
    problems = _too_long("contacts", contact, where)
    for place, phone in _each(contact, "phones", f"{where}/"):
        reasons = errors_of(schema_file_validator("phone.json"), phone)
        problems += [f"{place}/{reason}" for reason in reasons] or _too_long("phones", phone, place)
    return problems


def _check_location(place: dict, where: str) -> list[str]:
    location = place.get("location")
    where = f"{where}/location"
    if not isinstance(location, dict):
        if Location.objects.filter(id=place.get("location_id") or uuid.UUID(int=0)).exists():
            return []
        return [f"{where}: missing, and no location with its location_id is loaded"]
    problems = _too_long("location", location, where)
    latitude, longitude = location.get("latitude"), location.get("longitude")
    if (latitude is None) != (longitude is None):
        problems.append(f"{where}: give both latitude and longitude, or neither")
    elif latitude is not None and longitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        problems.append(f"{where}: latitude or longitude out of range")
    for kind in ("addresses", "accessibility"):
        for inner, item in _each(location, kind, f"{where}/"):
            problems += _too_long(kind, item, inner)
    return problems


def _check_attribute(attribute: dict, where: str) -> list[str]:
    problems = _too_long("attributes", attribute, where)
    term = attribute.get("taxonomy_term")
    if isinstance(term, dict):
        problems += _too_long("taxonomy_term", term, f"{where}/taxonomy_term")
        if term.get("id") and attribute.get("taxonomy_term_id") not in (None, term["id"]):
            problems.append(f"{where}: taxonomy_term_id does not match its taxonomy_term")
    elif not TaxonomyTerm.objects.filter(id=attribute.get("taxonomy_term_id") or uuid.UUID(int=0)).exists():
        problems.append(f"{where}: the taxonomy term is neither nested nor already loaded")
    return problems


def _check_values(service: dict) -> list[str]:
    """What the schema cannot say but the database needs."""
    problems = _check_dates_and_ages(service)
    problems += _too_long("service", service, "(top)")
    problems += _check_organization(service)
    for where, schedule in _each(service, "schedules"):
        problems += _check_schedule(schedule, where)
    for where, option in _each(service, "cost_options"):
        problems += _check_cost_option(option, where)
    for kind in ("service_areas", "languages"):
        for where, item in _each(service, kind):
            problems += _too_long(kind, item, where)
    for where, contact in _each(service, "contacts"):
        problems += _check_contact(contact, where)
    for where, place in _each(service, "service_at_locations"):
        problems += _check_location(place, where)
    for where, attribute in _all_attributes(service):
        problems += _check_attribute(attribute, where)
    return problems


def _all_attributes(service: dict) -> Iterable[tuple[str, dict]]:
    """Every attribute in a service, with where it sits."""

    def of(node: Any, where: str) -> Iterable[tuple[str, dict]]:
        for index, attribute in enumerate((node or {}).get("attributes") or []):
            yield f"{where}attributes/{index}", attribute

    yield from of(service, "")
    organization = service.get("organization") or {}
    yield from of(organization, "organization/")
    for index, identifier in enumerate(organization.get("organization_identifiers") or []):
        yield from of(identifier, f"organization/organization_identifiers/{index}/")
    for index, contact in enumerate(service.get("contacts") or []):
        yield from of(contact, f"contacts/{index}/")
    for index, place in enumerate(service.get("service_at_locations") or []):
        location = place.get("location") or {}
        where = f"service_at_locations/{index}/location/"
        yield from of(location, where)
        for number, address in enumerate(location.get("addresses") or []):
            yield from of(address, f"{where}addresses/{number}/")
        for number, item in enumerate(location.get("accessibility") or []):
            yield from of(item, f"{where}accessibility/{number}/")


_OWNED = ("schedules", "service_areas", "service_at_locations", "languages", "funding", "cost_options", "contacts")


def _owned_ids(service: dict) -> set[tuple[str, object]]:
    """The ids of records that belong to this service alone (its schedules, contacts, phones...)."""
    owned = {(kind, item.get("id")) for kind in _OWNED for item in service.get(kind) or [] if isinstance(item, dict)}
    owned |= {
        ("phones", phone.get("id"))
        for contact in service.get("contacts") or []
        for phone in contact.get("phones") or []
        if isinstance(phone, dict)
    }
    owned |= {("attributes", attribute.get("id")) for attribute in service.get("attributes") or []}
    owned |= {
        ("attributes", attribute.get("id"))
        for contact in service.get("contacts") or []
        for attribute in contact.get("attributes") or []
    }
    return owned


def check_services(services: list[Any]) -> tuple[list[tuple[int, dict]], list[Rejection]]:
    """The services that may load, with their positions, and the rejected ones with every reason."""
    accepted, rejected = [], []
    seen_services: set[str] = set()
    owners: dict[tuple[str, object], str] = {}
    for position, service in enumerate(services, start=1):
        if not isinstance(service, dict):
            rejected.append(Rejection(position, "", "", ["a service must be a JSON object"]))
            continue
        reasons = errors_of(service_validator(), service, limit=50)
        if not reasons:
            reasons = _check_values(service)
        service_id = str(service.get("id", ""))
        if service_id in seen_services:
            reasons.append("the feed has this service id more than once")
        for key in _owned_ids(service) if not reasons else ():
            if owners.get(key, service_id) != service_id:
                reasons.append(f"{key[0]} id {key[1]} also belongs to service {owners[key]} in the feed")
        if reasons:
            rejected.append(Rejection(position, service_id, str(service.get("name", "")), reasons))
            continue
        seen_services.add(service_id)
        owners.update(dict.fromkeys(_owned_ids(service), service_id))
        accepted.append((position, service))
    return accepted, rejected


# --- Loading -------------------------------------------------------------------------------


_Record = TypeVar("_Record", bound=models.Model)


def _phone_values(contact: Contact) -> Callable[[dict], dict]:
    """The fields of one of the contact's phones, from the feed."""
    return lambda phone: {"contact": contact, "number": phone["number"], "description": phone.get("description", "")}


class _Loader:
    """Writes checked records, remembering shared ones (organisations, locations, terms) already written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.written: dict[tuple[str, str], dict] = {}
        self.parents: dict[uuid.UUID, str] = {}
        self.known_taxonomies = set(Taxonomy.objects.values_list("id", flat=True))

    def _once(self, kind: str, item: dict) -> bool:
        """True the first time a shared record is met; warns when a later copy differs."""
        key = (kind, item["id"])
        if key in self.written:
            if self.written[key] != item:
                self.report.warnings.append(f"{kind} {item['id']} differs between services; the first copy was kept")
            return False
        self.written[key] = item
        return True

    def taxonomy(self, data: dict) -> None:
        Taxonomy.objects.update_or_create(
            id=data["id"],
            defaults={
                "name": data["name"],
                "description": data.get("description", ""),
                "uri": data.get("uri", ""),
                "version": data.get("version", ""),
            },
        )
        self.known_taxonomies.add(uuid.UUID(data["id"]))
        self.report.taxonomies += 1
        for term in data.get("taxonomy_terms") or []:
            self.term({"taxonomy_id": data["id"], **term})

    def term(self, data: dict) -> TaxonomyTerm:
        if not self._once("taxonomy_term", data):
            return TaxonomyTerm(id=data["id"])
        taxonomy_id = uuid.UUID(data["taxonomy_id"]) if data.get("taxonomy_id") else None
        if taxonomy_id and taxonomy_id not in self.known_taxonomies:
            self.report.warnings.append(
                f"taxonomy term {data['id']} names taxonomy {taxonomy_id}, which the feed does not include"
            )
            taxonomy_id = None
        term, _ = TaxonomyTerm.objects.update_or_create(
            id=data["id"],
            defaults={
                "taxonomy_id": taxonomy_id,
                "taxonomy_name": data.get("taxonomy", ""),
                "name": data["name"],
                "description": data.get("description", ""),
                "term": data.get("term", ""),
                "term_uri": data.get("term_uri", ""),
                "slug": term_slug(data["name"]),
            },
        )
        if data.get("parent_id"):
            self.parents[term.id] = data["parent_id"]
        self.report.terms += 1
        return term

    def link_parents(self) -> None:
        for term_id, parent_id in self.parents.items():
            if TaxonomyTerm.objects.filter(id=parent_id).exists():
                TaxonomyTerm.objects.filter(id=term_id).update(parent_id=parent_id)
            else:
                self.report.warnings.append(f"taxonomy term {term_id} names parent {parent_id}, which is not loaded")

    def attributes(self, owner: models.Model, items: list[dict]) -> None:
        model_name = owner._meta.label_lower.rpartition(".")[2]  # model_name is optional in the stubs
        link = {"organizationidentifier": "organization_identifier"}.get(model_name, model_name)
        keep = []
        for item in items:
            term = self.term(item["taxonomy_term"]) if item.get("taxonomy_term") else None
            Attribute.objects.update_or_create(
                id=item["id"],
                defaults={
                    "taxonomy_term_id": term.id if term else item["taxonomy_term_id"],
                    "link_type": item.get("link_type", ""),
                    **dict.fromkeys(ATTRIBUTE_LINKS),
                    link: owner,
                },
            )
            keep.append(item["id"])
        Attribute.objects.filter(**{link: owner}).exclude(id__in=keep).delete()

    def organization(self, data: dict) -> Organization:
        if not self._once("organization", data):
            return Organization.objects.get(id=data["id"])
        organization, _ = Organization.objects.update_or_create(
            id=data["id"],
            defaults={
                "name": data["name"],
                "description": data.get("description", ""),
                **{name: data.get(name, "") for name in ("email", "website", "logo", "uri")},
            },
        )
        if data.get("parent_organization_id"):
            if Organization.objects.filter(id=data["parent_organization_id"]).exists():
                organization.parent_id = data["parent_organization_id"]
                organization.save(update_fields=["parent"])
            else:
                self.report.warnings.append(f"organization {data['id']} names a parent that is not loaded")
        self._children(
            organization.identifiers,
            OrganizationIdentifier,
            data.get("organization_identifiers"),
            lambda item: {
                "organization": organization,
                **{name: item.get(name, "") for name in ("identifier_scheme", "identifier_type", "identifier")},
            },
            with_attributes=True,
        )
        self.attributes(organization, data.get("attributes") or [])
        return organization

    def location(self, data: dict) -> Location:
        if not self._once("location", data):
            return Location.objects.get(id=data["id"])
        location, _ = Location.objects.update_or_create(
            id=data["id"],
            defaults={
                "location_type": data["location_type"],
                "latitude": _parse_decimal(data.get("latitude")),
                "longitude": _parse_decimal(data.get("longitude")),
                **{
                    name: data.get(name, "")
                    for name in ("name", "description", "external_identifier", "external_identifier_type")
                },
            },
        )
        self._children(
            location.addresses,
            Address,
            data.get("addresses"),
            lambda item: {
                "location": location,
                **{
                    name: item.get(name, "")
                    for name in ("attention", "address_1", "city", "region", "state_province", "postal_code")
                },
                "country": item.get("country", ""),
                "address_type": item.get("address_type", "physical"),
            },
            with_attributes=True,
        )
        self._children(
            location.accessibility,
            Accessibility,
            data.get("accessibility"),
            lambda item: {
                "location": location,
                **{name: item.get(name, "") for name in ("description", "details", "url", "accessibility")},
            },
            with_attributes=True,
        )
        self.attributes(location, data.get("attributes") or [])
        return location

    def _children(
        self,
        related: Any,
        model: type[_Record],
        items: list[dict] | None,
        values: Callable[[dict], dict],
        *,
        with_attributes: bool = False,
    ) -> list[_Record]:
        """Make a record's nested list exactly the feed's: upsert each item, delete the rest."""
        written = []
        for item in items or []:
            record, _ = model._default_manager.update_or_create(id=item["id"], defaults=values(item))
            if with_attributes:
                self.attributes(record, item.get("attributes") or [])
            written.append(record)
        related.exclude(id__in=[record.pk for record in written]).delete()
        return written

    def service(self, data: dict, *, review_status: str) -> bool:
        """Load one checked service; True if it is new."""
        organization = (
            self.organization(data["organization"])
            if isinstance(data.get("organization"), dict)
            else Organization.objects.get(id=data["organization_id"])
        )
        last_modified = datetime.fromisoformat(data["last_modified"]) if data.get("last_modified") else timezone.now()
        values = {
            "organization": organization,
            "name": data["name"],
            "status": data["status"],
            "minimum_age": _parse_decimal(data.get("minimum_age")),
            "maximum_age": _parse_decimal(data.get("maximum_age")),
            "assured_date": _parse_date(data.get("assured_date")),
            "last_modified": rules.whole_milliseconds(last_modified),
            **{
                name: data.get(name, "")
                for name in (
                    "description",
                    "url",
                    "email",
                    "fees",
                    "accreditations",
                    "eligibility_description",
                    "application_process",
                    "assurer_email",
                    "alert",
                )
            },
        }
        service, created = Service.objects.update_or_create(
            id=data["id"], defaults=values, create_defaults={**values, "review_status": review_status}
        )
        places = self._children(
            service.service_at_locations,
            ServiceAtLocation,
            data.get("service_at_locations"),
            lambda item: {
                "service": service,
                "location": self.location(item["location"])
                if isinstance(item.get("location"), dict)
                else Location.objects.get(id=item["location_id"]),
            },
        )
        place_ids = {str(place.id) for place in places}
        self._children(
            service.schedules,
            Schedule,
            data.get("schedules"),
            lambda item: {
                "service": service,
                "service_at_location_id": item.get("service_at_location_id")
                if item.get("service_at_location_id") in place_ids
                else None,
                "valid_from": _parse_date(item.get("valid_from")),
                "valid_to": _parse_date(item.get("valid_to")),
                "dtstart": _parse_date(item.get("dtstart")),
                "freq": item.get("freq", ""),
                "interval": item.get("interval"),
                "opens_at": _parse_time(item.get("opens_at")),
                "closes_at": _parse_time(item.get("closes_at")),
                **{
                    name: item.get(name, "")
                    for name in (
                        "byday",
                        "bymonthday",
                        "description",
                        "schedule_link",
                        "attending_type",
                        "notes",
                    )
                },
            },
        )
        self._children(
            service.service_areas,
            ServiceArea,
            data.get("service_areas"),
            lambda item: {
                "service": service,
                **{name: item.get(name, "") for name in ("name", "service_area", "extent", "extent_type", "uri")},
                "postcode_districts": area_districts_field(
                    rules.parse_postcode_districts(item.get("extent", "")) if item.get("extent_type") == "text" else []
                ),
            },
        )
        self._children(
            service.languages,
            Language,
            data.get("languages"),
            lambda item: {"service": service, "name": item.get("name", ""), "code": item.get("code", "")},
        )
        self._children(
            service.funding,
            Funding,
            data.get("funding"),
            lambda item: {"service": service, "source": item.get("source", "")},
        )
        self._children(
            service.cost_options,
            CostOption,
            data.get("cost_options"),
            lambda item: {
                "service": service,
                "valid_from": _parse_date(item.get("valid_from")),
                "valid_to": _parse_date(item.get("valid_to")),
                "option": item.get("option", ""),
                "amount": _parse_decimal(item.get("amount")),
                "amount_description": item.get("amount_description", ""),
            },
        )
        contacts = self._children(
            service.contacts,
            Contact,
            data.get("contacts"),
            lambda item: {"service": service, **{name: item.get(name, "") for name in ("name", "title", "email")}},
            with_attributes=True,
        )
        for contact, item in zip(contacts, data.get("contacts") or [], strict=True):
            self._children(
                contact.phones,
                Phone,
                item.get("phones"),
                _phone_values(contact),
            )
        self.attributes(service, data.get("attributes") or [])
        refresh_search_text(service)
        return created


def directory_import(
    *,
    document: Any,
    actor: User | None = None,
    review_status: str = ReviewStatus.PUBLISHED,
    all_or_nothing: bool = False,
    source: str = "",
) -> ImportReport:
    """Load an ORUK directory, matching records by id; see the module docstring for the guarantees.

    New services arrive with `review_status` (published by default: whoever runs an import vouches
    for the feed); services already here keep theirs.
    """
    taxonomies, services = read_document(document)
    report = ImportReport()
    bad_taxonomies = [
        f"taxonomies/{index}: {reason}"
        for index, taxonomy in enumerate(taxonomies)
        for reason in errors_of(taxonomy_validator(), taxonomy)
    ]
    if bad_taxonomies:
        raise ImportRefusedError("The taxonomies are not valid ORUK: " + "; ".join(bad_taxonomies[:10]))
    with transaction.atomic():
        accepted, report.rejected = check_services(services)
        if report.rejected and all_or_nothing:
            report.loaded = False
            return report
        loader = _Loader(report)
        for taxonomy in taxonomies:
            loader.taxonomy(taxonomy)
        for _, service in accepted:
            if loader.service(service, review_status=review_status):
                report.created += 1
            else:
                report.updated += 1
        loader.link_parents()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="directory_import",
            details={
                "source": source[:200],
                "created": report.created,
                "updated": report.updated,
                "rejected": [rejection.id or f"#{rejection.position}" for rejection in report.rejected],
            },
        )
    return report


# --- Reading a live feed -------------------------------------------------------------------


def read_feed(base_url: str, get_json: Callable[[str], Any], *, per_page: int = 100) -> dict[str, Any]:
    """A whole directory read from another ORUK API: its taxonomies and each service fully nested."""
    base = base_url if base_url.endswith("/") else base_url + "/"

    def pages(path: str) -> Iterable[dict]:
        page = 1
        while True:
            answer = get_json(urljoin(base, path) + "?" + urlencode({"page": page, "per_page": per_page}))
            yield from answer.get("contents") or []
            if answer.get("last_page", True) or not answer.get("contents"):
                return
            page += 1

    taxonomies = list(pages("taxonomies"))
    terms = list(pages("taxonomy_terms"))
    for taxonomy in taxonomies:
        taxonomy.setdefault("taxonomy_terms", [term for term in terms if term.get("taxonomy_id") == taxonomy.get("id")])
    services = [get_json(urljoin(base, f"services/{item['id']}")) for item in pages("services")]
    return {"taxonomies": taxonomies, "services": services}


def read_file(path: str) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))
