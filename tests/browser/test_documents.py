"""Attaching documents to a family's record in a real browser: a renamed executable refused with its
message, then a PDF attached and downloaded; axe-core clean on each page."""

import pytest

from earlyhelp.documents.models import Document
from tests.browser_support import assert_accessible, sign_in
from tests.documents.factories import PDF
from tests.factories import TEST_PASSWORD, InvolvementFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_professional_is_refused_an_executable_then_attaches_and_downloads_a_consent_form(page):
    involvement = InvolvementFactory(role="lead", practitioner__username="lead")
    sign_in(page, "lead", TEST_PASSWORD)
    page.goto(f"/documents/{involvement.household_id}/")
    page.get_by_role("heading", level=1, name="Documents").wait_for()
    assert_accessible(page)

    upload = page.get_by_label("Upload a file")
    upload.set_input_files(
        {"name": "consent.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" + b"\x00" * 64}
    )
    page.get_by_label("What kind of document is it?").select_option("consent_form")
    page.get_by_label("Title").fill("Consent to share")
    page.get_by_role("button", name="Attach document").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_role("link", name="The selected file must be a").count() == 1
    assert_accessible(page)
    assert not Document.objects.exists()

    page.get_by_label("Upload a file").set_input_files(
        {"name": "consent.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Attach document").click()
    page.get_by_text("Document attached").wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Consent to share").click()
    assert download.value.suggested_filename == "consent.pdf"
    assert download.value.path().read_bytes() == PDF
