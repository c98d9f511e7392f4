"""Adding someone to a household who is already on the register: the question is answered by the
audited known-check, which tells a user no more than whom to ask about a family they do not work
with, and someone the user may already see is added to the household as they are, not twice."""

import html
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import services
from earlyhelp.families.models import InvolvementRole, Membership, Person
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NHS = "9434765919"
FREE_NHS = "9434765870"


@pytest.fixture
def practitioner(client):
    user = UserFactory(role=Role.PRACTITIONER)
    client.force_login(user)
    return user


@pytest.fixture
def own_household(practitioner):
    membership = MembershipFactory(person__given_name="Tom", person__family_name="Smith", started_on=date(2020, 1, 1))
    InvolvementFactory(household=membership.household, practitioner=practitioner)
    return membership.household


@pytest.fixture
def other_child():
    """A child of another family, with a lead professional."""
    membership = MembershipFactory(
        person__given_name="Zainab",
        person__family_name="Quarshie",
        person__nhs_number=NHS,
        household__name="Quarshie family",
    )
    lead = UserFactory(role=Role.PRACTITIONER, first_name="Lena", last_name="Lead")
    InvolvementFactory(household=membership.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    return membership.person, lead


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _new_member(**overrides) -> dict:
    return {"given_name": "Lily", "family_name": "Smith", "sex": "F", "role": "child"} | overrides


def _known_checks():
    return AuditEvent.objects.filter(action=Action.KNOWN_CHECK)


def test_adding_another_familys_child_by_nhs_number_says_whom_to_ask_and_nothing_more(
    client, practitioner, own_household, other_child
):
    child, lead = other_child
    people = Person.objects.count()
    response = client.post(reverse("families:member-add", args=[own_household.id]), _new_member(nhs_number=NHS))
    text = _text(response)
    message = services.ALREADY_ON_REGISTER_ASK.format(contacts=lead.contact_line)
    assert f'<a href="#id_nhs_number">{message}</a>' in text
    assert "Another person already has this NHS number" not in text
    assert "Quarshie" not in text
    assert "Zainab" not in text
    assert Person.objects.count() == people
    assert list(_known_checks().values_list("actor_id", "person_id")) == [(practitioner.id, child.id)]


def test_adding_a_child_the_user_already_works_with_offers_to_add_them_as_they_are(
    client, practitioner, own_household, other_child
):
    child, _ = other_child
    InvolvementFactory(household=child.memberships.get().household, practitioner=practitioner)
    response = client.post(reverse("families:member-add", args=[own_household.id]), _new_member(nhs_number=NHS))
    text = _text(response)
    assert f'<a href="#id_nhs_number">{services.ALREADY_ON_REGISTER}</a>' in text
    offer = reverse("families:member-add-known", args=[own_household.id]) + f"?nhs_number={NHS}"
    assert offer in text
    assert _known_checks().filter(person_id=child.id).count() == 1

    offered = _text(client.get(offer))
    assert f'value="{NHS}"' in offered
    response = client.post(offer, {"nhs_number": NHS, "role": "child", "started_on": "2024-03-01"})
    assert response.status_code == 302
    joined = Membership.objects.get(household=own_household, person=child)
    assert joined.started_on == date(2024, 3, 1)
    assert Person.objects.filter(nhs_number=NHS).count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="membership", person_id=child.id).exists()


def test_someone_on_the_register_the_user_may_not_see_is_not_added_and_the_check_is_audited(
    client, practitioner, own_household, other_child
):
    child, lead = other_child
    url = reverse("families:member-add-known", args=[own_household.id])
    response = client.post(url, {"nhs_number": NHS, "role": "child"})
    text = _text(response)
    assert services.ALREADY_ON_REGISTER_ASK.format(contacts=lead.contact_line) in text
    assert "Zainab" not in text
    assert not Membership.objects.filter(household=own_household, person=child).exists()
    assert list(_known_checks().values_list("actor_id", "person_id")) == [(practitioner.id, child.id)]


def test_an_nhs_number_no_one_has_is_not_added_as_someone_already_on_the_register(client, own_household):
    url = reverse("families:member-add-known", args=[own_household.id])
    response = client.post(url, {"nhs_number": FREE_NHS, "role": "child"})
    assert f'<a href="#id_nhs_number">{services.NOT_ON_REGISTER}</a>' in _text(response)
    assert own_household.memberships.count() == 1
    assert _known_checks().count() == 1
