"""Reads of the directory shared by the public pages, the `/oruk/` API, the staff pages and other apps.

Only published listings are public. Free-text search uses PostgreSQL full-text search through the
index of migration 0003, and word-by-word matching on SQLite. Distances use a postcode lookup table
(`manage.py load_postcodes`) and each location's coordinates.
"""

import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Avg,
    Exists,
    F,
    FloatField,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from earlyhelp.accounts.models import Locality, User

from . import rules
from .access import editable_services
from .models import (
    Attribute,
    ChangeStatus,
    LocalityPostcodes,
    Location,
    LocationType,
    Metadata,
    PostcodeCentroid,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    ServiceStatus,
    TaxonomyTerm,
)
from .needs import NEEDS_TAXONOMY_ID
from .oruk import with_full_detail

# Statuses a family is shown: a temporarily closed service still appears, with its notice.
OPEN_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
UNKNOWN_POSTCODE = "We could not find that postcode. Check it, or search without it."


def stale_after_days() -> int:
    return settings.EARLY_HELP.directory.stale_after_days


def few_services() -> int:
    return settings.EARLY_HELP.directory.few_services


def published_services() -> QuerySet[Service]:
    return Service.objects.filter(review_status=ReviewStatus.PUBLISHED)


# --- Free-text search ------------------------------------------------------------------------


def text_search(services: QuerySet[Service], text: str, *, ranked: bool = False) -> QuerySet[Service]:
    """Listings matching every word of `text`; `ranked` annotates `rank` (higher is better)."""
    words = rules.search_words(text)
    if not words:
        return services
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config="english", search_type="websearch")
        services = services.filter(search_vector=query)
        if ranked:
            services = services.annotate(rank=SearchRank(F("search_vector"), query))
        return services
    for word in words:
        services = services.filter(search_text__contains=word)
    if ranked:
        # No relevance without a text index: results that match come by name.
        services = services.annotate(rank=Value(0.0, output_field=FloatField()))
    return services


# --- Where: postcodes, areas and distances ---------------------------------------------------


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    # "postcode" when the postcode itself is known; "sector" or "district" for the area's centre.
    precision: str


def postcode_point(postcode: str) -> Point | None:
    """Where a postcode is: its own centroid, else the centre of its sector or district."""
    normal = rules.clean_postcode(postcode)
    if normal is None:
        return None
    exact = PostcodeCentroid.objects.filter(postcode=normal).values_list("latitude", "longitude").first()
    if exact:
        return Point(float(exact[0]), float(exact[1]), "postcode")
    for precision, lookup in (
        ("sector", {"sector": rules.postcode_sector(normal)}),
        ("district", {"district": rules.postcode_district(normal)}),
    ):
        centre = PostcodeCentroid.objects.filter(**lookup).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        if centre["lat"] is not None:
            return Point(float(centre["lat"]), float(centre["lon"]), precision)
    return None


def _area_allows(district: str, service_ref: str = "pk") -> Q:
    """A service whose areas list postcode districts serves only those; one whose areas do not, anywhere."""
    restricted = ServiceArea.objects.filter(service=OuterRef(service_ref)).exclude(postcode_districts="")
    listing = restricted.filter(postcode_districts__contains=f" {district} ")
    return ~Exists(restricted) | Exists(listing)


def _squared_degrees(lat_field: str, lon_field: str, centre: Point) -> CombinedExpression:
    """Squared distance in degrees of latitude, east-west shrunk by cos(latitude): orders by nearness."""
    shrink = math.cos(math.radians(centre.latitude))
    dlat = Cast(F(lat_field), FloatField()) - Value(centre.latitude)
    dlon = (Cast(F(lon_field), FloatField()) - Value(centre.longitude)) * Value(shrink)
    return dlat * dlat + dlon * dlon


def _degrees(metres: float) -> float:
    return math.degrees(metres / rules.EARTH_RADIUS_M)


