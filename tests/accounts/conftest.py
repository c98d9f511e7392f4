import pytest


@pytest.fixture
def mfa_required(settings):
    settings.EARLY_HELP_MFA_REQUIRED = True
