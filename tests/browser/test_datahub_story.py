"""The partnership data hub from end to end in a real browser: the Early Help Team loads a school's
attendance file with mistyped names, a row without a UPN and pupils the register holds without one; the
background job links most rows, sends a few to clerical review and leaves strangers to partners only; a
reviewer accepts the school's record of a child known by another name; the attendance flag it raises is
the family's third need, so the family appears on the identification list and its chronology; a request
started from the list carries the child and the reasons over and is sent. axe-core clean on each page."""

import random
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.services import flags_raise
from earlyhelp.demo.identifiers import synthetic_upn
from earlyhelp.journey.models import RequestStatus, SupportRequest
from tests.browser_support import assert_accessible, sign_in
from tests.datahub.linked import days_ago, domestic_abuse, substance_misuse
from tests.datahub.pupils import SESSIONS_POSSIBLE, pupil, school
from tests.datahub.support import DatasetFactory
from tests.factories import TEST_PASSWORD, HouseholdFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Loading the file runs the matching model: Splink estimating its parameters from the file's rows.
LOADING = 60_000


def test_a_school_file_links_pupils_a_reviewer_decides_and_a_family_is_identified_for_early_help(page, settings):
    # Files of any size go to the background job (run at once by the test settings' immediate backend).
    settings.DATAHUB_BACKGROUND_FROM_BYTES = 1
    made, pupils = school()
    # The Nowak family: the police and the drug and alcohol service already flag the mother's needs in
    # two outcome areas. The register holds her daughter Aleksandra without a UPN; the school knows her as Ola.
    nowaks = HouseholdFactory(name="Nowak family", address_line_1="12 Mill Road", postcode="LS6 2QT")
    mother = MembershipFactory(
        household=nowaks,
        role="parent",
        person=PersonFactory(given_name="Joanna", family_name="Nowak", date_of_birth=date(1988, 6, 3), sex="F"),
    ).person
    domestic_abuse(mother, days_ago(100))
    domestic_abuse(mother, days_ago(20))
    substance_misuse(mother, treatment_start=days_ago(60))
    flags_raise()
    aleksandra = {
        "given_name": "Aleksandra",
        "family_name": "Nowak",
        "date_of_birth": date(2016, 4, 12),
        "sex": "F",
        "postcode": "LS6 2QT",
        "upn": synthetic_upn(random.Random(12)),
    }
    pupil(aleksandra, upn=False, household=nowaks)
    # The school holds her as Ola, and without a UPN.
    ola = pupils.row(aleksandra, given_name="Ola", upn="", missed=31)
    made.rows.append(ola)
    rows = len(made.rows)
    review = len(made.other_given_name) + 1
    DatasetFactory(name="Northfield schools' attendance")
    UserFactory(role=Role.COORDINATOR, username="ehteam", first_name="Sam", last_name="Coordinator")

    sign_in(page, "ehteam", TEST_PASSWORD)
    page.get_by_role("link", name="Datasets").click()
    expect(page.get_by_role("heading", level=1, name="Partners' datasets")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Northfield schools' attendance (load a file)").click()
    expect(page.get_by_role("heading", level=1, name="Load a file")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(
        {"name": "autumn-attendance.csv", "mimeType": "text/csv", "buffer": made.csv()}
    )
    # The click returns once the answer arrives: after the job has checked, stored and matched the rows.
    page.get_by_role("button", name="Upload and check").click(timeout=LOADING)
    expect(page.get_by_role("heading", name="File loaded")).to_be_visible(timeout=LOADING)
    expect(page.get_by_text(f"{rows} records stored")).to_be_visible()

    def matched(key: str):
        return page.locator(".govuk-summary-list__row", has=page.get_by_role("term").filter(has_text=key)).get_by_role(
            "definition"
        )

    expect(matched("Linked to a person")).to_have_text(str(len(made.copies) + len(made.without_upn)))
    expect(matched("Waiting for clerical review")).to_have_text(f"{review} (review them)")
    expect(matched("Known to partners only")).to_have_text(str(len(made.strangers)))
    assert_accessible(page)

    page.get_by_role("link", name="review them").click()
    expect(page.get_by_role("heading", level=1, name="Partner records to review")).to_be_visible()
    expect(page.get_by_text(f"{review} records waiting")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=f"Ola Nowak (record {ola['record_id']})").click()
    expect(page.get_by_role("heading", level=1, name="Are these records about the same person?")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Register: Aleksandra Nowak")).to_be_visible()
    given = page.get_by_role("row", name=re.compile("^Given name"))
    expect(given).to_contain_text("Ola")
    expect(given).to_contain_text("Aleksandra")
    expect(page.get_by_role("row", name=re.compile("^Unique Pupil Number"))).to_contain_text("Not recorded")
    assert_accessible(page)
    page.get_by_label("Yes: link the partner's record to this person").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded")).to_be_visible()
    expect(page.get_by_text(f"{review - 1} records waiting")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Ola Nowak"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Identification").click()
    expect(page.get_by_role("heading", level=1, name="Families identified from partners' data")).to_be_visible()
    card = page.locator(".govuk-summary-card", has=page.get_by_role("link", name="Nowak family", exact=True))
    expect(card).to_contain_text("3 needs")
    attendance = f"Missed {31 * 100 // SESSIONS_POSSIBLE} % of school sessions in the autumn term of 2025/26"
    expect(card.get_by_role("row", name=re.compile("^Getting a good education"))).to_contain_text(attendance)
    expect(card.get_by_role("row", name=re.compile("^Getting a good education"))).to_contain_text("Aleksandra Nowak")
    assert_accessible(page)

    card.get_by_role("link", name="Nowak family", exact=True).click()
    page.get_by_role("link", name="Early help journey of Nowak family").click()
    page.get_by_role("link", name="Chronology").click()
    expect(page.get_by_role("heading", level=1, name="Chronology")).to_be_visible()
    flagged = page.get_by_role("row", name=re.compile("Partners' data flags a need"))
    expect(flagged.filter(has_text=attendance)).to_contain_text("(Aleksandra Nowak)")
    expect(flagged).to_have_count(3)
    assert_accessible(page)

    page.get_by_role("link", name="Identification").click()
    page.get_by_role("link", name="Start a request for Nowak family").click()
    expect(page.get_by_role("heading", level=1, name="Ask for early help for a family")).to_be_visible()
    expect(page.get_by_label("Child's first name")).to_have_value("Aleksandra")
    expect(page.get_by_label("Child's last name")).to_have_value("Nowak")
    born = page.get_by_role("group", name="Child's date of birth")
    expect(born.get_by_label("Day")).to_have_value("12")
    expect(born.get_by_label("Month")).to_have_value("4")
    expect(born.get_by_label("Year")).to_have_value("2016")
    expect(page.get_by_label("Address")).to_have_value("12 Mill Road")
    expect(page.get_by_label("Postcode")).to_have_value("LS6 2QT")
    concerns = page.get_by_label("What is worrying you, and what help does the family need?")
    expect(concerns).to_have_value(re.compile(re.escape(attendance)))
    expect(concerns).to_have_value(re.compile("2 domestic abuse notifications from the police within 12 months"))
    assert_accessible(page)
    page.get_by_label("The family knows about this request and agrees to it").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text(re.compile(r"Request .+ sent to the Early Help Team"))).to_be_visible()
    expect(page.get_by_text("Aleksandra Nowak").first).to_be_visible()
    assert_accessible(page)

    sent = SupportRequest.objects.get()
    assert (sent.household, sent.status) == (nowaks, RequestStatus.AWAITING_TRIAGE)
    assert sent.child_date_of_birth == date(2016, 4, 12)
    # Waiting for triage, the family leaves the identification list.
    page.get_by_role("link", name="Identification").click()
    expect(page.get_by_text("No family is on the list.")).to_be_visible()
