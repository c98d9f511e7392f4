"""The Family Information Service in a real browser, on a phone-sized screen as many families use it:
search by need, by the child's age and by postcode, read a service, print it; axe-core on each page."""

import re

import pytest
from playwright.sync_api import expect

from earlyhelp.accounts.models import Role
from earlyhelp.demo.directory import build_directory
from earlyhelp.directory.models import PostcodeCentroid, Service
from tests.browser_support import assert_accessible, sign_in
from tests.directory.factories import make_editor
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def directory():
    return build_directory(seed=11, services=60)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def _result_names(page) -> list[str]:
    return page.locator(".app-result-list h3").all_inner_texts()


def test_a_parent_finds_help_by_need_and_age(phone, directory):
    phone.goto("/find-help/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Find help for your family"
    assert phone.get_by_role("button", name="Sign out").count() == 0
    assert_accessible(phone)
    phone.get_by_label("What do you need help with?").select_option(label="Early years")
    phone.get_by_label("Age of your child").fill("1")
    phone.get_by_role("button", name="Search").click()
    phone.wait_for_url("**/find-help/services/**")
    assert phone.get_by_role("heading", level=1).inner_text() == "Help with early years"
    names = _result_names(phone)
    assert names
    for name in names:
        service = Service.objects.get(name=name)
        assert service.attributes.filter(taxonomy_term__slug="early-years").exists()
        assert service.minimum_age in (None, 0) or service.minimum_age <= 1
        assert service.maximum_age is None or service.maximum_age >= 1
    assert_accessible(phone)


def test_a_parent_sees_the_nearest_services_to_their_postcode(phone, directory):
    postcode = PostcodeCentroid.objects.filter(district="L36").order_by("postcode").last().postcode
    phone.goto("/find-help/services/?need=parenting")
    phone.get_by_text("Change your search").click()
    phone.get_by_label("Your postcode").fill(postcode.lower())
    phone.get_by_role("button", name="Search").click()
    phone.wait_for_url("**postcode=**")
    first = phone.locator(".app-result-list > li").first
    assert "miles away" in first.inner_text()
    assert "Southmoor" in first.inner_text()  # the L36 locality
    assert_accessible(phone)


def test_a_mistyped_postcode_is_explained_accessibly(phone, directory):
    phone.goto("/find-help/services/")
    phone.get_by_label("Your postcode").fill("L36")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert phone.get_by_role("link", name="Enter a full postcode, like L36 9XY").is_visible()
    assert_accessible(phone)


def test_a_service_page_says_how_to_get_help_and_prints_without_the_site_around_it(phone, directory):
    phone.goto("/find-help/services/?need=domestic-abuse")
    phone.locator(".app-result-list h3 a").first.click()
    # The click starts the navigation; the checks below look once, so wait for the service's page to load.
    phone.wait_for_url(re.compile(r".*/find-help/services/[0-9a-f-]+/$"))
    assert phone.get_by_role("heading", name="How to get help").is_visible()
    assert phone.get_by_text("Who it is for").is_visible()
    assert_accessible(phone)
    phone.emulate_media(media="print")
    assert not phone.locator(".govuk-service-navigation").is_visible()
    assert not phone.locator("form.app-no-print, .app-no-print").first.is_visible()
    assert phone.get_by_role("heading", level=1).is_visible()


def test_the_how_to_get_help_pages_are_accessible(phone, directory):
    for slug in ("ask-for-early-help", "worried-about-a-child", "what-happens-next"):
        phone.goto(f"/find-help/how-to-get-help/{slug}/")
        assert "call 999" in phone.content()
        assert_accessible(phone)


def test_staff_directory_pages_are_accessible(page, directory):
    service = Service.objects.filter(review_status="published").select_related("organization").first()
    editor = make_editor(service.organization, username="faye")
    coordinator = UserFactory(role=Role.COORDINATOR, username="colin")
    sign_in(page, "faye", TEST_PASSWORD)
    for url in ("/directory/", "/directory/listings/new/", f"/directory/listings/{service.id}/", "/directory/stale/"):
        page.goto(url)
        assert_accessible(page)
    page.goto(f"/directory/listings/{service.id}/edit/")
    page.get_by_label("What the service does").fill(service.description + " Now with a crèche.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("waiting for the Early Help Team").first).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    sign_in(page, coordinator.username, TEST_PASSWORD)
    for url in ("/directory/review/", f"/directory/listings/{service.id}/review/", "/directory/coverage/"):
        page.goto(url)
        assert_accessible(page)
    assert editor.directory_editing.exists()
