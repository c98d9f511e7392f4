import pytest

from earlyhelp.journey.models import RequestStatus
from tests.factories import InvolvementFactory, UserFactory

from .factories import StepUpFactory, TriagedRequestFactory

pytestmark = pytest.mark.django_db


def test_the_api_docs_load_swagger_ui_from_our_own_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in response.content
    assert b"cdn.jsdelivr.net" not in response.content


def test_a_refused_transition_over_the_api_is_a_conflict_with_the_reason(client, coordinator):
    request = TriagedRequestFactory(status=RequestStatus.UNIVERSAL)
    client.force_login(coordinator)
    response = client.post(f"/api/journey/requests/{request.pk}/triage/", {"decision": "advice"})
    assert response.status_code == 409
    assert "already been triaged back to universal services" in response.json()["detail"]


def test_bad_input_over_the_api_names_the_field(client, manager):
    step_up = StepUpFactory()

    InvolvementFactory(household=step_up.household, practitioner=manager)
    client.force_login(manager)
    response = client.post(f"/api/journey/step-ups/{step_up.pk}/decide/", {"decision": "decline", "comment": ""})
    assert response.status_code == 400
    assert "comment" in response.json()


def test_a_practitioner_cannot_approve_over_the_api(client):
    client.force_login(UserFactory())
    response = client.post(f"/api/journey/step-ups/{StepUpFactory().pk}/decide/", {"decision": "approve"})
    assert response.status_code == 403
