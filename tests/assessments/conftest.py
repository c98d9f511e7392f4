import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.families.models import MemberRole
from tests.browser_support import browser, page  # noqa: F401 - fixtures
from tests.factories import InvolvementFactory, MembershipFactory, PersonFactory, UserFactory

from .factories import EpisodeFactory


@pytest.fixture
def episode(db):
    """An open episode for a family of a parent and a child."""
    episode = EpisodeFactory()
    MembershipFactory(household=episode.household, role=MemberRole.CHILD)
    MembershipFactory(household=episode.household, person=PersonFactory(), role=MemberRole.PARENT)
    return episode


@pytest.fixture
def lead(episode):
    return InvolvementFactory(household=episode.household, role="lead").practitioner


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR)
