"""Finding a person: by name (typos and name order forgiven), previous name, date of birth, NHS
number, UPN or postcode; only among the people the user may see; audited without the terms.

The name match is word by word, each typed word matching a word of the name exactly or with one
slip: on PostgreSQL through the dictionary of name words and the word indexes (trigram similarity
when that finds no one), on SQLite in Python with rapidfuzz (selectors._name_matches); these tests
run on both and expect the same answers."""

import json
from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import rules
from earlyhelp.families.models import PersonName
from earlyhelp.families.selectors import (
    SEARCH_NAME_TOO_SHORT,
    SEARCH_NEEDS_CRITERIA,
    PersonQuery,
    person_search,
)
from earlyhelp.families.services import PersonDetails, person_update
from tests.factories import ChildFactory, InvolvementFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"
UPN = "B801200005001"


@pytest.fixture
def coordinator():
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def jane(db):
    return PersonFactory(
        given_name="Jane", family_name="Smith", date_of_birth=date(2014, 5, 2), nhs_number=NHS, postcode="L36 9XY"
    )


def _names(people) -> list[str]:
    return [person.full_name for person in people]


def _search(user, **criteria):
    return person_search(user=user, query=PersonQuery(**criteria))


@pytest.mark.parametrize(
    "typed", ["Jane Smith", "jane smith", "Smith Jane", "Jayne Smith", "Jane Smyth", "JANE  SMITH"]
)
def test_a_name_is_found_despite_a_typo_or_the_order_of_its_parts(coordinator, jane, typed):
    PersonFactory(given_name="Ali", family_name="Khan")
    assert _names(_search(coordinator, name=typed)) == ["Jane Smith"]


def test_one_name_alone_finds_everyone_who_has_it(coordinator, jane):
    PersonFactory(given_name="Tom", family_name="Smith")
    PersonFactory(given_name="Ali", family_name="Khan")
    assert sorted(_names(_search(coordinator, name="Smith"))) == ["Jane Smith", "Tom Smith"]


def test_the_closest_name_comes_first(coordinator, jane):
    PersonFactory(given_name="Jayne", family_name="Smith")
    assert _names(_search(coordinator, name="Jane Smith")) == ["Jane Smith", "Jayne Smith"]
    assert _names(_search(coordinator, name="Jayne Smith")) == ["Jayne Smith", "Jane Smith"]


def test_accents_do_not_stop_a_match(coordinator):
    PersonFactory(given_name="Zoë", family_name="Brontë", search_name=rules.name_search_key("Zoë", "Brontë"))
    assert _names(_search(coordinator, name="Zoe Bronte")) == ["Zoë Brontë"]


def test_a_person_is_found_by_a_name_they_used_before(coordinator):
    person = PersonFactory(given_name="Jane", family_name="Jones")
    PersonName.objects.create(
        person=person, given_name="Jane", family_name="Smith", search_name=rules.name_search_key("Jane", "Smith")
    )
    assert _search(coordinator, name="Jane Smith") == [person]


def test_a_different_name_is_not_a_match(coordinator, jane):
    assert _search(coordinator, name="Bartholomew Okonkwo") == []


@pytest.mark.parametrize("typed", ["Ardian Atbott", "Atbott Ardian", "Adrain Abott", "ADRIAN ABBOT"])
def test_a_name_with_a_slip_in_both_its_parts_is_found_in_either_order(coordinator, typed):
    adrian = PersonFactory(given_name="Adrian", family_name="Abbott")
    PersonFactory(given_name="Adam", family_name="Abbas")
    PersonFactory(given_name="Ali", family_name="Khan")
    assert _search(coordinator, name=typed)[0] == adrian


def test_the_parts_typed_of_a_longer_name_find_it(coordinator, jane):
    longer = PersonFactory(given_name="Mary Jane", family_name="Smith-Jones")
    assert longer in _search(coordinator, name="Jane Smith")
    assert _search(coordinator, name="Mary Smith-Jones") == [longer]


def test_a_person_renamed_is_found_by_the_new_name_with_slips_in_both_parts(coordinator, jane):
    person_update(
        actor=coordinator,
        person=jane,
        details=PersonDetails(given_name="Jolanta", family_name="Wisniewska", date_of_birth=jane.date_of_birth),
    )
    assert _search(coordinator, name="Jolatna Wisniewkska") == [jane]
    assert _search(coordinator, name="Jane Smith") == [jane]


