"""Consent, sharing without consent, case notes, break-glass and the data protection officer's
pages in a real browser, each as the role that uses it; axe-core on every page and error state."""

from datetime import date

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.consent.models import ConsentRecord, ShareStatus, SharingWithoutConsent
from earlyhelp.families.models import BreakGlassGrant, InvolvementRole, MemberRole
from earlyhelp.notes.models import CaseNote
from tests.browser_support import assert_accessible, sign_in
from tests.dataprotection.factories import BreakGlassGrantFactory, ShareFactory
from tests.factories import TEST_PASSWORD, InvolvementFactory, MembershipFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Police report the child alone at home late tonight"


@pytest.fixture
def family():
    child = MembershipFactory(
        household__name="Okafor family",
        person__given_name="Amara",
        person__family_name="Okafor",
        person__nhs_number="9434765919",
    )
    MembershipFactory(
        household=child.household,
        role=MemberRole.PARENT,
        person=PersonFactory(given_name="Grace", family_name="Okafor", date_of_birth=date(1985, 3, 1)),
    )
    return child.household


@pytest.fixture
def practitioner(family):
    user = UserFactory(role=Role.PRACTITIONER, username="priya")
    InvolvementFactory(household=family, practitioner=user, role=InvolvementRole.LEAD_PROFESSIONAL)
    return user


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_a_lead_professional_records_consent_and_a_case_note_and_asks_to_share_without_consent(
    page, practitioner, family
):
    sign_in(page, "priya", TEST_PASSWORD)
    page.goto(f"/consent/{family.id}/")
    page.get_by_role("heading", name="Consent to share").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Record consent").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("Who is giving consent").select_option(label="Grace Okafor")
    page.get_by_label(practitioner.agency.name).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Consent to share").wait_for()
    assert ConsentRecord.objects.filter(person__given_name="Grace").count() == 1

    page.get_by_role("link", name="Record withdrawal").click()
    page.get_by_role("button", name="Save").wait_for()
    assert_accessible(page)

    page.goto(f"/consent/{family.id}/without-consent/")
    page.get_by_role("button", name="Save").wait_for()
    assert_accessible(page)

    page.goto(f"/notes/{family.id}/")
    page.get_by_role("heading", name="Case notes").wait_for()
    assert_accessible(page)
    _tab_to(page, "id_text")
    page.keyboard.type("Met Grace at the school gate; attendance improving.")
    _tab_to(page, "id_confidential")
    page.keyboard.press("Space")
    _tab_to(page, "id_text")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Met Grace at the school gate").wait_for()
    assert CaseNote.objects.get().confidential is True
    assert_accessible(page)


def test_a_manager_decides_on_sharing_without_consent(page, family):
    manager = UserFactory(role=Role.MANAGER, username="mo")
    share = ShareFactory(household=family, requested_by=UserFactory(team=manager.team, agency=manager.agency))
    sign_in(page, "mo", TEST_PASSWORD)
    page.get_by_role("link", name="Sharing to decide").click()
    page.get_by_role("heading", name="Sharing without consent to decide").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=f"Okafor family: share with {share.agency.name}").click()
    page.get_by_role("heading", name="Decide on sharing without consent").wait_for()
    assert_accessible(page)
    page.get_by_label("Your decision").select_option(label="Confirm sharing")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_url(lambda url: f"/decisions/{share.id}/" not in url)
    assert SharingWithoutConsent.objects.get().status == ShareStatus.CONFIRMED
    assert_accessible(page)


def test_a_practitioner_not_involved_opens_a_record_break_glass_by_keyboard(page, family):
    UserFactory(role=Role.PRACTITIONER, username="sam")
    sign_in(page, "sam", TEST_PASSWORD)
    page.get_by_role("link", name="Emergency access").click()
    page.get_by_role("heading", name="Open a record in an emergency").wait_for()
    assert_accessible(page)
    _tab_to(page, "id_nhs_number")
    page.keyboard.type("943 476 5919")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    assert not BreakGlassGrant.objects.exists()
    _tab_to(page, "id_reason")
    page.keyboard.type(REASON)
    page.get_by_role("button", name="Open the record").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Okafor family").wait_for()
    assert BreakGlassGrant.objects.get().reason == REASON


def test_the_data_protection_officer_sees_sharing_and_break_glass_and_finds_a_person(page, family):
    ShareFactory(household=family)
    BreakGlassGrantFactory(household=family)
    UserFactory(role=Role.DPO, username="dev")
    sign_in(page, "dev", TEST_PASSWORD)
    page.get_by_role("link", name="Data protection").click()
    page.get_by_role("heading", level=1, name="Data protection").wait_for()
    assert_accessible(page)
    page.get_by_label("NHS number").fill("12")
    page.get_by_role("button", name="Find the person").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    page.get_by_label("NHS number").fill("")
    page.get_by_label("Name").fill("Amara Okafor")
    page.get_by_role("button", name="Find the person").click()
    page.get_by_role("link", name="Amara Okafor").click()
    page.get_by_role("heading", level=1, name="Amara Okafor").wait_for()
    assert_accessible(page)
