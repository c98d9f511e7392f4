"""Loading a partner's file in a real browser: a refused file and its report, then a good file and
its stored records; axe-core clean on each page."""

import csv
import io

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.models import PartnerRecord
from earlyhelp.imports import messages
from tests.browser_support import assert_accessible, sign_in
from tests.datahub.support import GIVEN_NAME, DatasetFactory, csv_bytes, good_row, good_rows
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_early_help_team_reads_a_refused_files_report_then_loads_a_good_file(page):
    DatasetFactory(name="Northfield schools")
    UserFactory(role=Role.COORDINATOR, username="ehteam")
    sign_in(page, "ehteam", TEST_PASSWORD)
    page.get_by_role("link", name="Datasets").click()
    page.get_by_role("heading", level=1, name="Partners' datasets").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Northfield schools (load a file)").click()
    page.get_by_role("heading", level=1, name="Load a file").wait_for()
    assert_accessible(page)
    bad = csv_bytes([good_row(1), good_row(2, date_of_birth="31/02/2015")])
    page.get_by_label("Upload a file").set_input_files({"name": "week.csv", "mimeType": "text/csv", "buffer": bad})
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="The file was refused: nothing was stored").wait_for()
    assert page.get_by_text(messages.VALUE_NOT_DATE.format(example="2025-03-31 or 31/03/2025")).first.is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report of every problem (CSV)").click()
    report = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(report)))
    assert [(row["file"], row["row"], row["column"], row["rule"]) for row in rows] == [
        ("week.csv", "3", "date_of_birth", "date")
    ]
    assert GIVEN_NAME not in report
    assert PartnerRecord.objects.count() == 0

    page.get_by_role("link", name="Load another file into Northfield schools").click()
    good = csv_bytes(good_rows(3))
    page.get_by_label("Upload a file").set_input_files({"name": "week.csv", "mimeType": "text/csv", "buffer": good})
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="File loaded").wait_for()
    assert page.get_by_text("3 records stored").is_visible()
    assert_accessible(page)
    assert PartnerRecord.objects.count() == 3


def test_a_reviewer_compares_a_record_with_the_register_person_and_accepts_the_link(page):
    from earlyhelp.datahub.models import LinkStatus
    from tests.datahub.linking import an_upload, partner_records
    from tests.factories import PersonFactory

    person = PersonFactory(given_name="Harriet", family_name="Oyelaran", address_line_1="3 Manor Row")
    row = {"record_id": "HENRY", "given_name": "Henry", "family_name": "Oyelaran", "date_of_birth": "2015-11-20"}
    record = partner_records(an_upload(), [row])["HENRY"]
    PartnerRecord.objects.filter(pk=record.pk).update(
        link_status=LinkStatus.IN_REVIEW,
        person=person,
        match_probability=0.93,
        match_weights={"given_name": -7.5, "family_name": 9.2, "dob": 0.0},
    )
    UserFactory(role=Role.COORDINATOR, username="reviewer")
    sign_in(page, "reviewer", TEST_PASSWORD)
    page.get_by_role("link", name="Links to review").click()
    page.get_by_role("heading", level=1, name="Partner records to review").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Henry Oyelaran (record HENRY)").click()
    page.get_by_role("heading", level=1, name="Are these records about the same person?").wait_for()
    assert page.get_by_text("Register: Harriet Oyelaran").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("link", name="Select whether the records are about the same person").wait_for()
    assert_accessible(page)
    page.get_by_label("Yes: link the partner's record to this person").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded").wait_for()
    assert_accessible(page)
    record.refresh_from_db()
    assert record.link_status == LinkStatus.LINKED

    page.get_by_role("link", name="Records known to partners only").click()
    page.get_by_role("heading", level=1, name="Known to partners only").wait_for()
    assert_accessible(page)
