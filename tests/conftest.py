import os
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.conf import settings
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, transaction
from django.test.testcases import LiveServerThread

from earlyhelp.accounts.models import Role

from .factories import HouseholdFactory, InvolvementFactory, MembershipFactory, UserFactory


def _xdist_controller(config) -> bool:
    """Whether this process is the controller of a run spread over pytest-xdist workers."""
    distributed = config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None)
    return bool(distributed) and not hasattr(config, "workerinput")


def pytest_configure(config):
    """Under pytest-xdist every worker collects the tests and must find the same ones in the same
    order; a parametrize list built from a set (tests/plans/test_services.py iterates frozensets)
    is only ordered the same in every process when they share one string hash seed. The controller
    picks one per run, unless PYTHONHASHSEED is set, and its workers inherit it."""
    if _xdist_controller(config):
        os.environ.setdefault("PYTHONHASHSEED", str(random.randrange(1, 2**32)))


def pytest_report_header(config):
    if os.environ.get("PYTHONHASHSEED"):
        return f"PYTHONHASHSEED={os.environ['PYTHONHASHSEED']} (set it to repeat this run's set ordering)"
    return None


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (each process's own memory under the test settings), so what
    one test's pages kept (the dashboard, the insights, a rate limit's count) never answers another's."""
    from django.core.cache import cache

    cache.clear()


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time (each connection still has its thread, so a
    browser's idle spare connection blocks nothing).

    On SQLite the test database is in memory and the live server shares the test's one connection
    with every request thread: Django cannot open a second connection to it. A page that sends two
    requests at once (htmx's search as you type beside the form's own submit) would use that
    connection from two threads at once, which SQLite refuses ("cannot open savepoint - SQL
    statements in progress"). On PostgreSQL each request has its own connection and the server stays
    as Django makes it."""

    def set_app(self, application):
        one_at_a_time = threading.Lock()

        def serialised(environ, start_response):
            with one_at_a_time:
                return application(environ, start_response)

        super().set_app(serialised)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = OneRequestAtATimeServer


# Tests that create objects every database of the PostgreSQL server shares (roles), rather than
# rows in their own test database: under pytest-xdist (`--dist loadgroup`, scripts/test.sh) they
# all run on one worker, one after another, so two workers never race for the same role name.
SERVER_WIDE_FIXTURES = {"app_role"}


# tryfirst: the xdist_group marks must be on the items before xdist's own hook reads them.
# The fixtures through which a test reaches the database (pytest-django's, and so every fixture
# built on them: item.fixturenames is the whole closure).
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def uses_database(item: pytest.Item) -> bool:
    """Whether a test touches the database: marked `django_db`, or asking for a database fixture."""
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


# EARLY_HELP_TESTS=database: the second pass of scripts/test.sh. A test that never touches the
# database (rules, parsers, the linkage model on DuckDB, settings read in a subprocess) gives the
# same answer on either database, so it runs once, in the first pass, and this pass runs the tests
# whose answer could depend on the database, and every test marked `postgres`.
DATABASE_TESTS_ONLY = os.environ.get("EARLY_HELP_TESTS") == "database"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` run only when the suite runs on PostgreSQL; in the database-only
    pass, tests that do not touch the database are left out (they ran in the other pass)."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL pass of make test")
    grouped = config.pluginmanager.hasplugin("xdist")
    if DATABASE_TESTS_ONLY:
        keep = {id(item) for item in items if "postgres" in item.keywords or uses_database(item)}
        kept = [item for item in items if id(item) in keep]
        left = [item for item in items if id(item) not in keep]
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = kept
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
        if grouped and SERVER_WIDE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group("postgres_server_roles"))


def install_reference_data() -> None:
    """Put back the rows the data migrations install, where they are missing."""
    from earlyhelp.journey.indicators import install_default_indicators
    from earlyhelp.journey.models import NeedIndicator

    if not NeedIndicator.objects.exists():
        install_default_indicators(NeedIndicator)
    if apps.is_installed("earlyhelp.directory"):
        from earlyhelp.directory.models import Taxonomy, TaxonomyTerm
        from earlyhelp.directory.needs import NEEDS_TAXONOMY_ID, install_needs

        if not Taxonomy.objects.filter(id=NEEDS_TAXONOMY_ID).exists():
            install_needs(Taxonomy, TaxonomyTerm)


# A transactional test (live server, browser, concurrency) ends by flushing every table, and so
# deletes the rows that data migrations installed: the default level-of-need indicators, the
# directory's needs taxonomy. Every test that uses the database therefore starts by putting them
# back, with the same functions the migrations call; a check per table when they are there.
# `serialized_rollback` would also restore them, but by reloading a serialized copy of the whole
# migrated database (content types and permissions included) before every transactional test,
# which is slower and silently covers data no code of ours can reinstall.
# tests/test_reference_data.py fails when a new data migration is not accounted for here.
@contextmanager
def built_once(django_db_blocker) -> Iterator[None]:
    """For a class- or module-scoped fixture that several tests only read, as Django's TestCase.setUpTestData:
    what is built inside is in a transaction (with the reference data in place) that is rolled back when the
    block ends, after the last of those tests; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        install_reference_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(
        {"transactional_db", "live_server"} & names or (marker is not None and marker.kwargs.get("transaction"))
    )
    if not (transactional or marker is not None or "db" in names):
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    install_reference_data()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings, tmp_path_factory
):
    """pytest-django's, but under pytest-xdist the workers of a pass share one migration (tests/template_database.py):
    the first to start migrates and leaves a template, the others start from copies of it."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from .template_database import setup_from_template

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    setup = {"verbosity": verbosity, "interactive": False, "aliases": aliases, "serialized_aliases": serialized_aliases}
    with django_db_blocker.unblock():
        if hasattr(request.config, "workerinput"):
            config = setup_from_template(tmp_path_factory.getbasetemp().parent, **setup)
        else:
            config = setup_databases(**setup)
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=verbosity)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    """The controller of an xdist pass, once every worker has ended, drops the template they started from."""
    if _xdist_controller(session.config):
        from pytest_django.plugin import blocking_manager_key

        from .template_database import drop_postgres_template

        with session.config.stash[blocking_manager_key].unblock():
            drop_postgres_template()


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
