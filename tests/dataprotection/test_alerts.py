"""Alerts name the family, and link to where to act, for those who may see it; for no one else."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from earlyhelp.accounts.models import Role
from earlyhelp.consent.models import SharingPurpose
from earlyhelp.consent.services import sharing_without_consent_decide, sharing_without_consent_request
from earlyhelp.dataprotection import services
from earlyhelp.dataprotection.selectors import DECIDE, OPEN_RECORD
from tests.factories import AgencyFactory, HouseholdFactory, InvolvementFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
FAMILY = "The Okonjo-Whitfield family"
REASON = "Police report the child alone at home late tonight"


@pytest.fixture
def household():
    household = HouseholdFactory(name=FAMILY)
    MembershipFactory(household=household)
    return household


def _ask_to_share(practitioner, household):
    return sharing_without_consent_request(
        actor=practitioner,
        household=household,
        agency=AgencyFactory(),
        purpose=SharingPurpose.TEAM_AROUND_THE_FAMILY,
        lawful_basis="safeguarding_child",
        reason="Police domestic abuse notification; asking would raise the risk",
    )


def test_a_manager_asked_to_share_sees_the_family_and_a_link_to_the_decision(client, household):
    practitioner = InvolvementFactory(household=household).practitioner
    manager = UserFactory(role=Role.MANAGER, agency=practitioner.agency, team=practitioner.team)
    share = _ask_to_share(practitioner, household)
    client.force_login(manager)
    page = client.get(reverse("home:dashboard")).content.decode()
    assert FAMILY in page
    assert reverse("consent:decide", args=[share.id]) in page
    assert DECIDE in page


def test_a_manager_of_the_agency_who_does_not_work_with_the_family_still_sees_the_request_to_decide(client, household):
    practitioner = InvolvementFactory(household=household).practitioner
    manager = UserFactory(role=Role.MANAGER, agency=practitioner.agency)
    share = _ask_to_share(practitioner, household)
    client.force_login(manager)
    page = client.get(reverse("home:dashboard")).content.decode()
    assert FAMILY in page
    assert reverse("consent:decide", args=[share.id]) in page


def test_a_break_glass_alert_names_no_family_to_a_manager_who_may_not_see_it(client, household):
    practitioner = UserFactory()
    manager = UserFactory(role=Role.MANAGER, team=practitioner.team, agency=practitioner.agency)
    child = household.memberships.get().person
    services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON)
    client.force_login(manager)
    page = client.get(reverse("home:dashboard")).content.decode()
    assert "opened a family&#x27;s record they are not involved with" in page
    assert FAMILY not in page
    assert reverse("families:household", args=[household.id]) not in page


def test_a_break_glass_alert_names_the_family_to_a_manager_whose_team_works_with_it(client, household):
    practitioner = UserFactory()
    manager = UserFactory(role=Role.MANAGER, team=practitioner.team, agency=practitioner.agency)
    InvolvementFactory(household=household, practitioner=UserFactory(team=manager.team, agency=manager.agency))
    child = household.memberships.get().person
    services.break_glass_open(actor=practitioner, nhs_number=child.nhs_number, reason=REASON)
    client.force_login(manager)
    page = client.get(reverse("home:dashboard")).content.decode()
    assert FAMILY in page
    assert reverse("families:household", args=[household.id]) in page
    assert escape(OPEN_RECORD) in page


def test_the_data_protection_officer_sees_the_family_in_alerts_and_in_the_sharing_table(client, household):
    practitioner = InvolvementFactory(household=household).practitioner
    manager = UserFactory(role=Role.MANAGER, agency=practitioner.agency, team=practitioner.team)
    officer = UserFactory(role=Role.DPO)
    sharing_without_consent_decide(actor=manager, share=_ask_to_share(practitioner, household), confirm=True)
    client.force_login(officer)
    home = client.get(reverse("home:dashboard")).content.decode()
    assert FAMILY in home
    assert reverse("dataprotection:overview") in home
    overview = client.get(reverse("dataprotection:overview")).content.decode()
    sharing_table = overview.split("Sharing without consent", 1)[1].split("Break-glass openings", 1)[0]
    assert FAMILY in sharing_table
