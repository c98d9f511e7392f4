"""Who else knows this family: the "who is involved" panel lists the agencies whose partner records
are linked to the family's current members, with when each last sent one; flags on the chronology;
neither shows to anyone who could not open the family."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.models import LinkStatus
from earlyhelp.datahub.services import flags_raise
from earlyhelp.families.known_elsewhere import DataHolder, data_holders
from earlyhelp.families.models import MemberRole
from tests.factories import AgencyFactory, HouseholdFactory, InvolvementFactory, MembershipFactory, UserFactory

from .linked import attendance, dataset_for, linked

pytestmark = pytest.mark.django_db


def _at(day: int) -> datetime:
    return datetime(2026, 11, day, 10, 0, tzinfo=UTC)


def test_the_agencies_holding_linked_records_on_current_members_are_named_with_their_latest_sending():
    household = HouseholdFactory()
    child = MembershipFactory(household=household).person
    parent = MembershipFactory(household=household, role=MemberRole.PARENT).person
    moved_out = MembershipFactory(household=household, ended_on=timezone.localdate()).person
    police = AgencyFactory(name="Northshire Police")
    schools = AgencyFactory(name="Northshire Schools")
    housing = AgencyFactory(name="Riverside Homes")
    attendance_set = dataset_for("school_attendance", agency=schools, name="Attendance")
    exclusions = dataset_for("school_attendance", agency=schools, name="Exclusions")
    linked(child, "school_attendance", dataset=attendance_set, received_at=_at(2))
    linked(child, "school_attendance", dataset=exclusions, received_at=_at(9))
    notifications = dataset_for("police_domestic_abuse", agency=police, name="Domestic abuse notifications")
    linked(parent, "police_domestic_abuse", dataset=notifications, received_at=_at(5))
    # Not the family's: a record still in review, and one about someone who has moved out.
    linked(parent, "housing", dataset=dataset_for("housing", agency=housing), status=LinkStatus.IN_REVIEW)
    linked(moved_out, "housing", dataset=dataset_for("housing", agency=housing), received_at=_at(20))
    assert data_holders(household) == [
        DataHolder(agency="Northshire Schools", sources=("Attendance", "Exclusions"), last_sent=_at(9)),
        DataHolder(agency="Northshire Police", sources=("Domestic abuse notifications",), last_sent=_at(5)),
    ]


def test_a_family_no_partner_sends_about_has_no_one_else():
    assert data_holders(MembershipFactory().household) == []


def test_the_panel_shows_on_the_familys_page_to_those_who_may_open_it(client):
    membership = MembershipFactory()
    police = AgencyFactory(name="Northshire Police")
    dataset = dataset_for("police_domestic_abuse", agency=police)
    linked(membership.person, "police_domestic_abuse", dataset=dataset, received_at=_at(5))
    url = reverse("families:household", args=[membership.household_id])
    involved = UserFactory(role=Role.PRACTITIONER)
    InvolvementFactory(household=membership.household, practitioner=involved)
    client.force_login(involved)
    page = client.get(url).content.decode()
    assert "Who else knows this family" in page
    assert "Northshire Police" in page and "5 Nov 2026" in page
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    refused = client.get(url)
    assert refused.status_code == 404
    assert "Northshire Police" not in refused.content.decode()


def test_a_flag_shows_on_the_chronology_to_those_who_may_open_the_family_and_no_one_else(client):
    membership = MembershipFactory()
    attendance(membership.person, missed=42)
    flags_raise()
    url = reverse("journey:chronology", args=[membership.household_id])
    reason = "Missed 30 % of school sessions in the autumn term of 2025/26"
    involved = UserFactory(role=Role.PRACTITIONER)
    InvolvementFactory(household=membership.household, practitioner=involved)
    for user in (involved, UserFactory(role=Role.COORDINATOR)):
        client.force_login(user)
        assert reason in client.get(url).content.decode()
    for user in (
        UserFactory(role=Role.PRACTITIONER),
        UserFactory(role=Role.MANAGER),
        UserFactory(role=Role.SOCIAL_CARE),
    ):
        client.force_login(user)
        refused = client.get(url)
        assert refused.status_code == 404
        assert reason not in refused.content.decode()
    for role in (Role.ANALYST, Role.DPO, Role.ADMIN):
        client.force_login(UserFactory(role=role))
        assert client.get(url).status_code == 403


def test_an_involvement_that_ended_no_longer_opens_the_flags(client):
    membership = MembershipFactory()
    attendance(membership.person, missed=42)
    flags_raise()
    user = UserFactory(role=Role.PRACTITIONER)
    InvolvementFactory(
        household=membership.household, practitioner=user, ended_on=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(user)
    assert client.get(reverse("journey:chronology", args=[membership.household_id])).status_code == 404
