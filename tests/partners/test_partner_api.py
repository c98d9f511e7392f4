import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.partners import rules
from earlyhelp.partners.models import PartnerClient
from earlyhelp.partners.services import partner_client_create, partner_client_revoke
from tests.factories import AgencyFactory, InvolvementFactory, MembershipFactory


@pytest.fixture
def partner(db):
    client, token = partner_client_create(
        actor=None, name="School MIS", agency=AgencyFactory(), scopes=["households:read", "people:read"]
    )
    return client, token


def _get(api_client, url, token):
    return api_client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_only_the_digest_of_the_secret_is_kept(partner):
    client, token = partner
    assert token.split("_", 2)[2] not in client.secret_sha256
    assert client.secret_sha256 == rules.secret_digest(token.split("_", 2)[2])


def test_a_partner_reads_a_family_its_service_user_works_with_and_the_read_is_audited(client, partner):
    partner_client, token = partner
    membership = MembershipFactory()
    InvolvementFactory(household=membership.household, practitioner=partner_client.service_user)
    response = _get(client, f"/api/households/{membership.household_id}/", token)
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        actor=partner_client.service_user, action="view", household_id=membership.household_id
    ).exists()


def test_a_partner_gets_the_same_not_found_for_a_family_it_does_not_work_with_as_for_none(client, partner):
    _, token = partner
    membership = MembershipFactory()
    unrelated = _get(client, f"/api/households/{membership.household_id}/", token)
    missing = _get(client, "/api/households/00000000-0000-0000-0000-000000000000/", token)
    assert unrelated.status_code == missing.status_code == 404
    assert unrelated.json() == missing.json()


def test_a_partner_without_the_scope_is_refused(client, partner):
    _, token = partner
    response = client.post("/api/known-check/", {"nhs_number": "9434765919"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403
    assert response.json()["detail"] == rules.NO_SCOPE


def test_a_wrong_or_revoked_token_is_refused(client, partner):
    partner_client, token = partner
    assert _get(client, "/api/people/?name=ab", token[:-4] + "AAAA").status_code == 403
    partner_client_revoke(actor=None, client=partner_client)
    assert _get(client, "/api/people/?name=ab", token).status_code == 403


def test_each_partner_is_held_to_its_own_rate(client, db):
    cache.clear()
    _, slow_token = partner_client_create(
        actor=None, name="Slow", agency=AgencyFactory(), scopes=["people:read"], rate="2/minute"
    )
    _, fast_token = partner_client_create(actor=None, name="Fast", agency=AgencyFactory(), scopes=["people:read"])
    statuses = [_get(client, "/api/people/?name=smith", slow_token).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert _get(client, "/api/people/?name=smith", fast_token).status_code == 200


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("scopes", {"scopes": ["everything"]}), ("rate", {"rate": "lots"}), ("name", {"name": " "})],
)
def test_a_partner_with_bad_settings_is_not_registered(db, field, kwargs):
    values = {"actor": None, "name": "MIS", "agency": AgencyFactory(), "scopes": ["people:read"]} | kwargs
    with pytest.raises(ValidationError) as error:
        partner_client_create(**values)
    assert field in error.value.message_dict
    assert not PartnerClient.objects.exists()
