"""The service navigation at 1280 px: one row, and only links the person's role may use."""

import pytest

from earlyhelp.accounts.models import Role
from tests.browser_support import sign_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.COORDINATOR, Role.SOCIAL_CARE, Role.DPO])
def test_the_navigation_fits_on_one_row_at_1280_pixels_for_every_role(page, role):
    UserFactory(role=role, username="robin")
    sign_in(page, "robin", TEST_PASSWORD)
    page.goto("/")
    tops = page.locator(".govuk-service-navigation__item").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().top)"
    )
    assert len(tops) > 1
    assert len(set(tops)) == 1, f"the navigation wraps onto {len(set(tops))} rows"
