"""Directory records as Open Referral UK 3.0 JSON: what the `/oruk/` API answers and the export writes.

Shapes follow the UK profile's compiled schemas (earlyhelp/directory/standard/schema/compiled/):
`service_full` is `service.json`, `service_list_item` is `service_list.json`,
`service_at_location_list_item` is `service_at_location_list.json`. Optional fields with no value
are left out rather than sent empty or null, since an empty string is no email address or URI.

Extensions: the fields in EXTENSIONS are HSDS 3.0 core fields the UK profile drops but families
need; they keep their core names. HSDS allows extra properties and the profile's schemas accept them.
"""

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from .models import (
    Attribute,
    Location,
    Organization,
    ReviewStatus,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .rules import oruk_number

ORUK_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"

# HSDS 3.0 core fields, outside the UK profile, that the output carries: object -> field names.
EXTENSIONS: dict[str, set[str]] = {
    "service": {"eligibility_description", "application_process"},
    "contact": {"email", "phones"},
    "language": {"name", "code"},
}

_TERM = "taxonomy_term"
FULL_SERVICE_PREFETCH: list[str | Prefetch[str, QuerySet[ServiceAtLocation], str]] = [
    "schedules",
    "service_areas",
    Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
            f"location__addresses__attributes__{_TERM}",
            f"location__accessibility__attributes__{_TERM}",
            f"location__attributes__{_TERM}",
        ),
    ),
    "languages",
    "funding",
    "cost_options",
    "contacts__phones",
    f"contacts__attributes__{_TERM}",
    f"attributes__{_TERM}",
    f"organization__identifiers__attributes__{_TERM}",
    f"organization__attributes__{_TERM}",
]


def with_full_detail(services: QuerySet[Service]) -> QuerySet[Service]:
    """The services with everything `service_full` reads, in a fixed number of queries."""
    return services.select_related("organization").prefetch_related(*FULL_SERVICE_PREFETCH)


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return oruk_number(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def _fields(record: Any, names: Iterable[str], *, required: Iterable[str] = ()) -> dict[str, Any]:
    """The named fields of a record as JSON values, leaving out empty optional ones."""
    must = set(required)
    data = {}
    for name in names:
        value = _value(getattr(record, name))
        if value is None or value == "":
            if name not in must:
                continue
            value = value if value is not None else ""
        data[name] = str(value) if name == "id" or name.endswith("_id") else value
    return data


def term_json(term: TaxonomyTerm) -> dict[str, Any]:
    data = _fields(term, ["id", "name", "description"], required=["id", "name", "description"])
    if term.parent_id:
        data["parent_id"] = str(term.parent_id)
    if term.taxonomy_name:
        data["taxonomy"] = term.taxonomy_name
    if term.taxonomy_id:
        data["taxonomy_id"] = str(term.taxonomy_id)
    data |= _fields(term, ["term_uri", "term"])
    return data


def taxonomy_json(taxonomy: Taxonomy, *, terms: Iterable[TaxonomyTerm] | None = None) -> dict[str, Any]:
    data = _fields(taxonomy, ["id", "name", "description", "uri", "version"], required=["id", "name", "description"])
    if terms is not None:
        data["taxonomy_terms"] = [term_json(term) for term in terms]
    return data


def _attributes(attributes: Iterable[Attribute]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(attribute.id),
            "link_id": str(attribute.link_id),
            "taxonomy_term_id": str(attribute.taxonomy_term_id),
            **({"link_type": attribute.link_type} if attribute.link_type else {}),
            "taxonomy_term": term_json(attribute.taxonomy_term),
        }
        for attribute in attributes
    ]


def _with_attributes(records: Iterable[Any], names: list[str], *, required: list[str]) -> list[dict[str, Any]]:
    """Each record's named fields with its attributes, as ORUK nests them."""
    return [
        _fields(record, names, required=required) | {"attributes": _attributes(record.attributes.all())}
        for record in records
    ]


_ORGANIZATION_FIELDS = ["id", "name", "description", "email", "website", "logo", "uri"]


def organization_json(organization: Organization, *, full: bool) -> dict[str, Any]:
    data = _fields(organization, _ORGANIZATION_FIELDS, required=["id", "name", "description"])
    if organization.parent_id:
        data["parent_organization_id"] = str(organization.parent_id)
    if full:
        data["organization_identifiers"] = _with_attributes(
            organization.identifiers.all(),
            ["id", "identifier_scheme", "identifier_type", "identifier"],
            required=["id", "identifier_type", "identifier"],
        )
        data["attributes"] = _attributes(organization.attributes.all())
    return data


