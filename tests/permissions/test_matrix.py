"""Every URL × every role × every relation to the record (see matrix.py for how rules are declared)."""

import copy
import importlib
import pkgutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import permissions
from tests.conftest import built_once
from tests.dataprotection.factories import BreakGlassGrantFactory
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

from .matrix import ANONYMOUS, BREAK_GLASS, BREAK_GLASS_EXPIRED, INVOLVED, ROLES, Rule, World

# URLs outside the product's own access model, each with the reason.
EXEMPT = {
    "admin": "Django admin: staff only, checked by test_admin_is_for_staff_only",
}


def _rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for info in pkgutil.iter_modules(permissions.__path__):
        if info.name.startswith("rules_"):
            module = importlib.import_module(f"tests.permissions.{info.name}")
            overlap = rules.keys() & module.RULES.keys()
            assert not overlap, f"URLs with two rules: {sorted(overlap)}"
            rules.update(module.RULES)
    return rules


def _url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


RULES = _rules()
CASES = [
    pytest.param(name, role, relation, id=f"{name}-{role}-{relation}")
    for name, rule in sorted(RULES.items())
    for role in ROLES
    for relation in rule.relations
]


def test_every_url_has_an_access_rule():
    names = {name for name in _url_names() if name.split(":")[0] not in EXEMPT}
    missing = sorted(names - RULES.keys())
    assert not missing, f"URLs with no rule in tests/permissions/rules_*.py: {missing}"
    stale = sorted(RULES.keys() - names)
    assert not stale, f"Rules for URLs that no longer exist: {stale}"


def _world(role: str, relation: str) -> World:
    membership = MembershipFactory()
    user = None if role == ANONYMOUS else UserFactory(role=role)
    if user is not None and relation == INVOLVED:
        InvolvementFactory(household=membership.household, practitioner=user)
    if user is not None and relation in (BREAK_GLASS, BREAK_GLASS_EXPIRED):
        BreakGlassGrantFactory(household=membership.household, user=user, expired=relation == BREAK_GLASS_EXPIRED)
    return World(household=membership.household, person=membership.person, membership=membership, user=user)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """One world for each role and relation of the cases, its user signed in, built once for the module and
    rolled back after its last case (tests/conftest.py's built_once). Each case runs in a savepoint inside,
    so what one case's request writes, and what its rule builds for its URL, is gone before the next; each
    gets its own copy of the world's objects and the session cookie of a sign-in made for it."""
    built: dict[tuple[str, str], tuple[World, str | None]] = {}
    relations = sorted({relation for rule in RULES.values() for relation in rule.relations})
    with built_once(django_db_blocker):
        for role in ROLES:
            for relation in relations:
                world = _world(role, relation)
                session = None
                if world.user is not None:
                    signing_in = Client()
                    signing_in.force_login(world.user)
                    session = signing_in.cookies[settings.SESSION_COOKIE_NAME].value
                built[role, relation] = (world, session)
        yield built


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "relation"), CASES)
def test_access(client, worlds, name, role, relation):
    rule = RULES[name]
    built, session = worlds[role, relation]
    world = copy.deepcopy(built)
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    url = reverse(name, kwargs=rule.kwargs(world, relation))
    data = rule.data(world) if rule.data else None
    response = (
        client.generic(rule.method, url, data=data) if data is None else getattr(client, rule.method.lower())(url, data)
    )
    expected = rule.expect(role, relation)
    assert response.status_code == expected, (
        f"{rule.method} {url} as {role} ({relation}): {response.status_code}, expected {expected}"
    )


@pytest.mark.django_db
def test_admin_is_for_staff_only(client):
    client.force_login(UserFactory(role="practitioner"))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
