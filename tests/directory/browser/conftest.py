from tests.browser_support import browser, page  # noqa: F401 - fixtures