# --- The /oruk/ API filters --------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFilters:
    """ORUK's standard query parameters, parsed (api.py turns the query string into these)."""

    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    minimum_age: Decimal | None = None
    maximum_age: Decimal | None = None
    day: str | None = None
    start_time: time | None = None
    end_time: time | None = None
    postcode: str | None = None
    proximity: float | None = None


def filtered_services(filters: ServiceFilters) -> QuerySet[Service]:
    """Published services meeting every filter, as ORUK describes each parameter.

    minimum_age: the service's youngest age is at least this (no limit counts as 0);
    maximum_age: its oldest age is at most this (no limit never is);
    day, start_time, end_time: one of its schedules runs that day, opening no earlier and closing no later.
    """
    services = published_services()
    if filters.taxonomy_term_id:
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term_id=filters.taxonomy_term_id))
        )
    if filters.taxonomy_id:
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term__taxonomy_id=filters.taxonomy_id))
        )
    if filters.minimum_age is not None:
        at_least = Q(minimum_age__gte=filters.minimum_age)
        services = services.filter(at_least | Q(minimum_age__isnull=True) if filters.minimum_age <= 0 else at_least)
    if filters.maximum_age is not None:
        services = services.filter(maximum_age__lte=filters.maximum_age)
    if filters.day or filters.start_time or filters.end_time:
        schedules = Schedule.objects.filter(service=OuterRef("pk"))
        if filters.day:
            schedules = schedules.filter(byday__contains=filters.day)
        if filters.start_time:
            schedules = schedules.filter(opens_at__gte=filters.start_time)
        if filters.end_time:
            schedules = schedules.filter(closes_at__lte=filters.end_time)
        services = services.filter(Exists(schedules))
    return text_search(services, filters.search)


def filtered_services_at_locations(filters: ServiceFilters, centre: Point | None) -> QuerySet[ServiceAtLocation]:
    """Places where published services matching the filters run; nearest first when a proximity is given."""
    places = ServiceAtLocation.objects.filter(service__in=filtered_services(filters).values("pk"))
    if filters.postcode:
        places = places.filter(_area_allows(rules.postcode_district(filters.postcode), "service_id"))
    if centre is not None and filters.proximity is not None:
        reach = _degrees(filters.proximity)
        places = (
            places.filter(location__latitude__isnull=False)
            .annotate(nearness=_squared_degrees("location__latitude", "location__longitude", centre))
            .filter(nearness__lte=reach * reach)
            .order_by("nearness", "id")
        )
    else:
        places = places.order_by("service__name", "id")
    return places.select_related("location", "service__organization")


# --- Public search for families --------------------------------------------------------------


def need_terms() -> QuerySet[TaxonomyTerm]:
    """The early help needs a family can search by."""
    return TaxonomyTerm.objects.filter(taxonomy_id=NEEDS_TAXONOMY_ID).order_by("name")


@dataclass(frozen=True)
class FamilySearch:
    need: str = ""  # a need's slug
    age: int | None = None
    text: str = ""
    postcode: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.need or self.age is not None or self.text.strip() or self.postcode)


@dataclass
class FamilyResult:
    service: Service
    distance_m: float | None = None
    place: Location | None = None

    @property
    def distance_text(self) -> str:
        return rules.distance_text(self.distance_m) if self.distance_m is not None else ""

    @property
    def age_text(self) -> str:
        return rules.age_range_text(self.service.minimum_age, self.service.maximum_age)

    @property
    def cost_text(self) -> str:
        options = self.service.cost_options.all()
        return rules.cost_text(
            [(item.option, item.amount, item.amount_description) for item in options], self.service.fees
        )


@dataclass
class FamilyResults:
    results: list[FamilyResult]
    total: int
    page: int
    pages: int
    centre: Point | None = None
    need: TaxonomyTerm | None = None
    errors: dict[str, str] = field(default_factory=dict)


