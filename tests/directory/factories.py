"""factory_boy factories for the directory: an organisation, a published service with its venue,
opening times and needs, and the people who edit and review listings."""

import uuid
from datetime import time
from decimal import Decimal

import factory
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.directory import rules
from earlyhelp.directory.models import (
    Address,
    Attribute,
    Contact,
    CostOption,
    DirectoryEditor,
    Location,
    Organization,
    Phone,
    ReviewStatus,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
)
from earlyhelp.directory.needs import NEED_LINK_TYPE, need_term_id
from earlyhelp.directory.services import area_districts_field
from tests.factories import UserFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Provider {n}")
    description = "A local provider"
    website = "https://provider.example.org"


class ServiceFactory(factory.django.DjangoModelFactory):
    """A published, running service with no venue, for any age."""

    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Help for families"
    review_status = ReviewStatus.PUBLISHED
    last_modified = factory.LazyFunction(lambda: rules.whole_milliseconds(timezone.now()))
    assured_date = factory.LazyFunction(timezone.localdate)
    search_text = factory.LazyAttribute(
        lambda service: rules.search_text_of(service.name, service.description, service.organization.name)
    )

    class Params:
        draft = factory.Trait(review_status=ReviewStatus.DRAFT, assured_date=None)


def add_need(service: Service, slug: str) -> Attribute:
    return Attribute.objects.create(service=service, taxonomy_term_id=need_term_id(slug), link_type=NEED_LINK_TYPE)


def add_venue(service: Service, *, postcode: str, latitude: str, longitude: str, name: str = "Family Hub"):
    location = Location.objects.create(
        name=name, latitude=Decimal(latitude), longitude=Decimal(longitude), location_type="physical"
    )
    Address.objects.create(
        location=location, address_1="1 High Street", city="Borough", state_province="", postal_code=postcode
    )
    return ServiceAtLocation.objects.create(service=service, location=location)


def add_schedule(service: Service, *, byday: str, opens: time, closes: time, place=None) -> Schedule:
    return Schedule.objects.create(
        service=service,
        service_at_location=place,
        freq="WEEKLY",
        interval=1,
        byday=byday,
        opens_at=opens,
        closes_at=closes,
    )


def add_area(service: Service, *districts: str) -> ServiceArea:
    return ServiceArea.objects.create(
        service=service,
        name=" ".join(districts),
        extent=" ".join(districts),
        extent_type="text",
        postcode_districts=area_districts_field(list(districts)),
    )


def add_phone(service: Service, number: str = "0151 000 1234") -> Phone:
    contact = Contact.objects.create(service=service, name="Enquiries")
    return Phone.objects.create(contact=contact, number=number)


def add_cost(service: Service, amount: str, per: str = "") -> CostOption:
    return CostOption.objects.create(service=service, amount=Decimal(amount), amount_description=per)


def make_editor(organization: Organization, **kwargs):
    user = UserFactory(role=Role.PRACTITIONER, **kwargs)
    DirectoryEditor.objects.create(user=user, organization=organization)
    return user


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
