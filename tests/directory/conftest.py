import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.demo.directory import build_directory
from tests.factories import UserFactory

from .factories import OrganizationFactory, make_editor


@pytest.fixture
def demo_directory(db):
    return small_demo_directory()


def small_demo_directory():
    """The demo borough's directory, smaller: venue services in every locality and borough-wide ones."""
    return build_directory(seed=7, services=60)


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def provider(db):
    return OrganizationFactory(name="Families Together")


@pytest.fixture
def editor(provider):
    return make_editor(provider, email="editor@example.org")
