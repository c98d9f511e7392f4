"""`seed_demo --bulk`: a large synthetic authority built by bulk inserts in PostgreSQL (demo/large.py)."""

import re
from collections import Counter
from functools import partial
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from earlyhelp.accounts.models import User
from earlyhelp.assessments.models import Assessment, AssessmentVersion, MemberSection, Need
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub.models import Flag, PartnerRecord
from earlyhelp.demo import large
from earlyhelp.demo.large import NHS_NUMBERS_RUN_OUT, BulkSeedError, build_large
from earlyhelp.demo.management.commands import seed_demo
from earlyhelp.families import rules
from earlyhelp.families.models import Household, Involvement, MemberRole, Membership, Person, PersonName
from earlyhelp.families.selectors import PersonQuery, person_search
from earlyhelp.journey import selectors as journey_selectors
from earlyhelp.journey.models import (
    ChronologyEntry,
    ClosureNeedOutcome,
    Episode,
    EpisodeClosure,
    LevelOfNeed,
    SupportRequest,
)
from earlyhelp.measures.models import CareEpisode, Referral, SingleAssessment
from earlyhelp.plans.models import Meeting, MeetingAttendee, Outcome, Plan, PlanAction

pytestmark = pytest.mark.django_db

FAMILIES = 120
EVERY_TABLE = [
    Household,
    Person,
    Membership,
    PersonName,
    Involvement,
    SupportRequest,
    Episode,
    LevelOfNeed,
    EpisodeClosure,
    ClosureNeedOutcome,
    Assessment,
    AssessmentVersion,
    MemberSection,
    Need,
    Plan,
    Outcome,
    PlanAction,
    Meeting,
    MeetingAttendee,
    ChronologyEntry,
    Referral,
    SingleAssessment,
    CareEpisode,
    PartnerRecord,
    Flag,
]


@pytest.fixture
def authority() -> large.LargeSize:
    return build_large(families=FAMILIES, seed=7)


def _register() -> list[tuple]:
    return sorted(Person.objects.values_list("given_name", "family_name", "date_of_birth", "sex", "nhs_number", "upn"))


@pytest.mark.postgres
def test_every_table_is_filled_and_every_constraint_holds(authority):
    for model in EVERY_TABLE:
        assert model.objects.exists(), model.__name__
    assert Household.objects.count() == FAMILIES
    assert authority.persons == Person.objects.count()
    # Check constraints hold at each insert; the foreign keys are deferred to the commit: check them now.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    roles = Counter(Membership.objects.values_list("household_id", "role"))
    for household_id in Household.objects.values_list("id", flat=True):
        assert 1 <= roles[(household_id, MemberRole.PARENT)] <= 2
        assert 1 <= roles[(household_id, MemberRole.CHILD)] <= 5
    event = AuditEvent.objects.get(object_type="demo_large_borough")
    assert event.details["families"] == FAMILIES
    assert event.details["rows"]["episodes"] == Episode.objects.count()


@pytest.mark.postgres
def test_identifiers_are_valid_unique_and_some_people_have_no_nhs_number(authority):
    people = list(Person.objects.values_list("nhs_number", "upn", "date_of_birth", "memberships__role"))
    numbers = [number for number, *_ in people if number]
    assert numbers and all(number.startswith("999") and rules.nhs_number_is_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)
    without = Counter(role for number, _, born, role in people if number is None and born is not None)
    assert without[MemberRole.CHILD] > 0 and without[MemberRole.PARENT] > 0
    upns = [upn for _, upn, *_ in people if upn]
    assert upns and all(rules.upn_is_valid(upn) and upn[1:4] == "999" for upn in upns)
    assert len(set(upns)) == len(upns)


