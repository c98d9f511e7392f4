"""The insights page in a real browser, as an analyst: counts only, small numbers hidden, axe-core clean."""

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.measures.suppression import SUPPRESSED
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.journey.factories import EpisodeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_reads_the_counts_without_seeing_anyone(page):
    membership = MembershipFactory(person__given_name="Amara", person__family_name="Okafor")
    EpisodeFactory(household=membership.household)
    UserFactory(role=Role.ANALYST, username="ana")
    sign_in(page, "ana", TEST_PASSWORD)
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("heading", level=1, name="Early help in numbers").wait_for()
    assert page.get_by_role("definition").filter(has_text=SUPPRESSED).is_visible()
    assert page.get_by_text("Okafor").count() == 0
    assert_accessible(page)
