"""Browser tests see pages under the site's real content security policy, not a relaxed one."""

import pytest
from playwright.sync_api import Error

from tests.browser_support import axe_violations, forgive_console_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_shared_browser_page_refuses_an_inline_script_as_the_site_s_policy_says(page):
    page.goto("/accounts/sign-in/")
    with pytest.raises(Error, match="Content Security Policy"):
        page.add_script_tag(content="window.inlineScriptRan = true;")
    assert page.evaluate("window.inlineScriptRan === true") is False
    assert forgive_console_errors(page, "Content Security Policy"), "the refusal is reported in the console"
    # axe-core still runs under the policy: it is evaluated through DevTools, not added as a script.
    assert axe_violations(page) == []
