"""Who quality-assures an assessment, and what the pages say of it: the Early Help Team, and the
managers of the lead professional's team."""

import pytest
from django.urls import reverse

from earlyhelp.assessments import services
from earlyhelp.assessments.models import AssessmentStatus
from earlyhelp.web.errors import RefusedError
from tests.factories import UserFactory

from .factories import ApprovedVersionFactory, DraftVersionFactory, SubmittedVersionFactory

pytestmark = pytest.mark.django_db


def _quality_url(version) -> str:
    return reverse("assessments:quality", args=[version.assessment.household_id, version.number])


def _version_url(version) -> str:
    return reverse("assessments:version", args=[version.assessment.household_id, version.number])


def test_a_manager_of_the_lead_professionals_team_quality_assures_the_assessment_on_its_page(client, episode, lead):
    version = SubmittedVersionFactory(episode=episode)
    manager = UserFactory(role="manager", team=lead.team)
    client.force_login(manager)
    assert client.get(_quality_url(version)).status_code == 200
    response = client.post(_quality_url(version), {"decision": "approve", "comments": ""})
    assert response.status_code == 302
    version.refresh_from_db()
    assert (version.status, version.reviewed_by) == (AssessmentStatus.APPROVED, manager)


def test_the_version_page_offers_quality_assurance_to_the_lead_professionals_manager(client, episode, lead):
    version = SubmittedVersionFactory(episode=episode)
    client.force_login(UserFactory(role="manager", team=lead.team))
    assert _quality_url(version) in client.get(_version_url(version)).content.decode()


def test_a_manager_of_another_team_may_not_quality_assure_even_a_family_their_team_works_with(client, episode, lead):
    from tests.factories import InvolvementFactory

    version = SubmittedVersionFactory(episode=episode)
    manager = UserFactory(role="manager")
    InvolvementFactory(household=episode.household, practitioner=UserFactory(team=manager.team))
    client.force_login(manager)
    assert client.get(_quality_url(version)).status_code == 403
    with pytest.raises(RefusedError) as error:
        services.assessment_approve(actor=manager, version=version)
    assert error.value.reason == services.ONLY_EARLY_HELP_TEAM
    version.refresh_from_db()
    assert version.status == AssessmentStatus.SUBMITTED


def test_the_lead_professional_may_not_quality_assure_their_familys_assessment(client, episode, lead):
    version = SubmittedVersionFactory(episode=episode)
    client.force_login(lead)
    assert client.get(_quality_url(version)).status_code == 403
    with pytest.raises(RefusedError):
        services.assessment_return(actor=lead, version=version, comments="Add the child's voice")


def test_the_early_help_team_still_quality_assures_without_being_involved(client, episode, coordinator):
    version = SubmittedVersionFactory(episode=episode)
    client.force_login(coordinator)
    response = client.post(_quality_url(version), {"decision": "return", "comments": "Add the child's voice"})
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == AssessmentStatus.RETURNED


def test_the_approved_assessment_shows_who_approved_it_and_when(client, episode, lead):
    version = ApprovedVersionFactory(episode=episode)
    client.force_login(lead)
    page = client.get(_version_url(version)).content.decode()
    assert f"Approved {version.reviewed_at:%-d %b %Y} by {version.reviewed_by.display_name}" in page


def test_the_quality_page_of_a_draft_says_it_is_not_submitted_and_names_no_submitter(client, episode, coordinator):
    version = DraftVersionFactory(episode=episode)
    client.force_login(coordinator)
    page = client.get(_quality_url(version)).content.decode()
    assert "Submitted by ." not in page
    assert "Submitted  by" not in page
    assert f"Version {version.number} is draft" in page
    assert 'value="approve"' not in page
