"""The family register's pages over HTTP: search, and editing a household (add a family, add a
person, record a move, change a person's details); bad input names the field and changes nothing."""

import html
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import rules, services
from earlyhelp.families.models import Household, InvolvementRole, Membership, Person
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"


@pytest.fixture
def practitioner(client):
    user = UserFactory(role=Role.PRACTITIONER)
    client.force_login(user)
    return user


@pytest.fixture
def membership(practitioner):
    membership = MembershipFactory(person__given_name="Tom", person__family_name="Smith", started_on=date(2020, 1, 1))
    InvolvementFactory(household=membership.household, practitioner=practitioner)
    return membership


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _assert_field_error(response, field: str, message: str) -> None:
    """The GOV.UK pattern: a summary linking to the field, and the message by the field."""
    text = _text(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert f'<a href="#id_{field}">{message}</a>' in text
    assert f'id="id_{field}-error"' in text
    assert "<title>Error: " in text


def _new_member(**overrides) -> dict:
    return {
        "given_name": "Lily",
        "family_name": "Smith",
        "sex": "F",
        "role": "child",
        "date_of_birth": "2019-02-03",
    } | (overrides)


# Search ------------------------------------------------------------------------------------------


def test_the_search_page_lists_matching_people_with_links(client, membership):
    response = client.get(reverse("families:search"), {"name": "Smith Tom"})
    text = _text(response)
    assert "1 person found" in text
    assert reverse("families:person", args=[membership.person_id]) in text


def test_an_htmx_search_answers_with_the_results_alone(client, membership):
    response = client.get(reverse("families:search"), {"name": "Tom Smith"}, headers={"HX-Request": "true"})
    text = _text(response)
    assert "1 person found" in text
    assert "<html" not in text


def test_a_search_with_a_bad_nhs_number_says_so_against_the_field(client, practitioner):
    response = client.get(reverse("families:search"), {"nhs_number": "123"})
    _assert_field_error(response, "nhs_number", rules.NHS_NUMBER_INVALID)
    assert not AuditEvent.objects.filter(action=Action.SEARCH).exists()


# Adding a family ------------------------------------------------------------------------------------


def test_adding_a_family_takes_the_practitioner_to_its_page(client, practitioner):
    response = client.post(reverse("families:household-create"), {"name": "Okafor family", "postcode": "l36 9xy"})
    household = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("families:household", args=[household.id])
    page = client.get(response["Location"])
    assert "Okafor family added" in _text(page)
    assert "L36 9XY" in _text(page)


def test_a_family_with_a_bad_postcode_is_not_added(client, practitioner):
    response = client.post(reverse("families:household-create"), {"name": "Okafor family", "postcode": "L36"})
    _assert_field_error(response, "postcode", rules.POSTCODE_INVALID)
    assert not Household.objects.exists()


# Adding a person ----------------------------------------------------------------------------------


def test_a_new_person_added_to_the_household_appears_on_its_page(client, membership):
    url = reverse("families:member-add", args=[membership.household_id])
    response = client.post(url, _new_member(nhs_number="943 476 5919", started_on="2024-01-05"))
    assert response.status_code == 302
    lily = Person.objects.get(given_name="Lily")
    assert lily.nhs_number == NHS
    assert Membership.objects.get(person=lily).started_on == date(2024, 1, 5)
    page = _text(client.get(response["Location"]))
    assert "Lily Smith" in page
    assert "Person added to the household" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", rules.NHS_NUMBER_INVALID),
        ({"upn": "A801200005001"}, "upn", rules.UPN_INVALID),
        ({"postcode": "nowhere"}, "postcode", rules.POSTCODE_INVALID),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", rules.DATE_OF_BIRTH_IN_FUTURE),
    ],
)
def test_a_new_person_with_bad_details_is_not_added_and_the_field_is_named(
    client, membership, overrides, field, message
):
    people = Person.objects.count()
    response = client.post(reverse("families:member-add", args=[membership.household_id]), _new_member(**overrides))
    _assert_field_error(response, field, message)
    assert Person.objects.count() == people
    assert membership.household.memberships.count() == 1


def test_a_missing_name_is_refused_by_the_form(client, membership):
    response = client.post(reverse("families:member-add", args=[membership.household_id]), _new_member(given_name=""))
    assert response.status_code == 200
    assert 'href="#id_given_name"' in _text(response)
    assert not Person.objects.filter(given_name="").exists()


# Someone already on the register: the audited known-check answers, and tells a user no more than whom
# to ask about a family they do not work with; someone the user may see is added as they are, not twice.

OTHER_FAMILY_NHS = "9434765870"


