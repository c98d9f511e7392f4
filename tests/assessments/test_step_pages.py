"""The pages whose one button takes a step: starting an assessment or a plan, submitting an
assessment. A step that cannot be taken says why, on the page, and nothing changes."""

import pytest
from django.urls import reverse

from earlyhelp.assessments import rules
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion
from earlyhelp.assessments.views import NO_OPEN_EPISODE
from earlyhelp.plans.models import Plan
from earlyhelp.plans.views import NO_OPEN_EPISODE as NO_OPEN_EPISODE_FOR_A_PLAN
from tests.factories import InvolvementFactory

from .factories import ClosedEpisodeFactory, DraftVersionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "message"), [("assessments:start", NO_OPEN_EPISODE), ("plans:start", NO_OPEN_EPISODE_FOR_A_PLAN)]
)
def test_a_family_with_no_open_episode_is_told_so_and_nothing_starts(client, name, message):
    episode = ClosedEpisodeFactory()
    lead = InvolvementFactory(household=episode.household, role="lead").practitioner
    client.force_login(lead)
    url = reverse(name, args=[episode.household_id])
    assert message in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AssessmentVersion.objects.exists()
    assert not Plan.objects.exists()


def test_starting_the_assessment_opens_the_new_version_for_editing(client, episode, lead):
    client.force_login(lead)
    response = client.post(reverse("assessments:start", args=[episode.household_id]))
    version = AssessmentVersion.objects.get()
    assert response["Location"] == reverse("assessments:edit", args=[episode.household_id, version.number])


def test_submitting_an_incomplete_assessment_lists_every_gap_and_changes_nothing(client, episode, lead):
    version = DraftVersionFactory(episode=episode)
    client.force_login(lead)
    response = client.post(reverse("assessments:submit", args=[episode.household_id, version.number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The assessment is not ready to submit" in page
    assert rules.SCALE_MISSING in page
    assert rules.NEEDS_MISSING in page
    version.refresh_from_db()
    assert version.status == AssessmentStatus.DRAFT
