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