@pytest.mark.postgres
def test_a_word_no_name_has_any_more_leaves_the_dictionary_of_name_words(coordinator):
    """The dictionary (migration families/0005) must not keep a name the register no longer holds."""
    person = PersonFactory(given_name="Adrian", family_name="Quixwell")
    PersonName.objects.create(person=person, given_name="Adrian", family_name="Quixwell", search_name="adrian quixwell")
    assert _in_dictionary("quixwell")
    PersonName.objects.filter(person=person).delete()
    assert _in_dictionary("quixwell")
    person_update(actor=coordinator, person=person, details=PersonDetails(given_name="Adrian", family_name="Zorn"))
    assert _in_dictionary("quixwell")  # now a previous name
    PersonName.objects.filter(person=person).delete()
    assert not _in_dictionary("quixwell")
    assert _in_dictionary("zorn")
    assert _in_dictionary("adrian")
    assert _search(coordinator, name="Quixwel") == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_emptying_the_names_at_once_empties_the_dictionary_of_their_words():
    """A flush (or any TRUNCATE of the name tables) fires no delete trigger; the dictionary must still forget."""
    person = PersonFactory(given_name="Adrian", family_name="Quixwell")
    PersonName.objects.create(person=person, given_name="Adrian", family_name="Yarrowby", search_name="adrian yarrowby")
    assert _in_dictionary("quixwell")
    assert _in_dictionary("yarrowby")
    call_command("flush", interactive=False, verbosity=0)
    assert not _in_dictionary("quixwell")
    assert not _in_dictionary("yarrowby")
    assert not _in_dictionary("adrian")


@pytest.mark.postgres
def test_the_dictionary_leaves_out_one_letter_as_the_rules_do():
    with connection.cursor() as cursor:
        cursor.execute("SELECT families_nameword_variants('abbott')")
        assert {variant for (variant,) in cursor.fetchall()} == rules.name_word_variants("abbott")