@pytest.fixture
def other_child():
    """A child of another family, with a lead professional."""
    membership = MembershipFactory(
        person__given_name="Zainab", person__nhs_number=OTHER_FAMILY_NHS, household__name="Quarshie family"
    )
    lead = UserFactory(role=Role.PRACTITIONER, first_name="Lena", last_name="Lead")
    InvolvementFactory(household=membership.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    return membership.person, lead


def _known_checks():
    return AuditEvent.objects.filter(action=Action.KNOWN_CHECK)


def test_adding_another_familys_child_by_nhs_number_says_whom_to_ask_and_nothing_more(
    client, practitioner, membership, other_child
):
    child, lead = other_child
    people = Person.objects.count()
    response = client.post(
        reverse("families:member-add", args=[membership.household_id]), _new_member(nhs_number=OTHER_FAMILY_NHS)
    )
    text = _text(response)
    message = services.ALREADY_ON_REGISTER_ASK.format(contacts=lead.contact_line)
    assert f'<a href="#id_nhs_number">{message}</a>' in text
    assert "Another person already has this NHS number" not in text
    assert "Quarshie" not in text
    assert "Zainab" not in text
    assert Person.objects.count() == people
    assert list(_known_checks().values_list("actor_id", "person_id")) == [(practitioner.id, child.id)]


def test_adding_a_child_the_user_already_works_with_offers_to_add_them_as_they_are(
    client, practitioner, membership, other_child
):
    child, _ = other_child
    InvolvementFactory(household=child.memberships.get().household, practitioner=practitioner)
    response = client.post(
        reverse("families:member-add", args=[membership.household_id]), _new_member(nhs_number=OTHER_FAMILY_NHS)
    )
    text = _text(response)
    assert f'<a href="#id_nhs_number">{services.ALREADY_ON_REGISTER}</a>' in text
    offer = reverse("families:member-add-known", args=[membership.household_id]) + f"?nhs_number={OTHER_FAMILY_NHS}"
    assert offer in text
    assert _known_checks().filter(person_id=child.id).count() == 1

    offered = _text(client.get(offer))
    assert f'value="{OTHER_FAMILY_NHS}"' in offered
    response = client.post(offer, {"nhs_number": OTHER_FAMILY_NHS, "role": "child", "started_on": "2024-03-01"})
    assert response.status_code == 302
    joined = Membership.objects.get(household=membership.household, person=child)
    assert joined.started_on == date(2024, 3, 1)
    assert Person.objects.filter(nhs_number=OTHER_FAMILY_NHS).count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="membership", person_id=child.id).exists()


def test_someone_on_the_register_the_user_may_not_see_is_not_added_and_the_check_is_audited(
    client, practitioner, membership, other_child
):
    child, lead = other_child
    url = reverse("families:member-add-known", args=[membership.household_id])
    response = client.post(url, {"nhs_number": OTHER_FAMILY_NHS, "role": "child"})
    text = _text(response)
    assert services.ALREADY_ON_REGISTER_ASK.format(contacts=lead.contact_line) in text
    assert "Zainab" not in text
    assert not Membership.objects.filter(household=membership.household, person=child).exists()
    assert list(_known_checks().values_list("actor_id", "person_id")) == [(practitioner.id, child.id)]


def test_an_nhs_number_no_one_has_is_not_added_as_someone_already_on_the_register(client, membership):
    url = reverse("families:member-add-known", args=[membership.household_id])
    response = client.post(url, {"nhs_number": NHS, "role": "child"})
    assert f'<a href="#id_nhs_number">{services.NOT_ON_REGISTER}</a>' in _text(response)
    assert membership.household.memberships.count() == 1
    assert _known_checks().count() == 1


# Recording a move ----------------------------------------------------------------------------------


def test_recording_a_move_keeps_the_person_in_the_households_history(client, membership):
    url = reverse("families:member-move-out", args=[membership.household_id, membership.id])
    response = client.post(url, {"ended_on": "2024-07-31"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == date(2024, 7, 31)
    page = _text(client.get(response["Location"]))
    assert "Tom Smith recorded as moved out" in page
    assert "moved out 31 Jul 2024" in page


def test_a_move_before_the_person_moved_in_is_refused(client, membership):
    url = reverse("families:member-move-out", args=[membership.household_id, membership.id])
    response = client.post(url, {"ended_on": "2019-12-31"})
    _assert_field_error(response, "ended_on", rules.DATES_OUT_OF_ORDER)
    membership.refresh_from_db()
    assert membership.is_current


# Changing a person's details ------------------------------------------------------------------------


def _person_form(person: Person, **overrides) -> dict:
    fields = ["given_name", "family_name", "sex", "nhs_number", "upn", "postcode"]
    data = {name: getattr(person, name) or "" for name in fields}
    data["date_of_birth"] = person.date_of_birth.isoformat()
    return data | overrides


def test_the_edit_page_is_filled_in_with_the_current_details(client, membership):
    text = _text(client.get(reverse("families:person-edit", args=[membership.person_id])))
    assert 'value="Tom"' in text
    assert f'value="{membership.person.nhs_number}"' in text


def test_a_change_of_name_shows_the_old_name_on_the_person_page(client, membership):
    person = membership.person
    response = client.post(reverse("families:person-edit", args=[person.id]), _person_form(person, family_name="Jones"))
    assert response.status_code == 302
    page = _text(client.get(response["Location"]))
    assert "Tom Jones" in page
    assert "Previous names" in page
    assert "Tom Smith" in page
    assert "Details saved" in page


def test_a_change_to_a_bad_upn_is_refused_and_the_person_is_unchanged(client, membership):
    person = membership.person
    response = client.post(
        reverse("families:person-edit", args=[person.id]),
        _person_form(person, upn="A801200005001", family_name="Jones"),
    )
    _assert_field_error(response, "upn", rules.UPN_INVALID)
    person.refresh_from_db()
    assert person.family_name == "Smith"
    assert not person.previous_names.exists()
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()


def test_a_practitioner_cannot_edit_someone_outside_their_families(client, practitioner):
    stranger = MembershipFactory().person
    response = client.post(reverse("families:person-edit", args=[stranger.id]), _person_form(stranger, upn=""))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert not AuditEvent.objects.filter(action=Action.CHANGE).exists()
