"""GOV.UK Frontend's scripts bring the shared form pieces to life: the character count counts as
the person types, and dates are typed as day, month and year."""

import pytest

from earlyhelp.accounts.models import Role
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_textarea_with_a_limit_counts_the_characters_left_as_the_person_types(page):
    UserFactory(role=Role.PRACTITIONER, username="priya")
    sign_in(page, "priya", TEST_PASSWORD)
    page.goto("/journey/requests/new/")
    page.get_by_label("What is worrying you", exact=False).fill("Rosa is not sleeping")
    status = page.locator(".govuk-character-count__status")
    status.wait_for()
    assert status.inner_text() == "You have 4,980 characters remaining"
    assert page.get_by_role("group", name="Child's date of birth (optional)").get_by_label("Month").is_visible()
    assert_accessible(page)


def test_a_request_with_an_impossible_date_is_refused_by_name_and_keeps_what_was_typed(page):
    UserFactory(role=Role.PRACTITIONER, username="priya")
    sign_in(page, "priya", TEST_PASSWORD)
    page.goto("/journey/requests/new/")
    page.get_by_label("Child's first name").fill("Rosa")
    dob = page.get_by_role("group", name="Child's date of birth (optional)")
    dob.get_by_label("Day").fill("31")
    dob.get_by_label("Month").fill("2")
    dob.get_by_label("Year").fill("2016")
    page.get_by_role("button", name="Send the request").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Child's date of birth must be a real date" in summary.inner_text()
    assert "Enter child's last name" in summary.inner_text()
    assert page.get_by_label("Child's first name").input_value() == "Rosa"
    assert_accessible(page)
