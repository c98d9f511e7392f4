import pytest

from tests.browser_support import browser  # noqa: F401 - fixture


@pytest.fixture
def page(browser, live_server):  # noqa: F811 - the shared page, with CSP bypassed so axe-core can be injected
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