def family_search(query: FamilySearch, *, page: int = 1, per_page: int = 20) -> FamilyResults:
    """Open listings for a family's need, child's age, words and postcode: nearest first with a postcode,
    best match first with words, else by name. A postcode also hides services for other areas only."""
    services = published_services().filter(status__in=OPEN_STATUSES)
    need = None
    if query.need:
        need = need_terms().filter(slug=query.need).first()
        services = services.filter(
            Exists(Attribute.objects.filter(service=OuterRef("pk"), taxonomy_term=need)) if need else Q(pk__in=[])
        )
    if query.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=query.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=query.age),
        )
    services = text_search(services, query.text, ranked=True)
    centre = None
    errors = {}
    if query.postcode:
        centre = postcode_point(query.postcode)
        if centre is None:
            errors["postcode"] = UNKNOWN_POSTCODE
        else:
            services = services.filter(_area_allows(rules.postcode_district(query.postcode)))
    ordering: list[str | OrderBy] = ["name", "id"]
    if centre is not None:
        nearest = (
            ServiceAtLocation.objects.filter(service=OuterRef("pk"), location__latitude__isnull=False)
            .annotate(nearness=_squared_degrees("location__latitude", "location__longitude", centre))
            .order_by("nearness")
            .values("nearness")[:1]
        )
        services = services.annotate(nearness=Subquery(nearest, output_field=FloatField()))
        ordering = [F("nearness").asc(nulls_last=True), "name", "id"]
    elif rules.search_words(query.text):
        ordering = ["-rank", "name", "id"]
    total = services.count()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    found = list(
        services.order_by(*ordering)
        .defer("search_text", "search_vector")
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related("location__addresses"),
            ),
            "cost_options",
        )[(page - 1) * per_page : page * per_page]
    )
    return FamilyResults(
        results=[_family_result(service, centre) for service in found],
        total=total,
        page=page,
        pages=pages,
        centre=centre,
        need=need,
        errors=errors,
    )


def _family_result(service: Service, centre: Point | None) -> FamilyResult:
    places = [place.location for place in service.service_at_locations.all()]
    distances = [
        (rules.distance_m(centre.latitude, centre.longitude, float(latitude), float(longitude)), place)
        for place in places
        if centre is not None
        and (latitude := place.latitude) is not None
        and (longitude := place.longitude) is not None
    ]
    if not distances:
        return FamilyResult(service=service, place=places[0] if places else None)
    distance, nearest = min(distances, key=lambda pair: pair[0])
    return FamilyResult(service=service, distance_m=distance, place=nearest)


def public_service(service_id: object) -> Service:
    """A published listing with everything its page shows; 404 for anything else."""
    try:
        key = uuid.UUID(str(service_id))
    except ValueError as error:
        raise Http404("No such service") from error
    service = with_full_detail(published_services().filter(id=key)).first()
    if service is None:
        raise Http404("No such service")
    return service


# --- For other apps: referrals from a family's plan --------------------------------------------


@dataclass(frozen=True)
class ServiceChoice:
    id: uuid.UUID
    label: str


def service_choices_for_referral() -> list[ServiceChoice]:
    """Published, running services a plan action can refer a family to, labelled "Service – Organisation"."""
    rows = (
        published_services()
        .filter(status__in=OPEN_STATUSES)
        .order_by("name", "organization__name", "id")
        .values_list("id", "name", "organization__name")
    )
    return [ServiceChoice(id=service_id, label=f"{name} – {organization}") for service_id, name, organization in rows]


# --- Staff: listings, review, staleness, coverage ----------------------------------------------


def listings_for(user: User) -> QuerySet[Service]:
    """The listings this person looks after, by name, each saying whether a change waits for review."""
    listings = editable_services(user).select_related("organization").order_by("name", "id")
    return listings.annotate(
        change_pending=Exists(ServiceChange.objects.filter(service=OuterRef("pk"), status=ChangeStatus.PENDING))
    )


