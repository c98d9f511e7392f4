"""The assessment pages over HTTP: the refused save keeps the person's input beside what is saved."""

import pytest
from django.urls import reverse

from earlyhelp.assessments import services

from .factories import DraftVersionFactory

pytestmark = pytest.mark.django_db


def test_a_save_from_an_out_of_date_form_is_refused_and_the_input_is_kept_for_merging(client, lead, episode):
    version = DraftVersionFactory(episode=episode)
    colleague_text = "Grandmother now collects the children every day"
    services.assessment_update(
        actor=version.created_by,
        version=version,
        revision=1,
        content=services.VersionContent(working_well=colleague_text),
        sections={},
    )
    client.force_login(lead)
    url = reverse("assessments:edit", args=[episode.household_id, version.number])
    response = client.post(url, {"revision": 1, "working_well": "Dad has started the parenting course"})
    assert response.status_code == 200
    page = response.content.decode()
    assert services.EDIT_CONFLICT in page
    assert "Dad has started the parenting course" in page  # the refused input, still in the form
    assert colleague_text in page  # what is saved now, to merge with
    assert 'name="revision" value="2"' in page
    version.refresh_from_db()
    assert version.working_well == colleague_text


def test_the_quality_assurance_page_is_for_the_early_help_team_only(client, lead, episode):
    version = DraftVersionFactory(episode=episode)
    client.force_login(lead)
    response = client.get(reverse("assessments:quality", args=[episode.household_id, version.number]))
    assert response.status_code == 403


def test_each_remove_button_on_a_draft_names_the_item_it_removes(client, lead, episode):
    version = DraftVersionFactory(episode=episode)
    services.assessment_need_add(
        actor=lead, version=version, person=None, outcome_area="housing", description="Rent arrears"
    )
    services.assessment_worry_add(actor=lead, version=version, worry="Eviction", goal="A secure tenancy")
    need, worry = version.needs.get(), version.worry_goals.get()
    client.force_login(lead)
    page = client.get(reverse("assessments:version", args=[episode.household_id, version.number])).content.decode()
    for url, name in [
        (reverse("assessments:need-remove", args=[episode.household_id, version.number, need.id]), "need 1"),
        (
            reverse("assessments:worry-remove", args=[episode.household_id, version.number, worry.id]),
            "worry statement 1",
        ),
    ]:
        form = page[page.index(f'action="{url}"') :]
        assert f'Remove<span class="govuk-visually-hidden"> {name}</span>' in form[: form.index("</form>")]


def test_removing_a_need_says_so_and_returns_to_the_needs(client, lead, episode):
    version = DraftVersionFactory(episode=episode)
    need = services.assessment_need_add(
        actor=lead, version=version, person=None, outcome_area="housing", description="Rent arrears"
    )
    client.force_login(lead)
    url = reverse("assessments:need-remove", args=[episode.household_id, version.number, need.id])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#needs")
    assert "Need removed" in response.content.decode()
    assert not version.needs.exists()


def test_removing_a_worry_that_is_not_in_the_version_says_why_and_removes_nothing(client, lead, episode):
    version = DraftVersionFactory(episode=episode)
    services.assessment_worry_add(actor=lead, version=version, worry="Eviction", goal="A secure tenancy")
    client.force_login(lead)
    url = reverse("assessments:worry-remove", args=[episode.household_id, version.number, 999_999])
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("#worries")
    assert services.NOT_IN_VERSION in response.content.decode()
    assert version.worry_goals.count() == 1
