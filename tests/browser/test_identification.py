"""The identification list in a real browser: a family flagged with three needs, its page with the
agencies that know it, a request started from the list with the details carried over, and a family
dismissed; axe-core clean on each page."""

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.models import IdentificationDismissal
from tests.browser_support import assert_accessible, sign_in
from tests.datahub.linked import flagged_family
from tests.factories import TEST_PASSWORD, HouseholdFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_early_help_team_works_the_identification_list(page):
    flagged_family(household=HouseholdFactory(name="Ashworth family"))
    flagged_family(household=HouseholdFactory(name="Brennan family"))
    UserFactory(role=Role.COORDINATOR, username="ehteam")
    sign_in(page, "ehteam", TEST_PASSWORD)
    page.get_by_role("link", name="Identification").click()
    page.get_by_role("heading", level=1, name="Families identified from partners' data").wait_for()
    assert page.get_by_text("2 domestic abuse notifications from the police within 12 months").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Ashworth family").first.click()
    page.get_by_role("heading", name="Who else knows this family").wait_for()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Start a request for Ashworth family").click()
    page.get_by_role("heading", level=1, name="Ask for early help for a family").wait_for()
    assert page.get_by_label("Child's first name").input_value() == "Kai"
    assert "Safe from domestic abuse" in page.get_by_label("What is worrying you").input_value()
    assert_accessible(page)
    page.go_back()

    page.get_by_role("link", name="Dismiss Brennan family").click()
    page.get_by_role("heading", level=1, name="Take the family off the identification list").wait_for()
    assert_accessible(page)
    page.get_by_label("Why does the family not need early help now?").fill("The school is working with them")
    page.get_by_role("button", name="Take off the list").click()
    page.get_by_text("Brennan family taken off the identification list").wait_for()
    assert page.get_by_role("link", name="Ashworth family").first.is_visible()
    assert page.get_by_role("link", name="Brennan family").count() == 0
    assert_accessible(page)
    assert IdentificationDismissal.objects.get().household.name == "Brennan family"