def pending_change(service: Service) -> ServiceChange | None:
    return service.changes.filter(status=ChangeStatus.PENDING).select_related("proposed_by").first()


def listing_history(service: Service, *, limit: int = 50) -> QuerySet[Metadata]:
    return Metadata.objects.filter(resource_id=service.id)[:limit]


@dataclass
class ReviewItem:
    service: Service
    change: ServiceChange | None  # None: a new listing waiting for its first publication


def review_queue() -> list[ReviewItem]:
    """New listings and changes to published ones waiting for the Early Help Team, oldest first."""
    new = [
        ReviewItem(service=service, change=None)
        for service in Service.objects.filter(review_status=ReviewStatus.PENDING).select_related("organization")
    ]
    changes = [
        ReviewItem(service=change.service, change=change)
        for change in ServiceChange.objects.filter(status=ChangeStatus.PENDING)
        .select_related("service__organization", "proposed_by")
        .order_by("proposed_at")
    ]
    return sorted(new, key=lambda item: item.service.last_modified) + changes


def stale_listings(user: User, *, today: date | None = None) -> QuerySet[Service]:
    """Published listings this person looks after that nobody has reviewed within the configured time."""
    cutoff = rules.stale_before(today=today or timezone.localdate(), stale_after_days=stale_after_days())
    return (
        editable_services(user)
        .filter(review_status=ReviewStatus.PUBLISHED)
        .filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))
        .select_related("organization")
        .annotate(
            change_pending=Exists(ServiceChange.objects.filter(service=OuterRef("pk"), status=ChangeStatus.PENDING))
        )
        .order_by(F("assured_date").asc(nulls_first=True), "name")
    )


@dataclass
class CoverageCell:
    count: int
    level: str


@dataclass
class CoverageRow:
    need: TaxonomyTerm
    cells: list[CoverageCell]


@dataclass
class Coverage:
    localities: list[Locality]
    rows: list[CoverageRow]
    few: int
    unplaced: int  # open services whose area the directory cannot tell


def _service_districts(open_services: QuerySet[Service]) -> dict[uuid.UUID, set[str]]:
    """The postcode districts each service serves: those its areas list, else those of its venues."""
    listed: dict[uuid.UUID, set[str]] = defaultdict(set)
    for service_id, districts in (
        ServiceArea.objects.filter(service__in=open_services)
        .exclude(postcode_districts="")
        .values_list("service_id", "postcode_districts")
    ):
        listed[service_id].update(districts.split())
    venues: dict[uuid.UUID, set[str]] = defaultdict(set)
    for service_id, postcode in ServiceAtLocation.objects.filter(
        service__in=open_services, location__location_type=LocationType.PHYSICAL, location__addresses__isnull=False
    ).values_list("service_id", "location__addresses__postal_code"):
        venues[service_id].add(rules.postcode_district(postcode))
    return venues | listed


def coverage() -> Coverage:
    """Open services for each early help need in each locality: the commissioners' "gaps in service".

    A service serves a locality when one of its service areas lists a postcode district of the
    locality, or, if it lists none, when it runs at a venue there.
    """
    localities = list(Locality.objects.order_by("name"))
    locality_districts = {
        row.locality_id: set(row.postcode_districts.split()) for row in LocalityPostcodes.objects.all()
    }
    open_services = published_services().filter(status__in=OPEN_STATUSES)
    districts = _service_districts(open_services)
    needs = list(need_terms())
    served: dict[tuple[uuid.UUID, int], int] = defaultdict(int)
    open_ids = set(open_services.values_list("id", flat=True))
    for service_id, term_id in Attribute.objects.filter(service__in=open_services, taxonomy_term__in=needs).values_list(
        "service_id", "taxonomy_term_id"
    ):
        for locality in localities:
            if districts.get(service_id, set()) & locality_districts.get(locality.id, set()):
                served[(term_id, locality.id)] += 1
    few = few_services()
    rows = [
        CoverageRow(
            need=need,
            cells=[
                CoverageCell(
                    count=served[(need.id, locality.id)],
                    level=rules.coverage_level(served[(need.id, locality.id)], few=few),
                )
                for locality in localities
            ],
        )
        for need in needs
    ]
    return Coverage(localities=localities, rows=rows, few=few, unplaced=len(open_ids - districts.keys()))


