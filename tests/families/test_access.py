"""The access choke point (earlyhelp/families/access.py): who may open which record, by role and
relation; the same "not found" for missing and forbidden; every view and refusal audited."""

import re
import uuid
from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import Action, AuditEvent
from earlyhelp.families.access import (
    NOT_FOUND,
    RecordNotFound,
    access_household_by_id,
    access_person_by_id,
)
from earlyhelp.families.models import InvolvementRole
from tests.factories import InvolvementFactory, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership():
    return MembershipFactory()


def _can_open_household(user, household) -> bool:
    try:
        access_household_by_id(user, household.id)
    except RecordNotFound:
        return False
    return True


def _can_open_person(user, person) -> bool:
    try:
        access_person_by_id(user, person.id)
    except RecordNotFound:
        return False
    return True


# By role and relation --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SOCIAL_CARE, Role.MANAGER])
def test_a_caseworker_involved_with_the_family_opens_its_records(membership, role):
    user = UserFactory(role=role)
    InvolvementFactory(household=membership.household, practitioner=user)
    assert _can_open_household(user, membership.household)
    assert _can_open_person(user, membership.person)


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SOCIAL_CARE, Role.MANAGER])
def test_a_caseworker_not_involved_with_the_family_cannot_open_its_records(membership, role):
    user = UserFactory(role=role)
    InvolvementFactory(practitioner=user)  # involved with some other family
    assert not _can_open_household(user, membership.household)
    assert not _can_open_person(user, membership.person)


def test_an_ended_involvement_no_longer_opens_the_record(membership):
    user = UserFactory()
    InvolvementFactory(household=membership.household, practitioner=user, ended_on=date(2024, 3, 1))
    assert not _can_open_household(user, membership.household)


def test_the_coordinator_opens_any_family_on_the_caseload(membership):
    coordinator = UserFactory(role=Role.COORDINATOR)
    assert _can_open_household(coordinator, membership.household)
    assert _can_open_person(coordinator, membership.person)


def test_a_practitioner_opens_a_family_whose_case_their_team_holds(membership):
    team = TeamFactory()
    practitioner = UserFactory(team=team)
    InvolvementFactory(
        household=membership.household,
        practitioner=None,
        team=team,
        agency=team.agency,
        role=InvolvementRole.CASE_HOLDER,
    )
    assert _can_open_household(practitioner, membership.household)


def test_a_teams_lesser_involvement_does_not_open_the_record_to_every_practitioner_in_it(membership):
    team = TeamFactory()
    practitioner = UserFactory(team=team)
    InvolvementFactory(
        household=membership.household,
        practitioner=None,
        team=team,
        agency=team.agency,
        role=InvolvementRole.CONTRIBUTOR,
    )
    assert not _can_open_household(practitioner, membership.household)


def test_a_team_manager_opens_families_any_member_of_their_team_works_with(membership):
    team = TeamFactory()
    manager = UserFactory(role=Role.MANAGER, team=team)
    InvolvementFactory(household=membership.household, practitioner=UserFactory(team=team))
    assert _can_open_household(manager, membership.household)
    assert not _can_open_household(UserFactory(role=Role.MANAGER), membership.household)


def test_a_person_who_moved_out_stays_visible_to_those_working_with_their_old_household(membership):
    membership.ended_on = date(2024, 1, 1)
    membership.save()
    user = UserFactory()
    InvolvementFactory(household=membership.household, practitioner=user)
    assert _can_open_person(user, membership.person)


def test_the_data_protection_officer_may_identify_a_person_but_never_open_a_family_record(membership):
    dpo = UserFactory(role=Role.DPO)
    assert _can_open_person(dpo, membership.person)
    assert not _can_open_household(dpo, membership.household)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_analysts_and_administrators_open_no_personal_record(membership, role):
    user = UserFactory(role=role)
    InvolvementFactory(household=membership.household, practitioner=user)  # even if named on it
    assert not _can_open_household(user, membership.household)
    assert not _can_open_person(user, membership.person)


def test_an_inactive_account_opens_nothing(membership):
    coordinator = UserFactory(role=Role.COORDINATOR, is_active=False)
    assert not _can_open_household(coordinator, membership.household)


# Missing and forbidden look the same ---------------------------------------------------------------------


def test_missing_and_forbidden_raise_the_same_not_found(membership):
    stranger = UserFactory()
    with pytest.raises(RecordNotFound) as forbidden:
        access_household_by_id(stranger, membership.household.id)
    with pytest.raises(RecordNotFound) as missing:
        access_household_by_id(stranger, uuid.uuid4())
    with pytest.raises(RecordNotFound) as malformed:
        access_person_by_id(stranger, "not-an-id")
    assert str(forbidden.value) == str(missing.value) == str(malformed.value) == NOT_FOUND


