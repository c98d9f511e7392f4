"""Shared chrome over HTTP: a form page with fields added after set-up, and the navigation by role."""

import re

import pytest
from django import forms
from django.http import HttpResponse
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.directory.models import DirectoryEditor
from earlyhelp.journey import casework
from earlyhelp.journey.models import EpisodeStatus
from earlyhelp.web.forms import GovukFormMixin
from earlyhelp.web.pages import form_flow, service_save
from tests.directory.factories import OrganizationFactory
from tests.factories import UserFactory
from tests.journey.factories import EpisodeFactory, lead_for

pytestmark = pytest.mark.django_db

NEEDS = [{"area": "Health", "text": "Sleeps through the night", "ref": "n1", "area_code": "health"}]


def test_closing_an_episode_with_an_outcome_unanswered_shows_the_error_and_closes_nothing(client, monkeypatch):
    monkeypatch.setattr(casework, "assessed_needs", lambda household: NEEDS)
    episode = EpisodeFactory()
    client.force_login(lead_for(episode))
    url = reverse("journey:episode-close", args=[episode.id])
    response = client.post(url, {"reason": "other", "detail": "Moved in with grandparents"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select an answer to “Health: Sleeps through the night”" in html
    assert "Moved in with grandparents</textarea>" in html
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.OPEN


def test_closing_an_episode_sent_empty_names_every_question(client, monkeypatch):
    monkeypatch.setattr(casework, "assessed_needs", lambda household: NEEDS)
    episode = EpisodeFactory()
    client.force_login(lead_for(episode))
    # What a browser sends for the form left empty: the empty textarea (radios send nothing).
    response = client.post(reverse("journey:episode-close", args=[episode.id]), {"detail": ""})
    assert response.status_code == 200
    assert response.content.decode().count('class="govuk-error-message"') == 2


class NameForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name")


def test_a_form_flow_may_show_what_was_saved_in_place_instead_of_redirecting(rf):
    request = rf.post("/", {"name": "Ada"})
    response = form_flow(
        request,
        NameForm(request.POST),
        save=lambda data: data["name"].upper(),
        success=lambda saved: HttpResponse(f"Saved {saved}"),
        heading="Name",
    )
    assert response.status_code == 200
    assert response.content == b"Saved ADA"


def test_service_save_calls_the_service_as_the_signed_in_user_with_the_record_and_the_answers(rf):
    request = rf.post("/")
    request.user = UserFactory()
    calls = []
    save = service_save(request, lambda **arguments: calls.append(arguments) or "done", household="the family")
    assert save({"note": "Seen at home"}) == "done"
    assert calls == [{"actor": request.user, "household": "the family", "note": "Seen at home"}]


# The links each role is offered, written out here rather than read from the capabilities.
EVERYONE = {"Service directory"}
CASEWORK = {"Search", "Is this child known?", "Requests"}
LINKS = {
    Role.PRACTITIONER: EVERYONE | CASEWORK | {"Emergency access"},
    Role.COORDINATOR: EVERYONE
    | CASEWORK
    | {
        "Step ups",
        "Datasets",
        "Claims",
        "Links to review",
        "Identification",
    },
    Role.MANAGER: EVERYONE | CASEWORK | {"Step ups", "Insights", "Claims", "Sharing to decide", "Emergency access"},
    Role.SOCIAL_CARE: EVERYONE | CASEWORK | {"Step ups", "Emergency access"},
    Role.ANALYST: EVERYONE | {"Insights"},
    Role.DPO: EVERYONE | {"Audit", "Data protection", "Datasets", "Links to review"},
    Role.ADMIN: EVERYONE | {"Datasets"},
    Role.PROVIDER_EDITOR: EVERYONE | {"Referrals"},
}


@pytest.mark.parametrize("role", list(LINKS))
def test_the_navigation_offers_each_role_only_the_pages_it_may_use(rf, role):
    from earlyhelp.home.context_processors import navigation

    request = rf.get("/")
    request.user = UserFactory(role=role)
    assert {item["label"] for item in navigation(request)["navigation"]} == LINKS[role]


def test_the_navigation_marks_the_page_the_person_is_on(client):
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    html = client.get(reverse("families:search")).content.decode()
    assert 'href="/families/search/" aria-current="page"' in html


def test_a_providers_directory_editor_is_offered_the_directory_its_referrals_and_no_casework(client):
    editor = UserFactory(role=Role.PROVIDER_EDITOR)
    DirectoryEditor.objects.create(user=editor, organization=OrganizationFactory())
    client.force_login(editor)
    html = client.get(reverse("home:dashboard")).content.decode()
    links = re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', html)
    # Beside the directory and its organisation's referrals, only the inbox every signed-in person has.
    assert links == [reverse("notifications:inbox"), reverse("directory:home"), reverse("referrals:queue")]
    for casework_page in ("families:search", "families:known-check", "journey:requests", "dataprotection:break-glass"):
        assert reverse(casework_page) not in html
        assert client.get(reverse(casework_page)).status_code == 403
