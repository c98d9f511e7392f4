"""The API's description is a valid OpenAPI 3 document that names every endpoint."""

import pytest
from django.test import Client
from openapi_spec_validator import validate

from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker) -> dict:
    """The document as the service publishes it, asked for once for the module: every test only reads it."""
    with built_once(django_db_blocker):
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_document_is_valid_openapi_3(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_every_response_is_described(document):
    undescribed = [
        f"{method.upper()} {path} {code}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for code, response in operation["responses"].items()
        if not response.get("description", "").strip()
    ]
    assert undescribed == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/assessments/families/{household_id}/versions/{number}/quality/",
        "/api/plans/families/{household_id}/{plan_id}/",
        "/api/plans/families/{household_id}/{plan_id}/actions/{action_id}/status/",
        "/api/plans/families/{household_id}/{plan_id}/meetings/",
        "/api/notes/families/{household_id}/",
        "/api/consent/families/{household_id}/{consent_id}/withdraw/",
        "/api/referrals/",
        "/api/referrals/{referral_id}/",
        "/api/referrals/{referral_id}/accept/",
        "/api/referrals/{referral_id}/decline/",
        "/api/referrals/{referral_id}/complete/",
    ],
)
def test_the_document_describes_the_casework_endpoints(document, path):
    assert path in document["paths"]


def test_a_write_describes_its_errors(document):
    responses = document["paths"]["/api/plans/families/{household_id}/{plan_id}/actions/{action_id}/status/"]
    assert set(responses["post"]["responses"]) == {"200", "400", "403", "404", "409"}
