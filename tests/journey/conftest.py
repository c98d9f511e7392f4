import pytest

from tests.browser_support import browser, page  # noqa: F401 - fixtures for the browser tests

from .factories import CoordinatorFactory, ManagerFactory, SocialCareTeamFactory, SocialWorkerFactory


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


@pytest.fixture
def manager(db):
    return ManagerFactory()


@pytest.fixture
def mash(db):
    return SocialCareTeamFactory()


@pytest.fixture
def social_worker(db, mash):
    return SocialWorkerFactory(team=mash, agency=mash.agency)
