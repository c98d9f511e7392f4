"""`manage.py seed_demo`: a synthetic borough, reproducible from a seed, scalable, with identifiers
that pass their checks but can never be real people's."""

import re
from collections import Counter
from datetime import date
from functools import partial
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.audit.models import AuditEvent
from earlyhelp.demo import borough as demo_borough
from earlyhelp.demo.borough import DEMO_USERS
from earlyhelp.demo.directory import DEMO_EDITOR
from earlyhelp.demo.identifiers import NHS_NUMBERS_EXHAUSTED, NhsNumberPool
from earlyhelp.demo.management.commands.seed_demo import HISTORY_SHARE, database_size
from earlyhelp.families import rules
from earlyhelp.families.models import Household, Involvement, MemberRole, Membership, Person
from earlyhelp.history.models import ImportedRow
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

FAMILIES = 40


def _seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def _register() -> list[tuple]:
    return sorted(Person.objects.values_list("given_name", "family_name", "date_of_birth", "nhs_number", "upn"))


def _register_of(**options) -> list[tuple]:
    """The register a seed builds, rolled back afterwards so the next build starts empty."""
    with transaction.atomic():
        _seed(**options)
        register = _register()
        transaction.set_rollback(True)
    return register


def _age(born: date) -> float:
    return (timezone.localdate() - born).days / 365.25


@pytest.fixture(scope="class")
def borough(django_db_setup, django_db_blocker):
    """A borough of FAMILIES families, built once for the class in a transaction rolled back after its
    last test: each test runs in a savepoint inside it, so what one adds is gone before the next."""
    with built_once(django_db_blocker):
        _seed(families=FAMILIES, seed=11)
        yield


def test_the_same_seed_builds_the_same_borough_and_another_seed_a_different_one():
    first = _register_of(families=20, seed=11)
    assert first
    assert _register_of(families=20, seed=11) == first
    assert _register_of(families=20, seed=12) != first


def test_the_number_of_families_is_a_parameter():
    _seed(families=0, seed=1)
    assert not Household.objects.exists()
    output = _seed(families=25, seed=1)
    # Beside today's families, the history's: families whose work ended in the last three years.
    history = {
        file: set(ImportedRow.objects.filter(file=file).values_list("record_id", flat=True))
        for file in ("families", "persons")
    }
    assert len(history["families"]) == 25 * HISTORY_SHARE // 100
    assert Household.objects.exclude(pk__in=history["families"]).count() == 25
    assert f"Added 25 families, {Person.objects.exclude(pk__in=history['persons']).count()} people" in output


def test_a_negative_number_of_families_is_refused():
    with pytest.raises(CommandError):
        _seed(families=-1)


# One worker builds the borough once for the class, rather than each worker that gets one of its tests.
@pytest.mark.xdist_group("demo_seed_borough")
class TestOneBorough:
    def test_if_empty_leaves_a_loaded_register_alone(self, borough):
        people = Person.objects.count()
        assert "already loaded" in _seed(families=10, if_empty=True)
        assert Person.objects.count() == people

    def test_every_nhs_number_is_valid_and_from_the_range_reserved_for_testing(self, borough):
        numbers = list(Person.objects.exclude(nhs_number=None).values_list("nhs_number", flat=True))
        assert numbers
        assert all(number.startswith("999") and rules.nhs_number_is_valid(number) for number in numbers)
        assert len(set(numbers)) == len(numbers)

    def test_every_upn_is_valid_with_a_local_authority_code_no_authority_holds(self, borough):
        upns = list(Person.objects.exclude(upn=None).values_list("upn", flat=True))
        assert upns
        assert all(rules.upn_is_valid(upn) and upn[1:4] == "999" for upn in upns)

    def test_children_are_of_school_and_pre_school_age_and_parents_are_adults(self, borough):
        by_role = {role: [] for role in MemberRole.values}
        for role, born in Membership.objects.values_list("role", "person__date_of_birth"):
            by_role[role].append(born)
        assert by_role[MemberRole.CHILD]
        assert all(0 <= _age(born) < 20 for born in by_role[MemberRole.CHILD])
        assert all(18 <= _age(born) <= 56 for born in by_role[MemberRole.PARENT])
        ages = [_age(born) for born in by_role[MemberRole.CHILD]]
        # About half under ten, as in the borough's own figures (17,400 of 36,700).
        assert 0.25 < sum(age < 10 for age in ages) / len(ages) < 0.75
        assert all(born is None for born in by_role[MemberRole.UNBORN])

    def test_every_family_has_a_parent_and_one_to_five_children(self, borough):
        roles = Counter(Membership.objects.values_list("household_id", "role"))
        for household_id in Household.objects.values_list("id", flat=True):
            assert 1 <= roles[(household_id, MemberRole.PARENT)] <= 2
            assert 1 <= roles[(household_id, MemberRole.CHILD)] <= 5
        sizes = Counter(Membership.objects.values_list("household_id", flat=True)).values()
        assert 2 <= sum(sizes) / len(sizes) <= 5

    def test_names_and_postcodes_are_fit_for_search(self, borough):
        for person in Person.objects.all()[:200]:
            assert person.search_name == rules.name_search_key(person.given_name, person.family_name)
            assert rules.postcode_is_valid(person.postcode)

    def test_some_but_not_all_families_are_known_to_services(self, borough):
        known = Involvement.objects.values("household_id").distinct().count()
        assert 0 < known < FAMILIES / 2

    def test_there_is_one_demo_sign_in_for_every_role(self, borough):
        users = User.objects.filter(username__in=[row[0] for row in DEMO_USERS] + [DEMO_EDITOR])
        assert set(users.values_list("role", flat=True)) == set(Role.values)
        assert all(user.has_usable_password() for user in users)

    def test_building_the_borough_is_audited_with_its_size_and_seed(self, borough):
        event = AuditEvent.objects.get(object_type="demo_borough")
        assert event.details["families"] == FAMILIES
        assert event.details["seed"] == 11


def test_the_build_reports_how_long_it_took_and_the_size_of_the_database():
    output = _seed(families=5, seed=3)
    found = re.search(r"Took ([\d,.]+) s; the database is now ([\d,.]+) MB\.", output)
    assert found, output
    assert float(found[1].replace(",", "")) > 0
    reported = float(found[2].replace(",", ""))
    assert reported > 0
    assert reported == pytest.approx(database_size() / 1_000_000, rel=0.05)


def test_when_the_nhs_numbers_run_out_the_build_stops_with_the_message_and_adds_no_one(monkeypatch):
    # The real pool over the first 22 stems of the range, which hold 20 numbers: about 35 people.
    monkeypatch.setattr(demo_borough, "NhsNumberPool", partial(NhsNumberPool, size=22))
    with pytest.raises(CommandError) as stopped:
        _seed(families=10, seed=5)
    assert str(stopped.value) == NHS_NUMBERS_EXHAUSTED.format(size=22)
    assert not Person.objects.exists()
