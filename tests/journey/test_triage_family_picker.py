"""Triage's family picker: search as you type among the families the user may open, the known-check's
match preselected, and a new family made from the request's details in the same transaction."""

from datetime import date

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.families.models import Household, Person
from earlyhelp.journey import forms
from earlyhelp.journey.models import RequestStatus
from tests.factories import HouseholdFactory, MembershipFactory, PersonFactory

from .factories import FamilyRequestFactory, SocialCareTeamFactory

pytestmark = pytest.mark.django_db


def _family(name, given, born, postcode="L36 9XY"):
    household = HouseholdFactory(name=name, postcode=postcode)
    MembershipFactory(
        household=household,
        person=PersonFactory(given_name=given, family_name=name.split()[0], date_of_birth=born, postcode=postcode),
    )
    return household


def test_the_search_returns_radios_of_matching_families_with_members_ages_and_postcode(client, coordinator):
    wanted = _family("Okafor family", "Ada", date(2015, 5, 1))
    _family("Smith family", "Bob", date(2012, 1, 1))
    support_request = FamilyRequestFactory()
    client.force_login(coordinator)
    response = client.get(f"/journey/requests/{support_request.pk}/triage/families/", {"q": "okafor"})
    assert response.status_code == 200
    assert f'value="{wanted.pk}"' in response.text
    assert "Ada Okafor (" in response.text and "L36 9XY" in response.text
    assert "Smith family" not in response.text
    assert forms.NEW_FAMILY_LABEL.replace("'", "&#x27;") in response.text
    event = AuditEvent.objects.filter(object_type="list", purpose="family search for triage").latest("id")
    assert event.details["households"] == [str(wanted.pk)]


def test_the_triage_page_searches_without_javascript_and_offers_no_list_of_every_family(client, coordinator):
    for number in range(30):
        HouseholdFactory(name=f"Family {number}")
    wanted = _family("Okafor family", "Ada", date(2015, 5, 1))
    client.force_login(coordinator)
    url = f"/journey/requests/{FamilyRequestFactory().pk}/triage/"
    assert "Family 7" not in client.get(url).text
    page = client.get(url, {"q": "Ada"}).text
    assert f'value="{wanted.pk}"' in page


def test_the_family_the_known_check_matches_is_preselected(client, coordinator):
    wanted = _family("Example family", "Jamie", date(2015, 5, 1))
    support_request = FamilyRequestFactory(
        child_given_name="Jamie", child_family_name="Example", child_date_of_birth=date(2015, 5, 1)
    )
    client.force_login(coordinator)
    response = client.get(f"/journey/requests/{support_request.pk}/triage/")
    assert response.context["form"]["household"].value() == str(wanted.pk)
    assert f'value="{wanted.pk}" checked' in response.text


def test_triage_can_create_the_family_and_child_from_the_request_in_the_same_step(client, coordinator):
    support_request = FamilyRequestFactory(
        child_given_name="Rowan", child_family_name="Newman", child_date_of_birth=date(2016, 2, 2), postcode="L36 9XY"
    )
    team = SocialCareTeamFactory()
    client.force_login(coordinator)
    response = client.post(
        f"/journey/requests/{support_request.pk}/triage/",
        {"decision": "mash", "household": forms.NEW_FAMILY, "reasons": ["cse"], "to_team": team.pk, "note": "Risk"},
    )
    assert response.status_code == 302
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.MASH
    household = support_request.household
    assert household.name == "Newman family"
    assert [m.person.full_name for m in household.memberships.all()] == ["Rowan Newman"]


def test_a_refused_triage_with_a_new_family_adds_nobody_to_the_register(client, coordinator):
    support_request = FamilyRequestFactory(child_given_name="Rowan", child_family_name="Newman")
    client.force_login(coordinator)
    response = client.post(
        f"/journey/requests/{support_request.pk}/triage/", {"decision": "mash", "household": forms.NEW_FAMILY}
    )
    assert response.status_code == 200
    assert not Household.objects.filter(name="Newman family").exists()
    assert not Person.objects.filter(family_name="Newman").exists()


def test_a_family_the_user_may_not_open_is_not_found_in_the_picker(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        f"/journey/requests/{FamilyRequestFactory().pk}/triage/",
        {"decision": "mash", "household": "00000000-0000-0000-0000-000000000000"},
    )
    assert forms.FAMILY_NOT_FOUND in response.text
