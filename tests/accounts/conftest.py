import pytest

from tests.browser_support import browser, page  # noqa: F401 - fixtures for the browser tests here


@pytest.fixture
def mfa_required(settings):
    settings.EARLY_HELP_MFA_REQUIRED = True
