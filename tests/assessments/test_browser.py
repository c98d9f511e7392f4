"""The assessment pages in headless chromium: accessible (axe-core), and usable by keyboard."""

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import Role
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, InvolvementFactory, MembershipFactory, PersonFactory, UserFactory

from .factories import EpisodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tab_to(page, name: str, limit: int = 200) -> None:
    """Move focus with the Tab key until the element with this accessible name has it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const l = e.labels && e.labels[0];"
            " return (l ? l.innerText : e.innerText || '').trim(); }"
        )
        if focused.startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_lead_professional_writes_and_submits_the_assessment_by_keyboard_and_the_team_approves_it(page):
    episode = EpisodeFactory()
    MembershipFactory(household=episode.household, person=PersonFactory(given_name="Mia"), role="child")
    MembershipFactory(household=episode.household, person=PersonFactory(given_name="Dan"), role="parent")
    lead = UserFactory(username="lead")
    InvolvementFactory(household=episode.household, practitioner=lead, role="lead")
    UserFactory(username="team", role=Role.COORDINATOR)
    household = episode.household

    sign_in(page, "lead", TEST_PASSWORD)
    page.goto(f"/families/{household.id}/")
    page.get_by_role("link", name="Early Help Assessment").click()
    assert_accessible(page)
    page.get_by_role("link", name="Start the assessment").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the assessment").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Edit the Early Help Assessment"
    assert_accessible(page)
    _tab_to(page, "What is working well")
    page.keyboard.type("Nan collects the children from school")
    _tab_to(page, "Scale scored by the family")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.get_by_label("Scale scored by the practitioner").fill("5")
    page.get_by_label("What Mia").fill("I like football club")
    page.get_by_label("Does Dan").select_option("yes")
    page.get_by_label("What of Dan").fill("Assessment and plan")
    page.get_by_label("With whom").fill("School and health visitor")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/versions/1/")
    assert_accessible(page)

    page.get_by_role("link", name="Add a need").click()
    assert_accessible(page)
    page.get_by_label("Outcome area").select_option("education")
    page.get_by_label("Describe the need").fill("Attendance is 78% this term")
    page.get_by_role("button", name="Add need").click()
    page.get_by_role("link", name="Add a worry statement and goal").click()
    assert_accessible(page)
    page.get_by_label("Danger or worry statement").fill("Arguments at home could turn violent")
    page.get_by_label("Goal").fill("Adults sort out disagreements safely")
    page.get_by_role("button", name="Add").click()

    page.get_by_role("link", name="Submit for quality assurance").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/versions/1/")
    assert AssessmentVersion.objects.get().status == AssessmentStatus.SUBMITTED

    page.context.clear_cookies()
    sign_in(page, "team", TEST_PASSWORD)
    page.goto(f"/assessments/{household.id}/versions/1/quality/")
    assert_accessible(page)
    page.get_by_role("button", name="Return with comments").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/versions/1/")
    assert AssessmentVersion.objects.get().status == AssessmentStatus.APPROVED
    assert_accessible(page)


def test_the_refused_save_is_accessible_and_keeps_the_input(page):
    from earlyhelp.assessments import services

    from .factories import DraftVersionFactory

    episode = EpisodeFactory()
    MembershipFactory(household=episode.household, role="child")
    lead = UserFactory(username="lead")
    InvolvementFactory(household=episode.household, practitioner=lead, role="lead")
    version = DraftVersionFactory(episode=episode)
    sign_in(page, "lead", TEST_PASSWORD)
    page.goto(f"/assessments/{episode.household_id}/versions/1/edit/")
    services.assessment_update(
        actor=version.created_by,
        version=version,
        revision=1,
        content=services.VersionContent(working_well="Saved by a colleague"),
        sections={},
    )
    page.get_by_label("What is working well").fill("My own words")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(services.EDIT_CONFLICT)).to_be_visible()
    assert page.get_by_label("What is working well").input_value() == "My own words"
    assert page.get_by_text("Saved by a colleague").is_visible()
    assert_accessible(page)
