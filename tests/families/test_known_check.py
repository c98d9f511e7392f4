""" "Is this child known?": any practitioner may ask, over the whole register; the answer says only
whether a record exists, whether early help is open and whom to contact; the question is logged."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import rules
from earlyhelp.families.models import InvolvementRole, MemberRole
from earlyhelp.families.selectors import KNOWN_CHECK_NEEDS, person_known_check
from tests.factories import (
    HouseholdFactory,
    InvolvementFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BORN = date(2016, 4, 9)
NHS = "9434765919"


@pytest.fixture
def child():
    household = HouseholdFactory(name="Okafor family", address_line_1="12 Larch Road", postcode="L36 9XY")
    membership = MembershipFactory(
        household=household,
        person__given_name="Amara",
        person__family_name="Okafor",
        person__date_of_birth=BORN,
        person__nhs_number=NHS,
        person__address_line_1="12 Larch Road",
        person__postcode="L36 9XY",
    )
    MembershipFactory(
        household=household,
        role=MemberRole.PARENT,
        person__given_name="Grace",
        person__family_name="Okafor",
        person__nhs_number="9434765870",
    )
    return membership.person


@pytest.fixture
def stranger():
    """A practitioner with no involvement with the child's family."""
    return UserFactory(role=Role.PRACTITIONER)


def test_a_practitioner_with_no_access_learns_the_child_is_known_and_whom_to_contact(child, stranger):
    lead = InvolvementFactory(
        household=child.memberships.get().household,
        role=InvolvementRole.LEAD_PROFESSIONAL,
        practitioner=UserFactory(first_name="Kim", last_name="Doyle", job_title="Family key worker", phone="0151 1"),
    )
    answer = person_known_check(user=stranger, given_name="Amara", family_name="Okafor", date_of_birth=BORN)
    assert answer.known
    assert answer.early_help_open
    assert answer.contacts == [lead.practitioner.contact_line]
    assert answer.contacts == [f"Kim Doyle, Family key worker, {lead.agency.name}, 0151 1"]


def test_the_nhs_number_alone_is_enough(child, stranger):
    answer = person_known_check(user=stranger, nhs_number="943 476 5919")
    assert answer.known


@pytest.mark.parametrize(("given", "family"), [("Amarah", "Okafor"), ("Okafor", "Amara"), ("AMARA", "okafor")])
def test_a_small_slip_in_the_name_still_finds_the_child_with_the_right_date_of_birth(child, stranger, given, family):
    assert person_known_check(user=stranger, given_name=given, family_name=family, date_of_birth=BORN).known


def test_the_right_name_with_another_date_of_birth_is_not_a_match(child, stranger):
    answer = person_known_check(
        user=stranger, given_name="Amara", family_name="Okafor", date_of_birth=date(2016, 4, 10)
    )
    assert not answer.known
    assert answer.contacts == []


def test_a_child_found_by_a_previous_name_is_known(child, stranger):
    child.previous_names.create(given_name="Amara", family_name="Bello", search_name="amara bello")
    assert person_known_check(user=stranger, given_name="Amara", family_name="Bello", date_of_birth=BORN).known


def test_a_known_child_with_no_one_involved_is_pointed_to_the_front_door(child, stranger):
    answer = person_known_check(user=stranger, nhs_number=NHS)
    assert (answer.known, answer.early_help_open) == (True, False)
    assert answer.contacts == [settings.EARLY_HELP.front_door_contact]


def test_a_team_holding_the_case_is_named_but_early_help_is_open_only_with_a_lead(child, stranger):
    team = TeamFactory(name="Family Support North", phone="0151 000 1234")
    InvolvementFactory(
        household=child.memberships.get().household,
        role=InvolvementRole.CASE_HOLDER,
        practitioner=None,
        team=team,
        agency=team.agency,
    )
    answer = person_known_check(user=stranger, nhs_number=NHS)
    assert answer.early_help_open is False
    assert answer.contacts == [f"Family Support North, {team.agency.name}, 0151 000 1234"]


def test_an_ended_involvement_is_not_a_contact(child, stranger):
    InvolvementFactory(
        household=child.memberships.get().household, role=InvolvementRole.LEAD_PROFESSIONAL, ended_on=date(2024, 2, 1)
    )
    answer = person_known_check(user=stranger, nhs_number=NHS)
    assert answer.early_help_open is False
    assert answer.contacts == [settings.EARLY_HELP.front_door_contact]


