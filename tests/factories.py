"""factory_boy factories, one per record and state. Identifiers are synthetic and valid."""

import random
from datetime import date, timedelta

import factory
from django.utils import timezone

from earlyhelp.accounts.models import Agency, AgencyKind, Locality, Role, Team, User
from earlyhelp.demo.identifiers import NhsNumberPool, synthetic_upn
from earlyhelp.families.models import Household, Involvement, InvolvementRole, MemberRole, Membership, Person
from earlyhelp.families.rules import name_search_key

_rng = random.Random(7)
# Drawn without replacement, so two people a test makes never share a number (the column is unique).
_nhs_numbers = NhsNumberPool(random.Random(7))
TEST_PASSWORD = "correct-horse-battery"


class LocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Locality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Locality {n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.EDUCATION


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    agency = factory.SubFactory(AgencyFactory)
    email = factory.LazyAttribute(lambda team: f"team{team.name.split()[-1]}@example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Worker{n}")
    role = Role.PRACTITIONER
    team = factory.SubFactory(TeamFactory)
    agency = factory.SelfAttribute("team.agency")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the object first
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    search_name = factory.LazyAttribute(lambda person: name_search_key(person.given_name, person.family_name))
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=_rng.randrange(365, 365 * 17)))
    nhs_number = factory.LazyFunction(_nhs_numbers.draw)
    postcode = "L36 9XY"


class ChildFactory(PersonFactory):
    upn = factory.LazyFunction(lambda: synthetic_upn(_rng, year=_rng.randrange(100)))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Family {n}")
    postcode = "L36 9XY"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(ChildFactory)
    role = MemberRole.CHILD
    started_on = date(2020, 1, 1)


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    household = factory.SubFactory(HouseholdFactory)
    practitioner = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda involvement: involvement.practitioner.agency)
    role = InvolvementRole.TAF_MEMBER
    started_on = date(2024, 1, 1)