# --- A service's public page -----------------------------------------------------------------


@dataclass
class PlaceView:
    name: str
    address: list[str]
    accessibility: list[str]
    times: list[str]


@dataclass
class ContactView:
    name: str
    title: str
    email: str
    phones: list[tuple[str, str]]


@dataclass
class ServicePage:
    """What a family reads about one service, in plain words."""

    service: Service
    needs: list[TaxonomyTerm]
    age_text: str
    cost_text: str
    times: list[str]
    places: list[PlaceView]
    contacts: list[ContactView]
    languages: list[str]
    areas: list[str]
    website: str  # only an http(s) address is shown as a link


def _times(schedules: list[Schedule]) -> list[str]:
    return [
        rules.schedule_text(
            freq=schedule.freq,
            interval=schedule.interval,
            byday=schedule.byday,
            opens_at=schedule.opens_at,
            closes_at=schedule.closes_at,
            description=schedule.description,
        )
        for schedule in schedules
    ]


def service_page(service_id: object) -> ServicePage:
    """A published service's page: how to get in touch, when and where it runs, cost and who it is for."""
    service = public_service(service_id)
    schedules = list(service.schedules.all())
    places = [
        PlaceView(
            name=place.location.name,
            address=[
                line
                for address in place.location.addresses.all()
                for line in (address.address_1, address.city, address.postal_code)
                if line
            ],
            accessibility=[
                item.description or item.accessibility
                for item in place.location.accessibility.all()
                if item.description or item.accessibility
            ],
            times=_times([schedule for schedule in schedules if schedule.service_at_location_id == place.id]),
        )
        for place in service.service_at_locations.all()
    ]
    return ServicePage(
        service=service,
        needs=sorted(
            (attribute.taxonomy_term for attribute in service.attributes.all()),
            key=lambda term: term.name,
        ),
        age_text=rules.age_range_text(service.minimum_age, service.maximum_age),
        cost_text=rules.cost_text(
            [(option.option, option.amount, option.amount_description) for option in service.cost_options.all()],
            service.fees,
        ),
        times=_times([schedule for schedule in schedules if schedule.service_at_location_id is None]),
        places=places,
        contacts=[
            ContactView(
                name=contact.name,
                title=contact.title,
                email=contact.email,
                phones=[(phone.number, phone.description) for phone in contact.phones.all()],
            )
            for contact in service.contacts.all()
        ],
        languages=[
            language.name or language.code for language in service.languages.all() if language.name or language.code
        ],
        areas=[
            area.service_area or area.name for area in service.service_areas.all() if area.service_area or area.name
        ],
        website=service.url if service.url.lower().startswith(("https://", "http://")) else "",
    )


def listing_value_text(name: str, value: object) -> str:
    """One field of a listing's details as a reviewer reads it in a list of changes."""
    if value in (None, "", ()):
        return "(none)"
    if isinstance(value, tuple) and name == "needs":
        return ", ".join(TaxonomyTerm.objects.filter(id__in=value).order_by("name").values_list("name", flat=True))
    if isinstance(value, tuple) and name == "localities":
        return ", ".join(Locality.objects.filter(id__in=value).order_by("name").values_list("name", flat=True))
    if isinstance(value, tuple) and name == "days":
        return ", ".join(rules.DAY_NAMES[day] for day in value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if name == "status" and isinstance(value, str):
        return ServiceStatus(value).label
    return str(value)
