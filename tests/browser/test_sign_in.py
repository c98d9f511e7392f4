import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import Role
from tests.browser_support import assert_accessible, sign_in_with_the_form
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_practitioner_signs_in_and_reaches_their_home_page(page):
    user = UserFactory(role=Role.PRACTITIONER, username="priya")
    page.goto("/")
    assert "/accounts/sign-in/" in page.url
    assert_accessible(page)
    sign_in_with_the_form(page, "priya", TEST_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == f"Hello, {user.display_name}"
    assert_accessible(page)


def test_a_wrong_password_is_refused_with_an_accessible_error(page):
    UserFactory(username="priya")
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("priya")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
