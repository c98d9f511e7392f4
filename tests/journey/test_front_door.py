"""The front door as people met it: the known-check leads on to a request, the requester follows their
request without a dead link, and the public form's limit does not shut out a family hub's Wi-Fi."""

import dataclasses
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache

from earlyhelp.families.models import InvolvementRole
from earlyhelp.journey import views
from earlyhelp.journey.models import SupportRequest
from tests.factories import InvolvementFactory, MembershipFactory, UserFactory

from .factories import EpisodeFactory, SupportRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


# --- Is this child known? ---------------------------------------------------------------------------------


def _known_child():
    membership = MembershipFactory(person__given_name="Jamie", person__family_name="Example")
    membership.person.date_of_birth = date(2015, 5, 1)
    membership.person.save()
    return membership


KNOWN = {"given_name": "Jamie", "family_name": "Example", "date_of_birth": "2015-05-01", "nhs_number": ""}


def test_the_known_check_offers_to_ask_for_early_help_carrying_the_child_s_details(client):
    _known_child()
    client.force_login(UserFactory())
    page = client.post("/families/known/", KNOWN).text
    assert "Ask for early help for this child" in page
    assert "/journey/requests/new/?child_given_name=Jamie&amp;child_family_name=Example" in page
    assert "checked=1" in page


def test_the_request_form_filled_from_the_check_does_not_send_the_user_back_to_the_check(client):
    client.force_login(UserFactory())
    response = client.get(
        "/journey/requests/new/?child_given_name=Jamie&child_family_name=Example&child_date_of_birth=2015-05-01&checked=1"
    )
    assert response.context["form"]["child_given_name"].value() == "Jamie"
    assert "/journey/requests/check/" not in response.text


def test_a_lead_professional_checking_their_own_family_is_told_they_lead_it(client):
    membership = _known_child()
    lead = UserFactory()
    InvolvementFactory(household=membership.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    client.force_login(lead)
    for url in ("/families/known/", "/journey/requests/check/"):
        assert "You are the lead professional for this child" in client.post(url, KNOWN).text
    other = UserFactory()
    client.force_login(other)
    assert "You are the lead professional" not in client.post("/families/known/", KNOWN).text


# --- The requester follows their request ------------------------------------------------------------------


def test_the_requester_who_may_not_open_the_family_sees_the_decision_and_the_lead_but_no_family_link(client):
    school = UserFactory(job_title="Designated safeguarding lead")
    episode = EpisodeFactory()
    lead = UserFactory(phone="0151 222 3333")
    InvolvementFactory(household=episode.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    support_request = SupportRequestFactory(household=episode.household, requested_by=school, episode=episode)
    client.force_login(school)
    page = client.get(f"/journey/requests/{support_request.pk}/").text
    assert f"/journey/families/{episode.household_id}/" not in page
    assert lead.contact_line in page
    assert client.get(f"/journey/families/{episode.household_id}/").status_code == 404


def test_the_lead_who_may_open_the_family_is_linked_to_it_from_the_request(client):
    episode = EpisodeFactory()
    lead = UserFactory()
    InvolvementFactory(household=episode.household, practitioner=lead, role=InvolvementRole.LEAD_PROFESSIONAL)
    support_request = SupportRequestFactory(household=episode.household, requested_by=lead, episode=episode)
    client.force_login(lead)
    assert f"/journey/families/{episode.household_id}/" in client.get(f"/journey/requests/{support_request.pk}/").text


# --- The public form's limits -----------------------------------------------------------------------------


def _public(child="Jamie", **extra):
    return {
        "child_given_name": child,
        "child_family_name": "Example",
        "concerns": "We are struggling",
        "family_consents": "on",
        "requester_name": "Alex",
        "requester_phone": "07700 900000",
        "website": "",
    } | extra


def test_families_sharing_a_family_hub_s_address_are_not_shut_out_by_each_other(client):
    for number in range(settings.EARLY_HELP.journey.public_requests_per_hour * 3):
        response = client.post("/help/request/", _public(child=f"Child{number}"), REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 302
    assert SupportRequest.objects.count() == settings.EARLY_HELP.journey.public_requests_per_hour * 3


def test_the_same_child_sent_too_often_is_refused_with_the_council_s_phone_number(client):
    limit = settings.EARLY_HELP.journey.public_requests_per_hour
    for number in range(limit):
        client.post("/help/request/", _public(), REMOTE_ADDR=f"10.0.0.{number}")
    response = client.post("/help/request/", _public(), REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200
    assert views.TOO_MANY_REQUESTS.format(phone=settings.EARLY_HELP.council_phone) in response.text
    assert settings.EARLY_HELP.council_phone in response.text
    assert SupportRequest.objects.count() == limit


def test_one_address_is_still_limited_at_the_configured_per_address_rate(client, settings):
    settings.EARLY_HELP = dataclasses.replace(
        settings.EARLY_HELP,
        journey=dataclasses.replace(settings.EARLY_HELP.journey, public_requests_per_address_per_hour=2),
    )
    for number in range(2):
        assert client.post("/help/request/", _public(child=f"C{number}"), REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post("/help/request/", _public(child="C9"), REMOTE_ADDR="10.0.0.1").status_code == 200
    assert SupportRequest.objects.count() == 2


def test_the_trap_field_still_turns_robots_away(client):
    assert client.post("/help/request/", _public(website="http://spam.example")).status_code == 302
    assert not SupportRequest.objects.exists()
