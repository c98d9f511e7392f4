"""A realistic, published directory for the demo borough (earlyhelp/demo/borough.py): the providers a
borough's early help partnership works with, their services for each early help need, the venues in
each locality, opening times, costs and review dates, and a few listings part-way through review.

`build_directory(seed=..., services=N)` is idempotent: records have ids derived from the seed, so a
second call adds only what is missing, and a larger N tops the directory up (the benchmarks use 10,000).
"""

import csv
import json
import random
import uuid
from dataclasses import dataclass, replace
from datetime import time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, User
from earlyhelp.audit.models import Action
from earlyhelp.audit.services import audit_record
from earlyhelp.directory import rules
from earlyhelp.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    DirectoryEditor,
    Funding,
    Language,
    LocalityPostcodes,
    Location,
    LocationType,
    Organization,
    Phone,
    PostcodeCentroid,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
)
from earlyhelp.directory.needs import DIRECTORY_NAMESPACE, NEED_LINK_TYPE, NEEDS, need_term_id
from earlyhelp.directory.postcodes import SYNTHETIC_POSTCODES
from earlyhelp.directory.services import (
    area_districts_field,
    listing_details_of,
    listing_return,
    listing_save,
    listing_submit,
    needs_taxonomy_install,
    postcodes_load,
)

DATA = Path(__file__).resolve().parent / "data"
DEMO_CONTENT = DATA / "demo_directory.json"
DEMO_EDITOR = "provider"  # a provider's editor: the demo's Families Together listings are theirs
COUNTY = "Merseyside"

# Localities and their postcode districts, as the demo borough has them.
LOCALITY_DISTRICTS = {"Northgate": "L33", "Eastfield": "L34", "Riverside": "L35", "Southmoor": "L36"}


@dataclass(frozen=True)
class Template:
    """One kind of service in the demo data (data/demo_directory.json)."""

    key: str
    needs: tuple[str, ...]
    organization: str
    name: str
    description: str
    minimum_age: int | None
    maximum_age: int | None
    how: str
    eligibility: str = ""
    cost: tuple[Decimal, str] | None = (Decimal(0), "")  # free unless it says otherwise; None: not stated
    days: tuple[str, ...] = ()
    opens: time | None = None
    closes: time | None = None
    where: str = "venue"  # "venue": at a venue in each locality; "borough": one service for everyone
    phone: str = ""
    languages: tuple[tuple[str, str], ...] = (("English", "en"),)

    @classmethod
    def from_json(cls, data: dict) -> "Template":
        values = {**data, "needs": tuple(data["needs"])}
        if "cost" in data:
            values["cost"] = (Decimal(data["cost"]["amount"]), data["cost"]["per"]) if data["cost"] else None
        if "days" in data:
            values |= {
                "days": tuple(data["days"]),
                "opens": time.fromisoformat(data["opens"]),
                "closes": time.fromisoformat(data["closes"]),
            }
        values["languages"] = tuple(tuple(pair) for pair in data.get("languages", [("English", "en")]))
        return cls(**values)


@dataclass(frozen=True)
class DemoContent:
    organizations: dict[str, tuple[str, str, str]]  # key -> (name, description, website)
    venues: list[tuple[str, str]]  # (name with {locality}, accessibility)
    templates: list[Template]


@cache
def demo_content() -> DemoContent:
    data = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))
    return DemoContent(
        organizations={
            item["key"]: (item["name"], item["description"], item["website"]) for item in data["organizations"]
        },
        venues=[(item["name"], item["accessibility"]) for item in data["venues"]],
        templates=[Template.from_json(item) for item in data["services"]],
    )


@dataclass
class DirectorySize:
    organizations: int = 0
    services: int = 0
    published: int = 0


def _id(seed: int, kind: str, key: object) -> uuid.UUID:
    return uuid.uuid5(DIRECTORY_NAMESPACE, f"demo/{seed}/{kind}/{key}")


def load_synthetic_postcodes() -> int:
    """Load the demo borough's made-up postcode lookup, if none of its postcodes are loaded yet."""
    if PostcodeCentroid.objects.filter(district__in=LOCALITY_DISTRICTS.values()).exists():
        return 0
    with SYNTHETIC_POSTCODES.open(encoding="utf-8-sig", newline="") as handle:
        return postcodes_load(rows=csv.DictReader(handle)).loaded


