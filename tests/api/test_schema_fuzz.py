"""The API against its own OpenAPI description: generated calls on loopback, as a partner system
that works with one family. No call may fail with a server error, and every response must match
the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from earlyhelp.partners.models import PartnerScope
from earlyhelp.partners.services import partner_client_create
from tests.factories import AgencyFactory, InvolvementFactory, MembershipFactory

EXAMPLES = 6


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
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            case.call_and_validate(
                headers={"Authorization": f"Bearer {token}"},
                checks=[not_a_server_error, response_schema_conformance],
            )

        call()
