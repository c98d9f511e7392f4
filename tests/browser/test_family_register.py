"""The family register in a real browser: search with a typo, a person and their family, the
known check, household editing by keyboard alone, and the DPO's audit trail; axe-core on each page."""

from datetime import date

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.families.access import access_person_by_id
from earlyhelp.families.models import InvolvementRole, Membership
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, InvolvementFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def family():
    membership = MembershipFactory(
        household__name="Okafor family",
        person__given_name="Amara",
        person__family_name="Okafor",
        person__date_of_birth=date(2016, 4, 9),
        person__nhs_number="9434765919",
        started_on=date(2020, 1, 1),
    )
    return membership


@pytest.fixture
def practitioner(family):
    user = UserFactory(role=Role.PRACTITIONER, username="priya", first_name="Priya", last_name="Shah")
    InvolvementFactory(household=family.household, practitioner=user, role=InvolvementRole.LEAD_PROFESSIONAL)
    return user


def _tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def _tab_to_link(page, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.textContent.trim()")
        if focused and focused.startswith(text):
            return
    raise AssertionError(f"link {text!r} cannot be reached with the Tab key")


def test_a_practitioner_finds_a_child_despite_a_typo_and_opens_the_child_and_the_family(page, practitioner, family):
    sign_in(page, "priya", TEST_PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name="Search for a child or family").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Amara Okafr")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 person found").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Amara Okafor").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amara Okafor"
    assert page.get_by_text("943 476 5919").count() == 0  # stored and shown unspaced
    assert page.get_by_text("9434765919").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Okafor family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Okafor family"
    assert page.get_by_role("cell", name="Priya Shah").is_visible()
    assert_accessible(page)


def test_the_known_check_tells_a_stranger_only_whom_to_contact(page, practitioner, family):
    UserFactory(role=Role.PRACTITIONER, username="sam")
    sign_in(page, "sam", TEST_PASSWORD)
    page.goto("/families/known/")
    assert_accessible(page)
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="This child is known").wait_for()
    assert page.get_by_text("Early help is open for this child's family.").is_visible()
    assert page.get_by_text(practitioner.contact_line).is_visible()
    assert page.get_by_text("Okafor family").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Check another child").click()
    page.get_by_label("NHS number").fill("9434765870")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("heading", name="No record found").wait_for()
    assert_accessible(page)


def test_a_family_is_added_and_edited_with_the_keyboard_alone(page, practitioner):
    sign_in(page, "priya", TEST_PASSWORD)
    page.goto("/families/search/")
    _tab_to_link(page, "Add a new family")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Add a new family").wait_for()
    assert_accessible(page)

    _tab_to(page, "id_name")
    page.keyboard.type("Nowak family")
    _tab_to(page, "id_postcode")
    page.keyboard.type("L36")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    _tab_to(page, "id_postcode")
    page.keyboard.press("Control+A")
    page.keyboard.type("l36 9xy")
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Nowak family").wait_for()
    assert_accessible(page)

    _tab_to_link(page, "Add a person")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Add a person").wait_for()
    assert_accessible(page)
    _tab_to(page, "id_given_name")
    page.keyboard.type("Łucja")
    _tab_to(page, "id_family_name")
    page.keyboard.type("Nowak")
    _tab_to(page, "id_nhs_number")
    page.keyboard.type("943 476 5918")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_role("link", name="NHS number must be 10 digits").is_visible()
    assert_accessible(page)
    _tab_to(page, "id_nhs_number")
    page.keyboard.press("Control+A")
    page.keyboard.type("943 476 5870")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Łucja Nowak", exact=True).wait_for()

    _tab_to_link(page, "Record a move")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Record that Łucja Nowak moved out").wait_for()
    assert_accessible(page)
    _tab_to(page, "id_ended_on")
    page.keyboard.press("Enter")
    page.get_by_text("Łucja Nowak recorded as moved out").wait_for()
    assert Membership.objects.get(person__given_name="Łucja").ended_on is not None


def test_the_dpo_sees_who_looked_at_a_childs_record(page, practitioner, family):
    access_person_by_id(practitioner, family.person_id)
    UserFactory(role=Role.DPO, username="dev")
    sign_in(page, "dev", TEST_PASSWORD)
    page.get_by_role("link", name="See who has looked at or changed a person's record").click()
    assert_accessible(page)
    page.get_by_label("Name").fill("Okafor Amara")
    page.get_by_role("button", name="Find person").click()
    page.get_by_role("link", name="Amara Okafor").click()
    page.get_by_role("heading", level=1, name="Amara Okafor").wait_for()
    assert page.get_by_role("cell", name="priya", exact=True).is_visible()
    assert_accessible(page)
