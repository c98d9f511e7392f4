"""The API against its own OpenAPI description: generated calls on loopback, as a partner system
that works with one family, and as a family's lead professional signed in to the casework
endpoints. No call may fail with a server error, and every response must match the schema."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from earlyhelp.partners.models import PartnerScope
from earlyhelp.partners.services import partner_client_create
from tests.factories import AgencyFactory, InvolvementFactory, MembershipFactory

from .conftest import _casework

EXAMPLES = 6
CASEWORK_PATHS = ("/api/assessments/", "/api/plans/", "/api/notes/", "/api/consent/")


def _fuzz(operations, *, headers: dict, path_parameters: dict | None = None) -> set[int]:
    """Call each operation with generated input, and say which statuses came back; with
    `path_parameters`, the records named by the path are the family's own, so generated bodies
    reach the services rather than a 404."""
    statuses: set[int] = set()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            for name in case.path_parameters or {}:
                if path_parameters and name in path_parameters:
                    case.path_parameters[name] = path_parameters[name]
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])
            statuses.add(response.status_code)

        call()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_no_api_call_fails_with_a_server_error_and_every_response_matches_the_schema(live_server):
    client, token = partner_client_create(
        actor=None, name="Fuzzing partner", agency=AgencyFactory(), scopes=PartnerScope.values, rate="100000/minute"
    )
    membership = MembershipFactory()
    InvolvementFactory(household=membership.household, practitioner=client.service_user)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations
    _fuzz(operations, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.django_db(transaction=True)
def test_no_casework_api_call_of_the_familys_lead_professional_fails_with_a_server_error(live_server):
    casework = _casework()
    browser = Client()
    browser.force_login(casework.lead)
    csrf = get_random_string(32)
    cookies = f"{django_settings.SESSION_COOKIE_NAME}={browser.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    headers = {"Cookie": f"{cookies}; {django_settings.CSRF_COOKIE_NAME}={csrf}", "X-CSRFToken": csrf}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    ours = [operation for operation in operations if operation.path.startswith(CASEWORK_PATHS)]
    assert len(ours) == 22
    ids = casework.ids
    path_parameters = {
        "household_id": str(ids["household"]),
        "plan_id": str(ids["plan"]),
        "action_id": ids["action"],
        "number": ids["number"],
        "consent_id": ids["consent"],
        "scheduled_id": ids["scheduled"],
    }
    statuses = _fuzz(ours, headers=headers, path_parameters=path_parameters)
    # Signed in and at the family's records: reads answered, and generated writes both refused and made.
    assert {200, 201, 400} <= statuses, statuses