def _localities() -> list[Locality]:
    localities = []
    for name, district in LOCALITY_DISTRICTS.items():
        locality, _ = Locality.objects.get_or_create(name=name)
        LocalityPostcodes.objects.get_or_create(locality=locality, defaults={"postcode_districts": district})
        localities.append(locality)
    return localities


def _organizations(seed: int) -> dict[str, Organization]:
    organizations = {}
    for key, (name, description, website) in demo_content().organizations.items():
        organizations[key], _ = Organization.objects.get_or_create(
            id=_id(seed, "organization", key),
            defaults={
                "name": name,
                "description": description,
                "website": website,
                "email": f"hello@{website.split('//')[1].split('/')[0]}",
            },
        )
    return organizations


def _venues(seed: int, localities: list[Locality]) -> dict[str, list[Location]]:
    """Four venues in each locality, at postcodes of the lookup so distances work."""
    venues: dict[str, list[Location]] = {}
    for locality in localities:
        district = LOCALITY_DISTRICTS[locality.name]
        # Spread the venues across the district: every tenth postcode of it.
        postcodes = list(PostcodeCentroid.objects.filter(district=district).order_by("postcode"))[::10]
        venues[locality.name] = []
        for index, (pattern, access) in enumerate(demo_content().venues):
            point = postcodes[index % len(postcodes)] if postcodes else None
            location, created = Location.objects.get_or_create(
                id=_id(seed, "location", f"{locality.name}/{index}"),
                defaults={
                    "location_type": LocationType.PHYSICAL,
                    "name": pattern.format(locality=locality.name),
                    "latitude": point.latitude if point else None,
                    "longitude": point.longitude if point else None,
                },
            )
            if created:
                Address.objects.create(
                    id=_id(seed, "address", f"{locality.name}/{index}"),
                    location=location,
                    address_1=f"{10 + index * 7} {('High Street', 'Station Road', 'Church Lane', 'Park Road')[index]}",
                    city=locality.name,
                    state_province=COUNTY,
                    postal_code=point.postcode if point else f"{district} 1AA",
                    country="GB",
                )
                Accessibility.objects.create(
                    id=_id(seed, "accessibility", f"{locality.name}/{index}"), location=location, description=access
                )
            venues[locality.name].append(location)
    return venues


SESSION_TIMES = [
    f"{day} {part}"
    for part in ("mornings", "afternoons", "evenings")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
]


def _service_rows(seed: int, index: int, template: Template, locality: Locality | None, variant: int) -> dict:
    """Everything one demo service is made of, decided by its own random generator."""
    rng = random.Random(f"{seed}/service/{index}")
    today = timezone.localdate()
    where = f" – {locality.name}" if locality else ""
    # A further group of the same kind meets at another time, as real listings name them.
    suffix = f", {SESSION_TIMES[(variant - 1) % len(SESSION_TIMES)]}" if variant else ""
    # Most listings were reviewed within the year; about one in eight is overdue.
    reviewed = today - timedelta(days=rng.randrange(400, 700) if rng.random() < 0.12 else rng.randrange(5, 330))
    status = ServiceStatus.TEMPORARILY_CLOSED if rng.random() < 0.03 else ServiceStatus.ACTIVE
    return {
        "name": f"{template.name}{where}{suffix}",
        "reviewed": reviewed,
        "status": status,
        "alert": "Closed for refurbishment until further notice." if status == ServiceStatus.TEMPORARILY_CLOSED else "",
        "modified": timezone.now().replace(microsecond=0)
        - timedelta(days=(today - reviewed).days, minutes=rng.randrange(600)),
    }