_LOCATION_FIELDS = [
    "id",
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
]
_ADDRESS_FIELDS = [
    "id",
    "attention",
    "address_1",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "address_type",
]
_ADDRESS_REQUIRED = ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"]


def location_json(location: Location, *, full: bool) -> dict[str, Any]:
    data = _fields(location, _LOCATION_FIELDS, required=["id", "location_type"])
    if full:
        data["addresses"] = _with_attributes(location.addresses.all(), _ADDRESS_FIELDS, required=_ADDRESS_REQUIRED)
        data["accessibility"] = _with_attributes(
            location.accessibility.all(), ["id", "description", "details", "url", "accessibility"], required=["id"]
        )
        data["attributes"] = _attributes(location.attributes.all())
    return data


_SERVICE_FIELDS = [
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "eligibility_description",
    "application_process",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
]


def _service_base(service: Service) -> dict[str, Any]:
    data = _fields(service, _SERVICE_FIELDS, required=["id", "name", "status"])
    data["organization_id"] = str(service.organization_id)
    return data


def service_list_item(service: Service) -> dict[str, Any]:
    """A service with its one-to-one fields and its organisation (ORUK's `/services` list item)."""
    return _service_base(service) | {"organization": organization_json(service.organization, full=False)}


_SCHEDULE_FIELDS = [
    "id",
    "valid_from",
    "valid_to",
    "dtstart",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "description",
    "opens_at",
    "closes_at",
    "schedule_link",
    "attending_type",
    "notes",
    "service_at_location_id",
]


def service_full(service: Service, *, at: ServiceAtLocation | None = None) -> dict[str, Any]:
    """The fully nested service (ORUK's `/services/{id}`); `at` narrows it to one of its locations."""
    places = [place for place in service.service_at_locations.all() if at is None or place.id == at.id]
    schedules = [
        schedule
        for schedule in service.schedules.all()
        if at is None or schedule.service_at_location_id in (None, at.id)
    ]
    return _service_base(service) | {
        "schedules": [_fields(schedule, _SCHEDULE_FIELDS, required=["id"]) for schedule in schedules],
        "service_areas": [
            _fields(area, ["id", "name", "extent", "extent_type", "uri", "service_area"], required=["id"])
            for area in service.service_areas.all()
        ],
        "service_at_locations": [
            {
                "id": str(place.id),
                "service_id": str(place.service_id),
                "location_id": str(place.location_id),
                "location": location_json(place.location, full=True),
            }
            for place in places
        ],
        "languages": [
            _fields(language, ["id", "name", "code"], required=["id"]) for language in service.languages.all()
        ],
        "organization": organization_json(service.organization, full=True),
        "funding": [_fields(item, ["id", "source"], required=["id"]) for item in service.funding.all()],
        "cost_options": [
            _fields(option, ["id", "valid_from", "valid_to", "option", "amount", "amount_description"], required=["id"])
            for option in service.cost_options.all()
        ],
        "contacts": [
            _fields(contact, ["id", "name", "title", "email"], required=["id"])
            | {
                "phones": [
                    _fields(phone, ["id", "contact_id", "number", "description"], required=["id", "number"])
                    for phone in contact.phones.all()
                ],
                "attributes": _attributes(contact.attributes.all()),
            }
            for contact in service.contacts.all()
        ],
        "attributes": _attributes(service.attributes.all()),
    }


def service_at_location_list_item(place: ServiceAtLocation) -> dict[str, Any]:
    """A service at a location, one-to-one fields only (ORUK's `/service_at_locations` list item)."""
    return {
        "id": str(place.id),
        "service_id": str(place.service_id),
        "location_id": str(place.location_id),
        "location": location_json(place.location, full=False),
        "service": service_list_item(place.service),
    }


def directory_document() -> dict[str, Any]:
    """The whole published directory as one ORUK JSON document: every taxonomy with its terms, and each
    published service fully nested. Ordered by id throughout, so the same directory exports the same bytes."""
    taxonomies = Taxonomy.objects.prefetch_related(
        Prefetch("terms", queryset=TaxonomyTerm.objects.order_by("id"))
    ).order_by("id")
    services = with_full_detail(Service.objects.filter(review_status=ReviewStatus.PUBLISHED).order_by("id"))
    return {
        "version": ORUK_VERSION,
        "profile": PROFILE_URL,
        "taxonomies": [taxonomy_json(taxonomy, terms=taxonomy.terms.all()) for taxonomy in taxonomies],
        "services": [service_full(service) for service in services.iterator(chunk_size=500)],
    }
