"""Browser tests fail on any error in the browser console, and the service's pages cause none."""

import pytest

from earlyhelp.accounts.models import Role
from tests.browser_support import forgive_console_errors, sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_error_in_the_browser_console_is_collected_for_the_test_to_fail_on(page):
    page.goto("/accounts/sign-in/")
    page.evaluate("console.error('something broke')")
    page.evaluate("setTimeout(() => { throw new Error('a script failed') }, 0)")
    page.wait_for_timeout(100)
    assert any("something broke" in error for error in page.console_errors)
    assert any("a script failed" in error for error in page.console_errors)
    forgive_console_errors(page, "something broke")
    forgive_console_errors(page, "a script failed")
    assert page.console_errors == []


def test_signed_in_pages_load_without_a_content_policy_error_and_with_a_favicon(page):
    UserFactory(role=Role.MANAGER, username="casey")
    sign_in(page, "casey", TEST_PASSWORD)
    for path in ["/", "/families/search/", "/journey/requests/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.console_errors == [], page.console_errors
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).status == 200