@transaction.atomic
def build_directory(*, seed: int = 2014, services: int = 120) -> DirectorySize:
    """Publish a realistic directory of `services` services for the demo borough; safe to repeat."""
    load_synthetic_postcodes()
    needs_taxonomy_install()
    localities = _localities()
    organizations = _organizations(seed)
    venues = _venues(seed, localities)
    plan = _plan(localities, services)
    existing = set(
        Service.objects.filter(id__in=[_id(seed, "service", index) for index in range(len(plan))]).values_list(
            "id", flat=True
        )
    )
    batch = _Batch()
    for index, (template, locality, variant) in enumerate(plan):
        service_id = _id(seed, "service", index)
        if service_id in existing:
            continue
        _add_service(batch, seed, index, service_id, template, locality, variant, organizations, venues)
        if batch.size >= 2000:
            batch.flush()
    batch.flush()
    _workflow_examples(_demo_editor(organizations["families-together"]))
    size = DirectorySize(
        organizations=len(organizations),
        services=Service.objects.filter(organization__in=organizations.values()).count(),
        published=Service.objects.filter(
            organization__in=organizations.values(), review_status=ReviewStatus.PUBLISHED
        ).count(),
    )
    audit_record(
        actor=None,
        action=Action.CREATE,
        object_type="demo_directory",
        details={"seed": seed, "services": size.services, "published": size.published},
    )
    return size


def _plan(localities: list[Locality], count: int) -> list[tuple[Template, Locality | None, int]]:
    """Which template, locality and group number each service index is. Every kind of service comes
    once first (so even a small directory covers every need), then venue services in the other
    localities, then further groups of every kind until there are `count`."""
    templates = demo_content().templates
    venue_templates = [template for template in templates if template.where == "venue"]
    plan: list[tuple[Template, Locality | None, int]] = []
    first_locality = {}
    for index, template in enumerate(templates):
        locality = None if template.where == "borough" else localities[index % len(localities)]
        first_locality[template.key] = locality
        plan.append((template, locality, 0))
    for template in venue_templates:
        plan.extend((template, locality, 0) for locality in localities if locality != first_locality[template.key])
    variant = 1
    while len(plan) < count:
        for template in templates:
            places = [None] if template.where == "borough" else localities
            plan.extend((template, locality, variant) for locality in places)
        variant += 1
    return plan[:count]


class _Batch:
    """Rows waiting to be written with bulk_create, parents before children."""

    order = (
        Service,
        Contact,
        Phone,
        ServiceAtLocation,
        Schedule,
        ServiceArea,
        CostOption,
        Attribute,
        Language,
        Funding,
    )

    def __init__(self) -> None:
        self.rows: dict[type, list] = {model: [] for model in self.order}

    @property
    def size(self) -> int:
        return len(self.rows[Service])

    def add(self, record) -> None:
        self.rows[type(record)].append(record)

    def flush(self) -> None:
        for model in self.order:
            model.objects.bulk_create(self.rows[model], batch_size=1000)
            self.rows[model] = []


def _add_service(batch, seed, index, service_id, template, locality, variant, organizations, venues) -> None:
    rows = _service_rows(seed, index, template, locality, variant)
    organization = organizations[template.organization]
    rng = random.Random(f"{seed}/venue/{index}")
    venue = (
        rng.choice(venues[locality.name][: 2 if template.organization in ("childrens-centres", "council") else 4])
        if locality
        else None
    )
    search_parts = [rows["name"], template.description, organization.name, template.eligibility]
    search_parts += [name for slug, name, _ in NEEDS if slug in template.needs]
    if venue:
        search_parts.append(venue.name)
    service = Service(
        id=service_id,
        organization=organization,
        name=rows["name"],
        description=template.description,
        url=f"{organization.website}/{template.key}",
        email=organization.email if rng.random() < 0.6 else "",
        status=rows["status"],
        minimum_age=template.minimum_age,
        maximum_age=template.maximum_age,
        eligibility_description=template.eligibility,
        application_process=template.how,
        assured_date=rows["reviewed"],
        assurer_email="earlyhelp@example.org",
        alert=rows["alert"],
        last_modified=rules.whole_milliseconds(rows["modified"]),
        review_status=ReviewStatus.PUBLISHED,
        search_text=rules.search_text_of(*search_parts),
    )
    batch.add(service)
    if template.phone:
        contact = Contact(id=_id(seed, "contact", index), service=service, name="Enquiries")
        batch.add(contact)
        batch.add(Phone(id=_id(seed, "phone", index), contact=contact, number=template.phone))
    place = None
    if venue:
        place = ServiceAtLocation(id=_id(seed, "service_at_location", index), service=service, location=venue)
        batch.add(place)
        district = LOCALITY_DISTRICTS[locality.name]
        batch.add(
            ServiceArea(
                id=_id(seed, "service_area", index),
                service=service,
                name=locality.name,
                service_area=f"Families living in {locality.name}",
                extent=district,
                extent_type="text",
                postcode_districts=area_districts_field([district]),
            )
        )
    else:
        districts = list(LOCALITY_DISTRICTS.values())
        batch.add(
            ServiceArea(
                id=_id(seed, "service_area", index),
                service=service,
                name="Whole borough",
                service_area="Anyone living in the borough",
                extent=" ".join(districts),
                extent_type="text",
                postcode_districts=area_districts_field(districts),
            )
        )
    if template.days:
        batch.add(
            Schedule(
                id=_id(seed, "schedule", index),
                service=service,
                service_at_location=place,
                freq="WEEKLY",
                interval=1,
                byday=",".join(template.days),
                opens_at=template.opens,
                closes_at=template.closes,
                attending_type="In person" if venue else "By phone or online",
                notes="Term time only" if template.organization == "childrens-centres" else "",
            )
        )
    if template.cost is not None:
        amount, per = template.cost
        batch.add(
            CostOption(
                id=_id(seed, "cost_option", index),
                service=service,
                option="Everyone" if amount else "",
                amount=amount,
                amount_description=per,
            )
        )
    for slug in template.needs:
        batch.add(
            Attribute(
                id=_id(seed, "attribute", f"{index}/{slug}"),
                service=service,
                taxonomy_term_id=need_term_id(slug),
                link_type=NEED_LINK_TYPE,
            )
        )
    for name, code in template.languages:
        batch.add(Language(id=_id(seed, "language", f"{index}/{code}"), service=service, name=name, code=code))
    if template.organization in ("families-together", "foodbank", "relationships"):
        batch.add(
            Funding(
                id=_id(seed, "funding", index),
                service=service,
                source="Grants from the council's early help fund and the National Lottery Community Fund",
            )
        )


