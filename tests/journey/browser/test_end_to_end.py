"""The early help journey in a browser, page by page, with axe-core on every page.

A school practitioner asks for support; the Early Help Team triages it to an assessment led by a
family support worker; the lead records the level of need, completes the Early Help Assessment with
the child's voice and the scale, and the lead's team manager quality-assures and approves it (the
version then says who approved it and when); the lead builds the plan with
its actions and holds a Team Around the Family review that re-scores the scale; the lead steps the
family up and a manager approves; social care answers "no further action" with an offer; and the
lead, refused while the form misses a need's outcome and while a plan action is open (what was typed
is kept), marks the action done and closes the episode with outcomes achieved. The chronology shows
every step in order and the audit log has each. Every page runs under the site's real content security policy.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from earlyhelp.accounts.models import AgencyKind, Role
from earlyhelp.assessments.models import AssessmentStatus, AssessmentVersion
from earlyhelp.audit.models import AuditEvent
from earlyhelp.consent.models import ConsentRecord, ShareStatus, SharingWithoutConsent
from earlyhelp.journey.models import ChronologyEntry, EpisodeStatus, StepUpStatus, SupportRequest
from earlyhelp.plans.models import Meeting, Plan
from tests.browser_support import assert_accessible, fill_date, sign_in
from tests.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in_as(page, user):
    page.context.clear_cookies()
    sign_in(page, user.username, TEST_PASSWORD)


def _main(page) -> str:
    return page.locator("main").inner_text()


def _submit(page, button: str) -> None:
    """Press a form's button and wait for the page the server answers with, so that the test reads the
    database only after the request that changed it has finished (the live server shares it)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


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
    rosa = PersonFactory(given_name="Rosa", family_name="Rivers", date_of_birth=date(2016, 3, 4))
    dana = PersonFactory(given_name="Dana", family_name="Rivers", date_of_birth=date(1988, 7, 9))
    MembershipFactory(household=household, person=rosa, role="child")
    MembershipFactory(household=household, person=dana, role="parent")
    today = timezone.localdate()

    # A school practitioner checks whether the child is known, then asks for support.
    _sign_in_as(page, teacher)
    page.goto("/journey/requests/check/")
    assert_accessible(page)
    page.get_by_label("Child's first name").fill("Rosa")
    page.get_by_label("Child's last name").fill("Rivers")
    fill_date(page, "Date of birth (optional)", date(2016, 3, 4))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="This child is known")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continue to the request").click()
    assert page.get_by_label("Child's first name").input_value() == "Rosa"
    page.get_by_label("What is worrying you").fill("Attendance has fallen to 82% and mum is struggling.")
    # The consent box is ticked by keyboard alone.
    page.get_by_label("The family knows about this request and agrees to it").focus()
    page.keyboard.press("Space")
    _submit(page, "Send the request")
    assert_accessible(page)
    support_request = SupportRequest.objects.get()
    assert support_request.reference in _main(page)

    # The Early Help Team triages it to an assessment led by a family support worker; the family's
    # agreement is recorded as the parent's consent to share with the lead's agency.
    _sign_in_as(page, coordinator)
    page.goto("/journey/requests/")
    assert_accessible(page)
    page.get_by_role("link", name=support_request.reference).click()
    page.get_by_role("link", name="Triage this request").click()
    assert_accessible(page)
    page.get_by_label("Early help assessment").check()
    # The known-check's match is preselected in the family picker, which lists no other family.
    assert page.locator(f'input[name="household"][value="{household.id}"]').is_checked()
    page.get_by_label("Find the family in the register").fill("Rivers")
    _submit(page, "Search")
    assert_accessible(page)
    page.get_by_label("Early help assessment").check()
    # The MASH's own questions open inside its choice only.
    expect(page.get_by_label("Social care team")).to_be_hidden()
    page.get_by_label("Passport to the MASH").check()
    expect(page.get_by_label("Social care team")).to_be_visible()
    page.get_by_label("Early help assessment").check()
    expect(page.get_by_label("Social care team")).to_be_hidden()
    page.get_by_label("Rivers family", exact=False).check()
    page.get_by_label("Who will lead the assessment").select_option(str(lead.id))
    page.get_by_label("Reason for the decision").fill("Needs across school and home")
    _submit(page, "Record the decision")
    assert "triaged" in _main(page)
    assert_accessible(page)
    assert ConsentRecord.objects.get(person=dana).agencies.get() == ehm.agency

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
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason, if your judgement differs").fill("Several agencies are needed")
    _submit(page, "Record the level")
    assert "Level 3" in _main(page)

    # The lead completes the assessment: the child's voice, the parent's consent, the scale, a need.
    page.goto(f"/assessments/{household.id}/start/")
    assert_accessible(page)
    _submit(page, "Start the assessment")
    assert page.get_by_role("heading", level=1).inner_text() == "Edit the Early Help Assessment"
    assert_accessible(page)
    page.get_by_label("What is working well").fill("Nan collects Rosa from school every day")
    page.get_by_label("Scale scored by the family").fill("4")
    page.get_by_label("Scale scored by the practitioner").fill("3")
    page.get_by_label("What Rosa Rivers says").fill("I miss school when mum is poorly")
    page.get_by_label("Does Dana Rivers").select_option("yes")
    page.get_by_label("What of Dana Rivers").fill("The assessment and the plan")
    page.get_by_label("With whom").fill("School, health visitor, Early Help Service")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/versions/1/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a need").click()
    page.get_by_label("Outcome area").select_option("education")
    page.get_by_label("Describe the need").fill("Attendance is 82% this term")
    page.get_by_role("button", name="Add need").click()
    page.get_by_role("link", name="Submit for quality assurance").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_url("**/versions/1/")

    # Quality assurance by the lead's team manager, not the person who submitted it; the approved
    # version, and the family's list of versions, name them and the day.
    _sign_in_as(page, manager)
    page.goto(f"/assessments/{household.id}/versions/1/quality/")
    assert_accessible(page)
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url("**/versions/1/")
    approved = f"Approved {today.day} {today:%b %Y} by {manager.display_name}."
    expect(page.get_by_text(approved)).to_be_visible()
    assert_accessible(page)
    page.goto(f"/assessments/{household.id}/")
    expect(page.get_by_role("cell", name=f"{today.day} {today:%b %Y} by {manager.display_name}")).to_be_visible()
    assert AssessmentVersion.objects.get().status == AssessmentStatus.APPROVED

    # The lead builds the plan: an outcome answering the need, an action, then a TAF review.
    _sign_in_as(page, lead)
    page.goto(f"/plans/{household.id}/start/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("link", name="Add an outcome").click()
    page.get_by_label("Outcome").fill("Rosa is in school every day")
    page.get_by_label("Getting a good education", exact=False).check()
    page.get_by_role("button", name="Add outcome").click()
    page.get_by_role("link", name="Add an action").click()
    assert_accessible(page)
    page.get_by_label("What will be done").fill("Breakfast club place")
    page.get_by_label("Or an agency").select_option(label="Northgate Primary")
    fill_date(page, "By when", today + timedelta(days=30))
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("cell", name="Breakfast club place", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Kind of meeting").select_option("taf")
    fill_date(page, "Held on", today)
    page.get_by_label("Dana Rivers", exact=False).check()
    page.get_by_label("Decisions").fill("Breakfast club from Monday; police notification discussed")
    page.get_by_label("Scale, scored by the family").fill("2")
    page.get_by_label("Scale, scored by the practitioners").fill("2")
    page.get_by_label("Breakfast club place", exact=False).select_option("in_progress")
    fill_date(page, "Next review", today + timedelta(days=42))
    page.get_by_role("button", name="Record the meeting").click()
    page.wait_for_url("**/meetings/*/")
    assert_accessible(page)
    assert Meeting.objects.get().family_scale == 2

    # Step up, with the history compiled; a manager approves, confirming the lawful basis.
    page.goto(f"/journey/families/{household.id}/")
    page.get_by_role("link", name="Step up to social care").click()
    assert_accessible(page)
    page.get_by_label("Domestic abuse").check()
    page.get_by_label("What has changed").fill("Police notification of domestic abuse at the home")
    page.get_by_label("Social care team").select_option(str(mash.id))
    _submit(page, "Ask for approval")
    assert "Chronology" in _main(page)
    assert_accessible(page)
    step_up_url = page.url

    _sign_in_as(page, manager)
    page.goto("/journey/step-ups/")
    assert_accessible(page)
    page.goto(step_up_url)
    page.get_by_role("link", name="Approve or decline").click()
    assert_accessible(page)
    page.get_by_label("Approve and send to social care").check()
    _submit(page, "Record the decision")
    assert "With the MASH" in _main(page)
    assert SharingWithoutConsent.objects.get().status == ShareStatus.CONFIRMED

    # Social care answers no further action, with the offer recorded.
    _sign_in_as(page, social_worker)
    page.goto("/journey/step-ups/")
    page.get_by_role("link", name="Rivers family").click()
    expect(page.get_by_role("heading", name="Rivers family")).to_be_visible()
    assert "Sent without an approved early help assessment" not in _main(page)
    assert_accessible(page)
    page.get_by_role("link", name="Respond").click()
    page.get_by_label("No further action: back to early help").check()
    page.get_by_role("button", name="Record the response").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("The early help offered to the family").fill("Parenting programme and school nurse")
    _submit(page, "Record the response")
    assert household.step_ups.get().status == StepUpStatus.NO_FURTHER_ACTION

    # The lead closes the episode with outcomes achieved. With the need's outcome missing the page
    # shows the error and keeps what was typed; with the breakfast club still in progress closure is
    # refused naming it; once the action is done, the episode closes with the need met.
    _sign_in_as(page, lead)
    page.goto(f"/journey/families/{household.id}/")
    page.get_by_role("link", name="Close the episode").click()
    assert_accessible(page)
    close_url = page.url
    page.get_by_label("Outcomes achieved").check()
    page.get_by_label("Detail").fill("Rosa is in school every day")
    page.get_by_role("button", name="Close the episode").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    assert page.get_by_label("Detail").input_value() == "Rosa is in school every day"
    assert page.get_by_label("Outcomes achieved").is_checked()
    page.get_by_role("radio", name="Met", exact=True).check()
    _submit(page, "Close the episode")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert '"Breakfast club place"' in _main(page)
    assert_accessible(page)
    assert page.get_by_label("Detail").input_value() == "Rosa is in school every day"
    page.goto(f"/plans/{household.id}/{Plan.objects.get().id}/")
    page.get_by_role("link", name="Update action: Breakfast club place").click()
    page.get_by_label("Status").select_option("done")
    _submit(page, "Save")
    page.goto(close_url)
    page.get_by_label("Outcomes achieved").check()
    page.get_by_role("radio", name="Met", exact=True).check()
    _submit(page, "Close the episode")
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
        "assessment",  # started
        "assessment",  # submitted
        "assessment",  # approved
        "plan",  # started
        "plan",  # outcome
        "plan",  # action
        "meeting",
        "step_up",  # asked for
        "step_up",  # approved
        "social_care_response",
        "plan",  # the action done
        "closure",
    ]
    rows = page.locator("#chronology tbody tr")
    assert rows.count() == len(kinds)
    assert "Assessment version 1 approved" in rows.nth(7).inner_text()
    assert "Team Around the Family" in rows.nth(11).inner_text()
    assert "Social care: no further action" in rows.nth(14).inner_text()
    episode = household.episodes.get()
    assert episode.status == EpisodeStatus.CLOSED
    assert episode.closure.need_outcomes.get().outcome == "met"

    # The audit log has each step, by the person who took it.
    def audited(actor, object_type, **details):
        events = AuditEvent.objects.filter(actor=actor, object_type=object_type)
        return any(details.items() <= event.details.items() for event in events)

    assert audited(teacher, "supportrequest")
    assert audited(coordinator, "supportrequest", status="assessment")
    assert audited(coordinator, "consent")
    assert audited(coordinator, "involvement", role="lead")
    assert audited(lead, "levelofneed", level=3)
    assert audited(lead, "assessment_version", status="submitted")
    assert audited(manager, "assessment_version", status="approved")
    assert audited(lead, "plan") and audited(lead, "plan_action") and audited(lead, "meeting")
    assert audited(lead, "stepup", reasons=["domestic_abuse"])
    assert audited(manager, "stepup", status="sent")
    assert audited(manager, "sharing_without_consent", status="confirmed")
    assert audited(social_worker, "stepup", status="nfa")
    assert audited(lead, "episode", status="closed", reason="outcomes_achieved")
