"""The directory's staff pages in a real browser: an editor adds a listing by keyboard and sends it
for review, the Early Help Team reviews it, and commissioners read coverage; axe-core on each page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import Locality, Role
from earlyhelp.directory.models import ReviewStatus, Service
from tests.browser_support import assert_accessible, sign_in
from tests.directory.factories import OrganizationFactory, ServiceFactory, add_venue, make_editor
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider():
    return OrganizationFactory(name="Families Together")


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until the element with this id has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def test_an_editor_adds_a_listing_by_keyboard_and_sends_it_for_review(page, provider):
    make_editor(provider, username="erin")
    ServiceFactory(organization=provider, name="Stay and Play", assured_date=timezone.localdate() - timedelta(days=400))
    sign_in(page, "erin", TEST_PASSWORD)
    page.goto("/directory/")
    page.get_by_role("heading", level=1, name="Service directory").wait_for()
    assert_accessible(page)

    page.goto("/directory/stale/")
    page.get_by_role("heading", name="Listings due for review").wait_for()
    assert page.get_by_role("link", name="Stay and Play").is_visible()
    assert_accessible(page)

    page.goto("/directory/listings/new/")
    page.get_by_role("heading", name="Add a listing").wait_for()
    assert_accessible(page)
    _tab_to(page, "id_description")
    page.keyboard.type("A Saturday group for dads and their children.")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)
    assert not Service.objects.filter(description__startswith="A Saturday").exists()
    page.get_by_label("Which organisation runs it?").select_option(label="Families Together")
    _tab_to(page, "id_name")
    page.keyboard.type("Dads' Group")
    page.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Dads' Group").wait_for()
    assert_accessible(page)
    assert Service.objects.get(name="Dads' Group").review_status == ReviewStatus.DRAFT

    page.get_by_role("link", name="Change the listing").click()
    page.get_by_role("heading", name="Change Dads' Group").wait_for()
    assert_accessible(page)
    page.go_back()
    page.get_by_role("link", name="Send for review").click()
    page.get_by_role("heading", name="Send Dads' Group for review").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Send for review").click()
    page.get_by_role("heading", level=1, name="Dads' Group").wait_for()
    assert Service.objects.get(name="Dads' Group").review_status == ReviewStatus.PENDING

    page.goto(f"/directory/listings/{Service.objects.get(name='Stay and Play').id}/confirm/")
    page.get_by_role("heading", name="Is Stay and Play still correct?").wait_for()
    assert_accessible(page)


def test_the_early_help_team_reviews_a_listing_and_reads_coverage(page, provider):
    ServiceFactory(organization=provider, name="Dads' Group", review_status=ReviewStatus.PENDING)
    Locality.objects.create(name="Northgate")
    add_venue(ServiceFactory(organization=provider), postcode="L33 0GU", latitude="53.49", longitude="-2.90")
    UserFactory(role=Role.COORDINATOR, username="cora")
    sign_in(page, "cora", TEST_PASSWORD)
    page.goto("/directory/review/")
    page.get_by_role("heading", name="Listings waiting for review").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Dads' Group").click()
    page.get_by_role("heading", name="Review Dads' Group").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_role("heading", name="Listings waiting for review").wait_for()
    assert Service.objects.get(name="Dads' Group").review_status == ReviewStatus.PUBLISHED

    page.goto("/directory/coverage/")
    page.get_by_role("heading", name="Services for each need, by locality").wait_for()
    assert page.get_by_role("columnheader", name="Northgate").is_visible()
    assert_accessible(page)
