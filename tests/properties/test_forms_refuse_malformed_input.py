"""Every form, given malformed input in one field, answers with a clear error and changes nothing."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent.models import ConsentRecord, SharingWithoutConsent
from earlyhelp.families.models import BreakGlassGrant, Household, Involvement, Membership, Person
from earlyhelp.notes.models import CaseNote
from tests.factories import MembershipFactory, UserFactory

blank = st.sampled_from(["", " ", "\t", "\n  "])
not_a_date = st.text(min_size=1, max_size=12).filter(lambda text: text.strip() and not text.strip()[:1].isdigit())
bad_nhs = st.from_regex(r"\A[0-9]{1,9}\Z|\A[0-9]{11,12}\Z|\A[A-Za-z]{3,10}\Z")
bad_postcode = st.from_regex(r"\A[0-9]{2,6}\Z|\A[A-Z]{7,8}\Z")
bad_choice = st.text(min_size=1, max_size=15).filter(lambda text: text.strip() and "_" not in text)
too_long = st.integers(min_value=101, max_value=300).map(lambda n: "x" * n)

MODELS = [Person, Household, Membership, Involvement, ConsentRecord, SharingWithoutConsent, BreakGlassGrant, CaseNote]


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def world(db):
    membership = MembershipFactory()
    coordinator = UserFactory(role=Role.COORDINATOR)
    return membership, coordinator


def _person(**overrides):
    return {"given_name": "Sam", "family_name": "Jones", "sex": "U", **overrides}


def _forms(world):
    membership, _ = world
    household = membership.household
    person = membership.person
    return {
        "person edit": (
            f"/families/people/{person.id}/edit/",
            _person(),
            {
                "given_name": st.one_of(blank, too_long),
                "date_of_birth": not_a_date,
                "nhs_number": bad_nhs,
                "postcode": bad_postcode,
                "email": st.sampled_from(["not-an-email", "a@", "@b.org"]),
                "sex": bad_choice,
            },
        ),
        "add a member": (
            f"/families/{household.id}/members/new/",
            _person(role="child"),
            {
                "family_name": blank,
                "role": bad_choice,
                "started_on": not_a_date,
                "nhs_number": bad_nhs,
            },
        ),
        "add a family": (
            "/families/new/",
            {"name": "Jones family"},
            {
                "name": blank,
                "postcode": bad_postcode,
                "locality": st.integers(min_value=10_000),
            },
        ),
        "move out": (f"/families/{household.id}/members/{membership.id}/move-out/", {}, {"ended_on": not_a_date}),
        "consent": (
            f"/consent/{household.id}/new/",
            {"person": str(person.id), "purpose": "taf"},
            {
                "purpose": bad_choice,
                "given_on": not_a_date,
                "person": st.uuids().map(str),
            },
        ),
        "share without consent": (
            f"/consent/{household.id}/without-consent/",
            {"purpose": "taf", "lawful_basis": "safeguarding_child", "reason": "Risk of harm"},
            {"reason": blank, "lawful_basis": bad_choice, "agency": st.integers(min_value=10_000)},
        ),
        "case note": (f"/notes/{household.id}/", {"text": "Met the family"}, {"text": blank}),
    }


FORMS = ["person edit", "add a member", "add a family", "move out", "consent", "share without consent", "case note"]


@pytest.mark.parametrize("form", FORMS)
def test_malformed_input_gives_a_clear_error_and_changes_nothing(client, world, form):
    _, coordinator = world
    client.force_login(coordinator)
    url, valid, bad = _forms(world)[form]

    @given(field=st.sampled_from(sorted(bad)), data=st.data())
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(field, data):
        value = data.draw(bad[field], label=field)
        before = _counts()
        writes = AuditEvent.objects.exclude(action__in=["view", "search", "known_check"]).count()
        response = client.post(url, {**valid, field: value})
        assert response.status_code == 200, f"{field}={value!r} was accepted"
        page = response.content.decode()
        assert "There is a problem" in page
        assert _counts() == before
        assert AuditEvent.objects.exclude(action__in=["view", "search", "known_check"]).count() == writes

    check()


@given(reason=st.one_of(blank, st.text(max_size=19)), nhs=bad_nhs)
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_break_glass_with_a_malformed_request_opens_nothing(client, world, reason, nhs):
    membership, _ = world
    client.force_login(UserFactory())
    for data in (
        {"nhs_number": membership.person.nhs_number, "reason": reason},
        {"nhs_number": nhs, "reason": "x" * 30},
    ):
        response = client.post("/data-protection/break-glass/", data)
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
