"""The Family Information Service: public pages, no sign-in, searchable by need, age, words and postcode."""

from datetime import time

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.demo.directory import load_synthetic_postcodes
from earlyhelp.directory.models import PostcodeCentroid, ServiceStatus
from earlyhelp.directory.selectors import UNKNOWN_POSTCODE, FamilySearch, family_search
from tests.factories import UserFactory

from .factories import ServiceFactory, add_area, add_cost, add_need, add_phone, add_schedule, add_venue

pytestmark = pytest.mark.django_db


def _venue_at(service, district: str, name: str):
    point = PostcodeCentroid.objects.filter(district=district).order_by("postcode").first()
    return add_venue(
        service, postcode=point.postcode, latitude=str(point.latitude), longitude=str(point.longitude), name=name
    )


@pytest.fixture
def listings(db):
    load_synthetic_postcodes()
    toddlers = ServiceFactory(
        name="Toddler Stay and Play", description="Messy play and songs", minimum_age=0, maximum_age=4
    )
    add_need(toddlers, "early-years")
    place = _venue_at(toddlers, "L33", "Northgate Family Hub")
    add_schedule(toddlers, byday="TU", opens=time(9, 30), closes=time(11, 30), place=place)
    add_area(toddlers, "L33")
    add_cost(toddlers, "0")
    add_phone(toddlers, "0151 000 1111")
    teens = ServiceFactory(name="Teen Talk", description="Someone to talk to", minimum_age=11, maximum_age=18)
    add_need(teens, "emotional-and-mental-health")
    _venue_at(teens, "L36", "Southmoor Library")
    add_area(teens, "L36")
    add_cost(teens, "2.00", "per session")
    money = ServiceFactory(name="Money Advice Line", description="Debt and benefits advice by phone")
    add_need(money, "money-and-debt")
    closed = ServiceFactory(name="Baby Massage", status=ServiceStatus.TEMPORARILY_CLOSED, alert="Closed until May")
    add_need(closed, "early-years")
    draft = ServiceFactory(name="Secret Draft Group", draft=True)
    add_need(draft, "early-years")
    return {"toddlers": toddlers, "teens": teens, "money": money, "closed": closed, "draft": draft}


def _names(response) -> list[str]:
    return [result.service.name for result in response.context["found"].results]


@pytest.mark.parametrize(
    "url",
    [
        reverse("find-help:home"),
        reverse("find-help:search"),
        reverse("find-help:search") + "?need=early-years",
        reverse("find-help:guide", args=["ask-for-early-help"]),
        reverse("find-help:guide", args=["worried-about-a-child"]),
        reverse("find-help:guide", args=["what-happens-next"]),
    ],
)
def test_public_pages_need_no_sign_in_and_show_no_staff_navigation(client, listings, url):
    for user in (None, UserFactory(role=Role.COORDINATOR)):
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Find help for your family" in html
        assert "Sign out" not in html
        assert reverse("families:search") not in html
        assert f'href="{reverse("home:dashboard")}"' not in html


def test_search_by_need_shows_only_services_for_that_need(client, listings):
    response = client.get(reverse("find-help:search"), {"need": "early-years"})
    assert sorted(_names(response)) == ["Baby Massage", "Toddler Stay and Play"]
    assert "Temporarily closed" in response.content.decode()
    assert "Help with early years" in response.content.decode()


def test_search_by_age_keeps_services_for_a_child_of_that_age(client, listings):
    assert sorted(_names(client.get(reverse("find-help:search"), {"age": "15"}))) == [
        "Baby Massage",
        "Money Advice Line",
        "Teen Talk",
    ]
    assert "Teen Talk" not in _names(client.get(reverse("find-help:search"), {"age": "3"}))


def test_search_by_words(client, listings):
    assert _names(client.get(reverse("find-help:search"), {"q": "messy songs"})) == ["Toddler Stay and Play"]
    assert _names(client.get(reverse("find-help:search"), {"q": "benefits"})) == ["Money Advice Line"]


def test_search_by_postcode_puts_the_nearest_first_and_hides_services_for_other_areas(client, listings):
    near_southmoor = PostcodeCentroid.objects.filter(district="L36").order_by("-postcode").first().postcode
    response = client.get(reverse("find-help:search"), {"postcode": near_southmoor.lower().replace(" ", "")})
    names = _names(response)
    assert names[0] == "Teen Talk"
    assert "Toddler Stay and Play" not in names  # its area is Northgate (L33) only
    assert "Money Advice Line" in names  # no area: anyone can use it
    first = response.context["found"].results[0]
    assert first.distance_m is not None and first.distance_m < 5000
    assert "miles away" in response.content.decode()


def test_a_postcode_in_a_known_sector_is_placed_at_the_sector_centre(listings):
    unknown_unit = "L33 0XX"
    assert not PostcodeCentroid.objects.filter(postcode=unknown_unit).exists()
    found = family_search(FamilySearch(postcode=unknown_unit))
    assert found.centre.precision == "sector"
    assert found.results[0].service.name == "Toddler Stay and Play"


def test_an_unknown_or_invalid_postcode_is_explained(client, listings):
    unknown = client.get(reverse("find-help:search"), {"postcode": "ZE1 0AA"})
    assert UNKNOWN_POSTCODE in unknown.content.decode()
    invalid = client.get(reverse("find-help:search"), {"postcode": "hello"})
    assert "Enter a full postcode" in invalid.content.decode()
    assert invalid.context["found"] is None


def test_an_age_that_is_not_a_number_is_explained(client, listings):
    response = client.get(reverse("find-help:search"), {"age": "four"})
    assert "Enter the age as a whole number" in response.content.decode()


def test_a_service_page_says_how_to_get_in_touch_when_where_cost_and_who_for(client, listings):
    response = client.get(reverse("find-help:service", args=[listings["toddlers"].id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:01510001111"' in html
    assert "Tuesdays, 9:30am to 11:30am" in html
    assert "Free" in html
    assert "Up to age 4" in html
    assert "Northgate Family Hub" in html and "1 High Street" in html
    assert "last checked on" in html


def test_a_service_page_shows_the_cost_and_notice(client, listings):
    teens = client.get(reverse("find-help:service", args=[listings["teens"].id])).content.decode()
    assert "£2.00 per session" in teens and "Ages 11 to 18" in teens
    closed = client.get(reverse("find-help:service", args=[listings["closed"].id])).content.decode()
    assert "Closed until May" in closed


def test_unpublished_and_missing_services_are_not_found(client, listings):
    assert client.get(reverse("find-help:service", args=[listings["draft"].id])).status_code == 404
    assert "Secret Draft Group" not in _names(client.get(reverse("find-help:search"), {"need": "early-years"}))
    assert client.get(reverse("find-help:guide", args=["no-such-guide"])).status_code == 404


def test_results_come_in_pages(client, listings):
    for number in range(25):
        add_need(ServiceFactory(name=f"Parenting group {number:02d}"), "parenting")
    first = client.get(reverse("find-help:search"), {"need": "parenting"})
    assert first.context["found"].total == 25 and len(_names(first)) == 20
    second = client.get(reverse("find-help:search"), {"need": "parenting", "page": "2"})
    assert len(_names(second)) == 5
    assert set(_names(first)).isdisjoint(_names(second))