def _demo_editor(organization: Organization) -> User:
    """The demo's provider editor: signs in as `provider` with the demo password."""
    from earlyhelp.demo.borough import DEMO_PASSWORD

    user = User.objects.filter(username=DEMO_EDITOR).first()
    if user is None:
        agency, _ = Agency.objects.get_or_create(
            name="Families Together (charity)", defaults={"kind": AgencyKind.VOLUNTARY}
        )
        user = User(
            username=DEMO_EDITOR,
            role=Role.PROVIDER_EDITOR,
            first_name="Faye",
            last_name="Roberts",
            agency=agency,
            job_title="Volunteer coordinator",
            email="provider@example.org",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    DirectoryEditor.objects.get_or_create(user=user, organization=organization)
    # The charity is a partnership agency too, so a family's consent to share with it can be recorded
    # and plans' referrals to its services reach the editor's queue.
    if organization.agency_id is None and user.agency_id is not None:
        organization.agency_id = user.agency_id
        organization.save(update_fields=["agency"])
    return user


def _workflow_examples(editor: User) -> None:
    """Six of the editor's listings part-way through review, so the staff pages have work to show:
    two new ones waiting, one returned, one draft, one published with a change waiting, one overdue."""
    theirs = list(
        Service.objects.filter(organization__editors__user=editor, review_status=ReviewStatus.PUBLISHED)
        .select_related("organization")
        .order_by("id")[:6]
    )
    already = Service.objects.filter(organization__editors__user=editor).exclude(review_status=ReviewStatus.PUBLISHED)
    if len(theirs) < 6 or already.exists():
        return
    waiting, also_waiting, returned, draft, changed, overdue = theirs
    for service in (waiting, also_waiting, returned, draft):
        service.review_status, service.assured_date = ReviewStatus.DRAFT, None
        service.save(update_fields=["review_status", "assured_date"])
    for service in (waiting, also_waiting, returned):
        listing_submit(actor=editor, service=service)
    reviewer = User.objects.filter(role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    if reviewer is not None:
        listing_return(
            actor=reviewer,
            service=returned,
            note="Please add the venue's opening times and say whether parents need to book.",
        )
    details = listing_details_of(changed)
    listing_save(
        actor=editor,
        service=changed,
        details=replace(details, description=details.description + " Fathers and male carers are very welcome."),
    )
    Service.objects.filter(pk=overdue.pk).update(assured_date=timezone.localdate() - timedelta(days=500))
