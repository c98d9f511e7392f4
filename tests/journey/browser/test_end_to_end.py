"""The early help journey in a browser, page by page, with axe-core on every page.

A school practitioner asks for support, the Early Help Team triages it to an assessment with a
lead professional, the level of need is recorded, the lead steps the family up, a manager
approves, social care answers "no further action" with an offer, and the lead closes the episode
with outcomes achieved. The chronology shows every step in order and the audit log has each.

The assessment, quality assurance, plan and Team Around the Family review steps belong to the
assessment and plan pages; they join this journey once those pages are routed.
"""

import pytest

from earlyhelp.accounts.models import AgencyKind, Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.journey.models import ChronologyEntry, EpisodeStatus, SupportRequest
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, AgencyFactory, HouseholdFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.username, TEST_PASSWORD)


def test_a_family_s_journey_from_request_to_closure(page):
    school = TeamFactory(
        name="Pastoral Team", agency=AgencyFactory(name="Northgate Primary", kind=AgencyKind.EDUCATION)
    )
    ehm = TeamFactory(
        name="Family Support", agency=AgencyFactory(name="Early Help Service", kind=AgencyKind.LOCAL_AUTHORITY)
    )
    mash = TeamFactory(name="MASH", agency=AgencyFactory(name="Children's Social Care", kind=AgencyKind.SOCIAL_CARE))
    teacher = UserFactory(username="teacher", team=school, agency=school.agency)
    coordinator = UserFactory(username="coord", role=Role.COORDINATOR, team=ehm, agency=ehm.agency)
    lead = UserFactory(username="lead", first_name="Lee", last_name="Lead", team=ehm, agency=ehm.agency)
    manager = UserFactory(username="boss", role=Role.MANAGER, team=ehm, agency=ehm.agency)
    social_worker = UserFactory(username="sw", role=Role.SOCIAL_CARE, team=mash, agency=mash.agency)
    household = HouseholdFactory(name="Rivers family")

    # A school practitioner checks whether the child is known, then asks for support.
    _sign_in_as(page, teacher)
    page.goto("/journey/requests/check/")
    assert_accessible(page)
    page.get_by_label("Child's first name").fill("Rosa")
    page.get_by_label("Child's last name").fill("Rivers")
    page.get_by_label("Date of birth").fill("2016-03-04")
    page.get_by_role("button", name="Check").click()
    assert page.get_by_role("heading", name="This child is not known").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continue to the request").click()
    assert page.get_by_label("Child's first name").input_value() == "Rosa"
    page.get_by_label("What is worrying you").fill("Attendance has fallen to 82% and mum is struggling.")
    # The consent box is ticked by keyboard alone.
    page.get_by_label("The family knows about this request and agrees to it").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Send the request").click()
    assert_accessible(page)
    support_request = SupportRequest.objects.get()
    assert support_request.reference in page.locator("main").inner_text()

    # The Early Help Team triages it to an assessment led by a family support worker.
    _sign_in_as(page, coordinator)
    page.goto("/journey/requests/")
    assert_accessible(page)
    page.get_by_role("link", name=support_request.reference).click()
    page.get_by_role("link", name="Triage this request").click()
    assert_accessible(page)
    page.get_by_label("Early help assessment").check()
    page.get_by_label("The family's record").select_option(str(household.id))
    page.get_by_label("Who will lead the assessment").select_option(str(lead.id))
    page.get_by_label("Reason for the decision").fill("Needs across school and home")
    page.get_by_role("button", name="Record the decision").click()
    assert "triaged" in page.locator("main").inner_text()
    assert_accessible(page)

    # The lead records the level of need with the thresholds tool, overriding with a reason.
    _sign_in_as(page, lead)
    page.goto(f"/journey/families/{household.id}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record the level of need").click()
    page.get_by_label("School attendance below 90%").check()
    page.get_by_label("Money worries, debt or no adult in work").check()
    assert "suggests level 2" in page.locator("#level-suggestion").inner_text()
    page.get_by_label("Level 3: Universal Partnership Plus (targeted)").check()
    page.get_by_role("button", name="Record the level").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Reason, if your judgement differs").fill("Several agencies are needed")
    page.get_by_role("button", name="Record the level").click()
    assert "Level 3" in page.locator("main").inner_text()

    # Step up, with the history compiled; a manager approves.
    page.get_by_role("link", name="Step up to social care").click()
    assert_accessible(page)
    page.get_by_label("Domestic abuse").check()
    page.get_by_label("What has changed").fill("Police notification of domestic abuse at the home")
    page.get_by_label("Social care team").select_option(str(mash.id))
    page.get_by_role("button", name="Ask for approval").click()
    assert "Chronology" in page.locator("main").inner_text()
    assert_accessible(page)
    step_up_url = page.url

    _sign_in_as(page, manager)
    page.goto("/journey/step-ups/")
    assert_accessible(page)
    page.goto(step_up_url)
    page.get_by_role("link", name="Approve or decline").click()
    assert_accessible(page)
    page.get_by_label("Approve and send to social care").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "With the MASH" in page.locator("main").inner_text()

    # Social care answers no further action, with the offer recorded.
    _sign_in_as(page, social_worker)
    page.goto("/journey/step-ups/")
    page.get_by_role("link", name="Rivers family").click()
    page.get_by_role("link", name="Respond").click()
    page.get_by_label("No further action: back to early help").check()
    page.get_by_role("button", name="Record the response").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("The early help offered to the family").fill("Parenting programme and school nurse")
    page.get_by_role("button", name="Record the response").click()

    # The lead closes the episode with outcomes achieved.
    _sign_in_as(page, lead)
    page.goto(f"/journey/families/{household.id}/")
    page.get_by_role("link", name="Close the episode").click()
    assert_accessible(page)
    page.get_by_label("Outcomes achieved").check()
    page.get_by_role("button", name="Close the episode").click()
    assert "Episode closed" in page.locator("body").inner_text()

    # The coordinator reads the chronology: every step, in order.
    _sign_in_as(page, coordinator)
    page.goto(f"/journey/families/{household.id}/chronology/")
    assert_accessible(page)
    kinds = list(ChronologyEntry.objects.filter(household=household).values_list("kind", flat=True))
    assert kinds == [
        "request",
        "episode",
        "lead",
        "triage",
        "level",
        "step_up",
        "step_up",
        "social_care_response",
        "closure",
    ]
    rows = page.locator("#chronology tbody tr")
    assert rows.count() == len(kinds)
    assert "Social care: no further action" in rows.nth(7).inner_text()
    assert household.episodes.get().status == EpisodeStatus.CLOSED
    for object_type in ("supportrequest", "episode", "levelofneed", "stepup", "involvement"):
        assert AuditEvent.objects.filter(household_id=household.id, object_type=object_type).exists(), object_type