@pytest.mark.postgres
def test_names_are_keyed_for_search_and_the_search_finds_a_misspelt_one(authority):
    for person in Person.objects.all():
        assert person.search_name == rules.name_search_key(person.given_name, person.family_name)
        assert rules.postcode_is_valid(person.postcode)
    for name in PersonName.objects.all():
        assert name.search_name == rules.name_search_key(name.given_name, name.family_name)
    wanted = Person.objects.filter(family_name__regex=r"^[A-Za-z]{6,}$", given_name__regex=r"^[A-Za-z]{4,}$").first()
    misspelt = wanted.family_name[:2] + wanted.family_name[3:]  # a letter dropped
    coordinator = User.objects.get(username="coordinator")
    found = person_search(user=coordinator, query=PersonQuery(name=f"{wanted.given_name} {misspelt}"))
    assert wanted in found


@pytest.mark.postgres
def test_a_bulk_family_page_and_its_chronology_show_its_history(authority, client):
    episode = Episode.objects.filter(closure__isnull=False, household__plans__isnull=False).first()
    household = episode.household
    entries = list(journey_selectors.chronology(household))
    assert {"request", "episode", "assessment", "plan", "closure"} <= {entry.kind for entry in entries}
    client.force_login(User.objects.get(username="coordinator"))
    page = client.get(reverse("families:household", args=[household.pk]))
    assert page.status_code == 200
    assert household.name in page.content.decode()


@pytest.mark.postgres
def test_the_same_seed_builds_the_same_register():
    def register_of(seed: int) -> list[tuple]:
        with transaction.atomic():
            build_large(families=20, seed=seed)
            register = _register()
            transaction.set_rollback(True)
        return register

    first = register_of(3)
    assert first == register_of(3)
    assert first != register_of(4)


@pytest.mark.postgres
def test_when_the_nhs_numbers_would_run_out_nothing_is_written():
    # The first 22 stems of the range hold 20 numbers: far fewer than 10 families need.
    with pytest.raises(BulkSeedError) as stopped:
        build_large(families=10, seed=5, nhs_stems=22)
    assert str(stopped.value).startswith(NHS_NUMBERS_RUN_OUT.split("{")[0])
    assert "20 left" in str(stopped.value)
    assert not Person.objects.exists()


@pytest.mark.postgres
def test_the_command_takes_the_bulk_path_reports_each_stage_and_stops_with_the_message(monkeypatch):
    out = StringIO()
    call_command("seed_demo", families=15, bulk=True, stdout=out)
    output = out.getvalue()
    assert "Path: bulk inserts in PostgreSQL" in output
    assert re.search(r"  episodes: [\d,]+ rows in [\d.]+ s", output)
    assert re.search(r"Took [\d,.]+ s; the database is now [\d,.]+ MB\.", output)
    monkeypatch.setattr(seed_demo, "build_large", partial(build_large, nhs_stems=22))
    with pytest.raises(CommandError, match="synthetic NHS numbers"):
        call_command("seed_demo", families=10, bulk=True, stdout=StringIO())


def test_the_bulk_path_is_refused_on_sqlite(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="--bulk needs PostgreSQL"):
        call_command("seed_demo", families=5, bulk=True, stdout=StringIO())
    with pytest.raises(BulkSeedError):
        build_large(families=5, seed=1)


@pytest.mark.postgres
def test_from_the_threshold_on_postgresql_the_command_takes_the_bulk_path_by_itself(monkeypatch):
    monkeypatch.setattr(seed_demo, "BULK_THRESHOLD", 12)
    below = StringIO()
    call_command("seed_demo", families=3, services=0, stdout=below)
    assert "Path: through the services" in below.getvalue()
    at = StringIO()
    call_command("seed_demo", families=12, services=0, stdout=at)
    assert "Path: bulk inserts in PostgreSQL" in at.getvalue()


@pytest.mark.postgres
def test_caseloads_are_spread_over_many_lead_professionals(monkeypatch):
    monkeypatch.setattr(large, "FAMILIES_PER_LEAD", 10)
    build_large(families=FAMILIES, seed=7)
    leads = Counter(
        Involvement.objects.filter(role="lead").exclude(practitioner=None).values_list("practitioner_id", flat=True)
    )
    assert 3 < len(leads) <= FAMILIES // 10
    # No lead holds more than a few times a fair share of the episodes.
    assert max(leads.values()) <= 4 * sum(leads.values()) / len(leads)