@pytest.mark.parametrize(
    ("asked", "errors"),
    [
        ({"given_name": "Amara", "family_name": "Okafor"}, {"given_name": [KNOWN_CHECK_NEEDS]}),
        ({"given_name": "Amara", "date_of_birth": BORN}, {"given_name": [KNOWN_CHECK_NEEDS]}),
        ({"nhs_number": "9434765918"}, {"nhs_number": [rules.NHS_NUMBER_INVALID]}),
    ],
)
def test_a_question_without_enough_to_go_on_is_refused_and_not_logged(stranger, asked, errors):
    with pytest.raises(ValidationError) as excinfo:
        person_known_check(user=stranger, **asked)
    assert excinfo.value.message_dict == errors
    assert not AuditEvent.objects.exists()


def test_the_question_is_logged_against_the_child_without_the_details_asked(child, stranger):
    person_known_check(user=stranger, given_name="Amara", family_name="Okafor", date_of_birth=BORN)
    event = AuditEvent.objects.get()
    assert (event.action, event.person_id, event.actor_username) == (Action.KNOWN_CHECK, child.id, stranger.username)
    assert event.details == {"known": True, "by": "name_and_date_of_birth"}
    assert "amara" not in json.dumps(event.details).lower()


def test_a_question_about_an_unknown_child_is_logged_too(stranger):
    person_known_check(user=stranger, nhs_number=NHS)
    event = AuditEvent.objects.get()
    assert (event.action, event.person_id, event.details) == (
        Action.KNOWN_CHECK,
        None,
        {"known": False, "by": "nhs_number"},
    )


# Over HTTP: the page shows the answer and nothing else about the family -------------------------------


def test_the_answer_page_reveals_no_details_of_the_child_or_family(client, child, stranger):
    InvolvementFactory(household=child.memberships.get().household, role=InvolvementRole.LEAD_PROFESSIONAL)
    client.force_login(stranger)
    response = client.post(
        reverse("families:known-check"),
        {"given_name": "Amara", "family_name": "Okafor", "date_of_birth": BORN.isoformat()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This child is known" in html
    assert "Early help is open" in html
    for detail in ["Larch Road", "L36 9XY", NHS, "943 476", "Grace", "Okafor family", str(child.id)]:
        assert detail not in html, detail


def test_the_answer_page_says_so_when_no_record_is_found(client, stranger):
    client.force_login(stranger)
    response = client.post(reverse("families:known-check"), {"nhs_number": NHS})
    assert "No record found" in response.content.decode()


def test_the_page_shows_a_field_named_message_when_the_question_is_incomplete(client, stranger):
    client.force_login(stranger)
    response = client.post(reverse("families:known-check"), {"given_name": "Amara"})
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'<a href="#id_given_name">{KNOWN_CHECK_NEEDS}</a>' in html.replace("&#x27;", "'")


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DPO, Role.ADMIN])
def test_roles_that_do_not_work_with_families_cannot_ask(client, child, role):
    client.force_login(UserFactory(role=role))
    response = client.post(reverse("families:known-check"), {"nhs_number": NHS})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.KNOWN_CHECK).exists()


def test_the_api_answers_with_the_same_three_facts_only(client, child, stranger):
    client.force_login(stranger)
    response = client.post(reverse("families-api:known-check"), {"nhs_number": NHS}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "known": True,
        "early_help_open": False,
        "contacts": [settings.EARLY_HELP.front_door_contact],
    }


EMERGENCY_OFFER = "record in an emergency</a>"


@pytest.mark.parametrize(
    ("role", "offered"),
    [(Role.PRACTITIONER, True), (Role.SOCIAL_CARE, True), (Role.MANAGER, True), (Role.COORDINATOR, False)],
)
def test_a_known_answer_offers_emergency_access_only_to_roles_that_may_use_it(client, child, role, offered):
    client.force_login(UserFactory(role=role))
    response = client.post(reverse("families:known-check"), {"nhs_number": NHS})
    assert response.status_code == 200
    assert (EMERGENCY_OFFER in response.content.decode()) is offered


def test_an_unknown_answer_offers_no_emergency_access(client, stranger):
    client.force_login(stranger)
    response = client.post(reverse("families:known-check"), {"nhs_number": "9434765870"})
    assert "No record found" in response.content.decode()
    assert EMERGENCY_OFFER not in response.content.decode()
