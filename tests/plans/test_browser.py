"""The plan pages in headless chromium: accessible (axe-core), and usable by keyboard."""

from datetime import date

import pytest

from earlyhelp.plans.models import ActionStatus, Meeting
from tests.assessments.factories import ApprovedVersionFactory
from tests.browser_support import assert_accessible, fill_date, sign_in
from tests.factories import TEST_PASSWORD, InvolvementFactory, MembershipFactory, PersonFactory, UserFactory

from .factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_professional_builds_the_plan_and_records_a_taf_meeting(page):
    plan = PlanFactory()
    household = plan.household
    MembershipFactory(household=household, person=PersonFactory(given_name="Mia"), role="child")
    MembershipFactory(household=household, person=PersonFactory(given_name="Dan"), role="parent")
    ApprovedVersionFactory(episode=plan.episode)
    lead = UserFactory(username="lead")
    InvolvementFactory(household=household, practitioner=lead, role="lead")

    sign_in(page, "lead", TEST_PASSWORD)
    page.goto(f"/families/{household.id}/")
    page.get_by_role("link", name="Open the family plan").click()
    assert_accessible(page)

    page.get_by_role("link", name="Add an outcome").click()
    assert_accessible(page)
    page.get_by_label("Outcome").fill("The children are in school every day")
    page.get_by_label("Getting a good education", exact=False).check()
    page.get_by_role("button", name="Add outcome").click()

    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("What will be done").fill("Breakfast club place")
    page.get_by_label("Or an agency").select_option(label=lead.agency.name)
    fill_date(page, "By when", date(2030, 1, 31))
    page.get_by_role("button", name="Add action").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/plans/{household.id}/{plan.id}/")
    assert page.get_by_role("cell", name="Breakfast club place", exact=True).is_visible()

    page.get_by_role("link", name="Record a meeting").click()
    assert_accessible(page)
    page.get_by_label("Kind of meeting").select_option("taf")
    fill_date(page, "Held on", date(2025, 3, 3))
    page.get_by_label("Dan", exact=False).check()
    page.get_by_label("Decisions").fill("Breakfast club from Monday")
    page.get_by_label("Scale, scored by the family").fill("6")
    page.get_by_label("Scale, scored by the practitioners").fill("5")
    page.get_by_label("Breakfast club place", exact=False).select_option(ActionStatus.IN_PROGRESS)
    fill_date(page, "Next review", date(2030, 4, 14))
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_url("**/meetings/*/")
    assert_accessible(page)
    meeting = Meeting.objects.get()
    assert meeting.family_scale == 6
    assert meeting.action_changes.get().to_status == ActionStatus.IN_PROGRESS

    page.goto(f"/plans/{household.id}/{plan.id}/taf/new/")
    assert_accessible(page)
    page.goto("/")
    assert_accessible(page)
