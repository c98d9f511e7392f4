"""The indicators dashboard in a real browser, as a manager: charts and tables for every indicator, the
filters as a GET form, small numbers as the marker, axe-core clean."""

import dataclasses
from datetime import date

import pytest

from earlyhelp.accounts.models import Role
from earlyhelp.measures.suppression import SUPPRESSED
from tests.browser_support import assert_accessible, sign_in
from tests.factories import TEST_PASSWORD, LocalityFactory, UserFactory
from tests.measures.factories import ReferralFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _worked_out_afresh(settings):
    measures = dataclasses.replace(settings.EARLY_HELP.measures, dashboard_cache_seconds=0)
    settings.EARLY_HELP = dataclasses.replace(settings.EARLY_HELP, measures=measures)


def test_a_manager_reads_the_indicators_filters_them_and_sees_small_numbers_hidden(page, live_server):
    riverside = LocalityFactory(name="Riverside")
    for _ in range(3):
        ReferralFactory(locality=riverside, referred_on=date(2025, 5, 1))
    for _ in range(6):
        ReferralFactory(locality=riverside, referred_on=date(2025, 8, 1), source_agency_type="health")
    UserFactory(role=Role.MANAGER, username="mo")
    sign_in(page, "mo", TEST_PASSWORD)
    page.goto(
        f"{live_server.url}/insights/dashboard/?start_day=1&start_month=4&start_year=2025"
        "&end_day=31&end_month=3&end_year=2026&show_by=quarter"
    )
    page.get_by_role("heading", level=1, name="Early help indicators").wait_for()
    assert page.get_by_role("img", name="K05 Referrals to children's social care: referrals by quarter").is_visible()
    trend = page.locator("#K05-trend")
    assert trend.get_by_role("row", name="2025-26 Q1").get_by_role("cell").inner_text() == SUPPRESSED
    assert trend.get_by_role("row", name="2025-26 Q2").get_by_role("cell").inner_text() == "6"
    assert_accessible(page)

    page.get_by_label("Agency type").select_option("health")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("heading", level=1, name="Early help indicators").wait_for()
    assert "agency_type=health" in page.url
    trend = page.locator("#K05-trend")
    assert trend.get_by_role("row", name="2025-26 Q1").get_by_role("cell").inner_text() == "0"
    assert trend.get_by_role("row", name="2025-26 Q2").get_by_role("cell").inner_text() == "6"
    assert_accessible(page)