def _page(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    # The sign-out form carries a fresh CSRF token on every page; nothing else may differ.
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return response.status_code, body


@pytest.mark.parametrize(
    ("url_name", "kwarg", "attribute"),
    [
        ("families:household", "household_id", "household"),
        ("families:member-add", "household_id", "household"),
        ("families:person", "person_id", "person"),
        ("families:person-edit", "person_id", "person"),
    ],
)
def test_a_page_gives_the_same_status_and_body_for_a_missing_record_and_a_forbidden_one(
    client, membership, url_name, kwarg, attribute
):
    client.force_login(UserFactory())
    forbidden = _page(client, reverse(url_name, kwargs={kwarg: getattr(membership, attribute).pk}))
    missing = _page(client, reverse(url_name, kwargs={kwarg: uuid.uuid4()}))
    assert forbidden[0] == missing[0] == 404
    assert forbidden[1] == missing[1]
    assert membership.household.name not in forbidden[1]


@pytest.mark.parametrize(
    ("url_name", "kwarg", "attribute"),
    [("families-api:household", "household_id", "household"), ("families-api:person", "person_id", "person")],
)
def test_the_api_gives_the_same_answer_for_a_missing_record_and_a_forbidden_one(
    client, membership, url_name, kwarg, attribute
):
    client.force_login(UserFactory())
    forbidden = client.get(reverse(url_name, kwargs={kwarg: getattr(membership, attribute).pk}))
    missing = client.get(reverse(url_name, kwargs={kwarg: uuid.uuid4()}))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == missing.json() == {"detail": NOT_FOUND}


def test_a_move_out_page_for_a_membership_of_another_household_is_not_found(client, membership):
    user = UserFactory()
    mine = InvolvementFactory(practitioner=user).household
    client.force_login(user)
    response = client.get(
        reverse("families:member-move-out", kwargs={"household_id": mine.id, "membership_id": membership.id})
    )
    assert response.status_code == 404


# Every view and refusal is audited ---------------------------------------------------------------------


def test_a_view_is_audited_with_the_grant_and_purpose(membership):
    coordinator = UserFactory(role=Role.COORDINATOR)
    access_household_by_id(coordinator, membership.household.id, purpose="add member")
    access_person_by_id(coordinator, membership.person.id)
    household_event, person_event = AuditEvent.objects.order_by("id")
    assert (household_event.action, household_event.object_type, household_event.household_id) == (
        Action.VIEW,
        "household",
        membership.household.id,
    )
    assert household_event.purpose == "add member"
    assert household_event.details == {"grant": "early help caseload"}
    assert (person_event.object_type, person_event.person_id) == ("person", membership.person.id)
    assert person_event.actor_username == coordinator.username


def test_a_refusal_is_audited_alike_for_missing_and_forbidden_records(membership):
    stranger = UserFactory()
    missing_id = uuid.uuid4()
    for record_id in (membership.household.id, missing_id):
        with pytest.raises(RecordNotFound):
            access_household_by_id(stranger, record_id, purpose="curious")
    forbidden, missing = AuditEvent.objects.order_by("id")
    for event, record_id in ((forbidden, membership.household.id), (missing, missing_id)):
        assert (event.action, event.object_type, event.object_id) == (Action.VIEW, "household", str(record_id))
        assert event.details == {"outcome": "refused"}
        assert event.purpose == "curious"
        # A refusal names no subject, so it reveals nothing in the person's own trail.
        assert event.household_id is None


def test_opening_a_page_writes_a_view_event_carrying_the_request_id(client, membership):
    coordinator = UserFactory(role=Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.get(reverse("families:household", kwargs={"household_id": membership.household.id}))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.VIEW, household_id=membership.household.id)
    assert str(event.request_id) == response["X-Request-ID"]


@pytest.mark.parametrize("record_id", ["not-an-id", "x" * 200])
def test_a_refusal_for_an_id_that_cannot_exist_is_audited_too(membership, record_id):
    stranger = UserFactory()
    with pytest.raises(RecordNotFound):
        access_person_by_id(stranger, record_id, purpose="curious")
    with pytest.raises(RecordNotFound):
        access_household_by_id(stranger, record_id, purpose="curious")
    person_event, household_event = AuditEvent.objects.order_by("id")
    for event, object_type in ((person_event, "person"), (household_event, "household")):
        assert (event.action, event.object_type, event.details) == (Action.VIEW, object_type, {"outcome": "refused"})
        assert event.object_id == record_id[:64]
        assert event.actor == stranger


# The rule as a probe of each record's household ------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.PRACTITIONER, Role.MANAGER, Role.COORDINATOR, Role.SOCIAL_CARE, Role.ANALYST, Role.DPO]
)
def test_visible_through_a_records_household_gives_exactly_the_households_visible_households_gives(role):
    from datetime import date as day

    from earlyhelp.families.access import visible_households, visible_through
    from earlyhelp.families.models import Household, Membership
    from tests.dataprotection.factories import BreakGlassGrantFactory

    user = UserFactory(role=role)
    teammate = UserFactory(team=user.team)
    own, team_holds, teammate_works, ended, granted, expired, unrelated = (MembershipFactory() for _ in range(7))
    InvolvementFactory(household=own.household, practitioner=user)
    InvolvementFactory(
        household=team_holds.household,
        practitioner=None,
        agency=user.agency,
        team=user.team,
        role=InvolvementRole.CASE_HOLDER,
    )
    InvolvementFactory(household=teammate_works.household, practitioner=teammate)
    InvolvementFactory(household=ended.household, practitioner=user, ended_on=day(2024, 6, 1))
    BreakGlassGrantFactory(household=granted.household, user=user)
    BreakGlassGrantFactory(household=expired.household, user=user, expired=True)

    expected = set(visible_households(user).values_list("pk", flat=True))
    # Every kind of relation is in the world, and each role sees some of it but not the stranger (or, with
    # the whole caseload, all of it; or, without case records, none).
    assert expected in ({*()}, set(Household.objects.values_list("pk", flat=True))) or (
        own.household_id in expected and unrelated.household_id not in expected
    )
    assert set(Household.objects.filter(visible_through(user, "pk")).values_list("pk", flat=True)) == expected
    members = Membership.objects.filter(visible_through(user, "household_id")).values_list("household_id", flat=True)
    assert set(members) == expected
