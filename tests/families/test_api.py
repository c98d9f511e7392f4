"""The family register's REST API: the same access rules, audit and field-named errors as the pages."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families import rules
from earlyhelp.families.models import InvolvementRole
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership():
    return MembershipFactory(
        person__given_name="Tom",
        person__family_name="Smith",
        person__nhs_number="9434765919",
        started_on=date(2020, 1, 1),
    )


@pytest.fixture
def practitioner(client, membership):
    user = UserFactory()
    InvolvementFactory(household=membership.household, practitioner=user, role=InvolvementRole.LEAD_PROFESSIONAL)
    client.force_login(user)
    return user


def test_the_search_endpoint_returns_only_people_the_caller_may_see(client, practitioner, membership):
    MembershipFactory(person__given_name="Tom", person__family_name="Smith")
    response = client.get(reverse("families-api:person-search"), {"name": "smith tom"})
    assert response.status_code == 200
    assert [person["id"] for person in response.json()] == [str(membership.person_id)]
    assert AuditEvent.objects.filter(action=Action.SEARCH, actor=practitioner).count() == 1


def test_a_bad_search_is_a_400_naming_the_field(client, practitioner):
    response = client.get(reverse("families-api:person-search"), {"nhs_number": "9434765918"})
    assert response.status_code == 400
    assert response.json() == {"nhs_number": [rules.NHS_NUMBER_INVALID]}


def test_a_person_is_returned_with_their_identifiers_and_the_view_is_audited(client, practitioner, membership):
    response = client.get(reverse("families-api:person", args=[membership.person_id]))
    body = response.json()
    assert response.status_code == 200
    assert (body["given_name"], body["family_name"], body["nhs_number"]) == ("Tom", "Smith", "9434765919")
    event = AuditEvent.objects.get(action=Action.VIEW, person_id=membership.person_id)
    assert event.purpose == "api"


def test_a_household_is_returned_with_its_members_and_who_is_involved(client, practitioner, membership):
    response = client.get(reverse("families-api:household", args=[membership.household_id]))
    body = response.json()
    assert response.status_code == 200
    assert [member["person"]["id"] for member in body["members"]] == [str(membership.person_id)]
    assert body["members"][0]["role"] == "child"
    assert [(inv["role"], inv["practitioner"]) for inv in body["involvements"]] == [("lead", practitioner.display_name)]
    assert AuditEvent.objects.filter(action=Action.VIEW, household_id=membership.household_id).count() == 1


def test_a_family_the_caller_does_not_work_with_is_not_found(client, membership):
    client.force_login(UserFactory())
    assert client.get(reverse("families-api:household", args=[membership.household_id])).status_code == 404
    refused = AuditEvent.objects.get(action=Action.VIEW)
    assert refused.details == {"outcome": "refused"}


@pytest.mark.parametrize("role", [None, Role.ANALYST, Role.ADMIN, Role.DPO])
def test_callers_who_do_not_work_with_families_are_refused(client, membership, role):
    if role:
        client.force_login(UserFactory(role=role))
    response = client.get(reverse("families-api:person", args=[membership.person_id]))
    assert response.status_code == 403
    assert not AuditEvent.objects.exists()


def test_the_api_is_described_in_openapi(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    paths = response.json()["paths"]
    assert {"/api/people/", "/api/people/{person_id}/", "/api/households/{household_id}/", "/api/known-check/"} <= set(
        paths
    )