def _in_dictionary(word: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM families_nameword_variant WHERE word = %s", [word])
        return cursor.fetchone()[0] > 0


def test_the_date_of_birth_narrows_a_name_search(coordinator, jane):
    PersonFactory(given_name="Jane", family_name="Smith", date_of_birth=date(1990, 1, 1))
    assert _search(coordinator, name="Jane Smith", date_of_birth=date(2014, 5, 2)) == [jane]
    assert _search(coordinator, date_of_birth=date(2014, 5, 2)) == [jane]


def test_an_nhs_number_finds_its_person_however_it_is_written(coordinator, jane):
    PersonFactory(given_name="Jane", family_name="Smith")
    assert _search(coordinator, nhs_number="943 476 5919") == [jane]
    assert _search(coordinator, nhs_number="943-476-5919") == [jane]


def test_a_upn_finds_its_pupil(coordinator):
    pupil = ChildFactory(upn=UPN)
    ChildFactory()
    assert _search(coordinator, upn="b801 2000 05001") == [pupil]


def test_a_postcode_finds_the_people_living_there(coordinator, jane):
    PersonFactory(postcode="L33 1AA")
    assert _search(coordinator, postcode="l369xy") == [jane]


def test_every_criterion_given_must_match(coordinator, jane):
    assert _search(coordinator, name="Jane Smith", postcode="L33 1AA") == []
    assert _search(coordinator, name="Jane Smith", postcode="L36 9XY") == [jane]


@pytest.mark.parametrize(
    ("criteria", "errors"),
    [
        ({}, {"name": [SEARCH_NEEDS_CRITERIA]}),
        ({"name": "  "}, {"name": [SEARCH_NEEDS_CRITERIA]}),
        ({"name": "J"}, {"name": [SEARCH_NAME_TOO_SHORT]}),
        ({"nhs_number": "9434765918"}, {"nhs_number": [rules.NHS_NUMBER_INVALID]}),
        ({"upn": "A801200005001"}, {"upn": [rules.UPN_INVALID]}),
        ({"postcode": "L36"}, {"postcode": [rules.POSTCODE_INVALID]}),
    ],
)
def test_a_search_without_usable_criteria_is_refused_against_the_field_and_not_audited(coordinator, criteria, errors):
    with pytest.raises(ValidationError) as excinfo:
        _search(coordinator, **criteria)
    assert excinfo.value.message_dict == errors
    assert not AuditEvent.objects.exists()


def test_results_stop_at_the_configured_limit(coordinator, settings):
    settings.EARLY_HELP = replace(settings.EARLY_HELP, search_result_limit=2)
    for given in ["Jane", "Janet", "Jan"]:
        PersonFactory(given_name=given, family_name="Smith")
    assert len(_search(coordinator, name="Smith")) == 2
    assert len(_search(coordinator, postcode="L36 9XY")) == 2


# Only what the user may see ------------------------------------------------------------------------


def test_a_practitioner_finds_only_people_in_families_they_work_with():
    mine = MembershipFactory(person__given_name="Jane", person__family_name="Smith")
    MembershipFactory(person__given_name="Jane", person__family_name="Smith")
    practitioner = InvolvementFactory(household=mine.household).practitioner
    assert _search(practitioner, name="Jane Smith") == [mine.person]
    assert _search(practitioner, postcode="L36 9XY") == [mine.person]


def test_a_practitioner_whose_involvement_ended_no_longer_finds_the_family():
    membership = MembershipFactory(person__given_name="Jane", person__family_name="Smith")
    InvolvementFactory(household=membership.household, ended_on=date(2024, 6, 1), practitioner=UserFactory())
    practitioner = membership.household.involvements.get().practitioner
    assert _search(practitioner, name="Jane Smith") == []


def test_a_previous_name_is_searched_only_among_people_the_user_may_see():
    mine = MembershipFactory(person__given_name="Jane", person__family_name="Jones")
    theirs = MembershipFactory(person__given_name="Jane", person__family_name="Brown")
    for person in (mine.person, theirs.person):
        PersonName.objects.create(person=person, given_name="Jane", family_name="Smith", search_name="jane smith")
    practitioner = InvolvementFactory(household=mine.household).practitioner
    assert _search(practitioner, name="Jane Smith") == [mine.person]


def test_a_common_previous_name_elsewhere_does_not_crowd_out_the_users_own_people(settings):
    settings.EARLY_HELP = replace(settings.EARLY_HELP, search_result_limit=3)
    mine = MembershipFactory(person__given_name="Jane", person__family_name="Jones")
    PersonName.objects.create(person=mine.person, given_name="Jane", family_name="Smyth", search_name="jane smyth")
    for _ in range(5):
        other = MembershipFactory(person__given_name="Jane", person__family_name="Brown")
        PersonName.objects.create(person=other.person, given_name="Jane", family_name="Smith", search_name="jane smith")
    practitioner = InvolvementFactory(household=mine.household).practitioner
    assert _search(practitioner, name="Jane Smith") == [mine.person]


def test_the_coordinator_finds_anyone_on_the_register(coordinator):
    first = MembershipFactory(person__given_name="Jane", person__family_name="Smith").person
    second = PersonFactory(given_name="Jane", family_name="Smith")
    assert {person.id for person in _search(coordinator, name="Jane Smith")} == {first.id, second.id}


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_roles_without_access_to_records_find_nobody(role, jane):
    assert _search(UserFactory(role=role), name="Jane Smith") == []


# Audit -------------------------------------------------------------------------------------------------


def test_a_search_is_audited_with_the_kinds_of_criteria_and_the_results_but_not_the_terms(coordinator, jane):
    results = _search(coordinator, name="Jane Smith", nhs_number="943 476 5919", postcode="L36 9XY")
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.actor_username) == (Action.SEARCH, "person", coordinator.username)
    assert event.details == {"criteria": ["name", "nhs_number", "postcode"], "results": [str(jane.id)]}
    assert results == [jane]
    stored = json.dumps(
        [event.details, event.purpose, event.object_id, event.actor_username, event.actor_agency]
    ).lower()
    for term in ("jane", "smith", "9434765919", "943 476", "l36"):
        assert term not in stored


def test_a_search_that_finds_nobody_is_still_audited(coordinator):
    assert _search(coordinator, name="Nobody Here") == []
    assert AuditEvent.objects.get().details == {"criteria": ["name"], "results": []}
