import pytest
from django.db import connection

from earlyhelp.accounts.models import Role

from .factories import HouseholdFactory, InvolvementFactory, MembershipFactory, UserFactory


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when the suite runs on PostgreSQL."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of make test")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def make_user(db):
    def make(role: str = Role.PRACTITIONER, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def family(db):
    """A household with one child."""
    membership = MembershipFactory()
    return membership.household


@pytest.fixture
def involved_practitioner(db, family):
    involvement = InvolvementFactory(household=family)
    return involvement.practitioner


@pytest.fixture
def other_household(db):
    return HouseholdFactory()
