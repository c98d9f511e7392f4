"""The claims list in a real browser: a coordinator finds a family ready to claim with its evidence,
prepares the claim, and a second person signs it off; every page axe-core clean."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.assessments.models import OutcomeArea
from earlyhelp.journey.models import NeedOutcome
from earlyhelp.outcomes.models import Claim, ClaimStatus
from earlyhelp.outcomes.rules import add_months
from earlyhelp.outcomes.services import SAME_PERSON
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.outcomes.support import family

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _closed_eight_months_ago(name: str, **kwargs):
    closed_on = add_months(timezone.localdate(), -8)
    return family(name=name, closed_on=closed_on, opened_on=closed_on - timedelta(days=200), **kwargs)


def test_a_claim_is_prepared_from_the_list_and_signed_off_by_a_second_person(page, live_server):
    _closed_eight_months_ago("Okafor family")
    _closed_eight_months_ago("Nowak family", outcomes={OutcomeArea.HEALTH: NeedOutcome.NOT_MET})
    UserFactory(role=Role.COORDINATOR, username="cora")
    UserFactory(role=Role.COORDINATOR, username="colm")

    sign_in(page, "cora", TEST_PASSWORD)
    page.get_by_role("link", name="Claims").click()
    page.get_by_role("heading", level=1, name="Supporting Families claims").wait_for()
    assert page.get_by_role("heading", level=3, name="Okafor family").is_visible()
    assert page.get_by_role("rowheader", name="Secure housing").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Families one outcome short").click()
    page.get_by_role("heading", level=1, name="Families one outcome short").wait_for()
    assert page.get_by_role("row", name="Nowak family").get_by_text("Improved mental and physical health").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to claims").click()
    page.get_by_role("link", name="Prepare claim for Okafor family").click()
    page.get_by_role("heading", level=1, name="Prepare a claim").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Prepare claim").click()
    page.get_by_text("Claim prepared").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Sign off the claim for Okafor family").click()
    page.get_by_role("heading", level=1, name="Sign off a claim").wait_for()
    assert page.get_by_text(SAME_PERSON).first.is_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "colm", TEST_PASSWORD)
    page.get_by_role("link", name="Claims").click()
    page.get_by_role("link", name="Sign off the claim for Okafor family").click()
    page.get_by_role("button", name="Sign off claim").click()
    page.get_by_text("Claim signed off").wait_for()
    assert Claim.objects.get().status == ClaimStatus.SIGNED_OFF
    assert_accessible(page)


def test_the_progress_return_page_is_accessible(page, live_server):
    UserFactory(role=Role.MANAGER, username="mo")
    sign_in(page, "mo", TEST_PASSWORD)
    page.get_by_role("link", name="Claims").click()
    page.get_by_role("link", name="Quarterly progress return").click()
    page.get_by_role("heading", level=1, name="Quarterly progress return").wait_for()
    assert_accessible(page)
