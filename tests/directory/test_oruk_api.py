"""Every /oruk/ endpoint answers as Open Referral UK 3.0 says, checked against the standard's own
OpenAPI document and JSON schemas: each endpoint, pagination, and each standard filter."""

import copy
import uuid
from datetime import time
from decimal import Decimal
from itertools import pairwise

import pytest
from django.urls import reverse

from earlyhelp.directory.models import (
    Attribute,
    OrganizationIdentifier,
    ReviewStatus,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from earlyhelp.directory.needs import NEEDS_TAXONOMY_ID, need_term_id
from earlyhelp.directory.rules import distance_m
from earlyhelp.directory.selectors import postcode_point
from earlyhelp.directory.standard import openapi_document
from tests.conftest import built_once

from .conformance import get_conforming
from .conftest import small_demo_directory
from .factories import ServiceFactory, add_need

pytestmark = pytest.mark.django_db

# Each path of the standard, with how the tests reach it here.
ENDPOINTS = {
    "/": "oruk:root",
    "/services": "oruk:services",
    "/services/{id}": "oruk:service",
    "/service_at_locations": "oruk:service-at-locations",
    "/service_at_locations/{id}": "oruk:service-at-location",
    "/taxonomies": "oruk:taxonomies",
    "/taxonomies/{id}": "oruk:taxonomy",
    "/taxonomy_terms": "oruk:taxonomy-terms",
    "/taxonomy_terms/{id}": "oruk:taxonomy-term",
}
ARGUMENT = {
    "oruk:service": "service_id",
    "oruk:service-at-location": "place_id",
    "oruk:taxonomy": "taxonomy_id",
    "oruk:taxonomy-term": "term_id",
}


@pytest.fixture(scope="module")
def built_directory(django_db_setup, django_db_blocker):
    """The demo borough's smaller directory, with an unpublished listing
    and the rarer nested records added: built once for the module in a transaction rolled back after its
    last test. Each test runs in a savepoint inside it, so what one changes is gone before the next."""
    with built_once(django_db_blocker):
        small_demo_directory()
        yield _rarer_records()


@pytest.fixture
def directory(built_directory):
    """This test's own copy of the records the module's directory names."""
    return copy.deepcopy(built_directory)


def _rarer_records() -> dict:
    draft = ServiceFactory(draft=True, name="Unpublished draft")
    add_need(draft, "parenting")
    service = Service.objects.filter(review_status=ReviewStatus.PUBLISHED, service_at_locations__isnull=False).first()
    OrganizationIdentifier.objects.create(
        organization=service.organization,
        identifier_scheme="GB-CHC",
        identifier_type="Charity number",
        identifier="1234567",
    )
    location = service.service_at_locations.first().location
    Attribute.objects.create(location=location, taxonomy_term_id=need_term_id("early-years"), link_type="facility")
    return {"draft": draft, "service": service}


def _url(name: str, key: object = None) -> str:
    return reverse(name, kwargs={ARGUMENT[name]: str(key)} if key is not None else {})


def _example_id(name: str, directory) -> object:
    return {
        "oruk:service": directory["service"].id,
        "oruk:service-at-location": directory["service"].service_at_locations.first().id,
        "oruk:taxonomy": NEEDS_TAXONOMY_ID,
        "oruk:taxonomy-term": need_term_id("housing"),
    }.get(name)


def test_the_tests_cover_every_path_of_the_standard():
    assert set(ENDPOINTS) == set(openapi_document()["paths"])


@pytest.mark.parametrize(("path", "name"), ENDPOINTS.items())
def test_every_endpoint_answers_as_the_standard_says(client, directory, path, name):
    body = get_conforming(client, path, _url(name, _example_id(name, directory)))
    assert body


@pytest.mark.parametrize(("path", "name"), [(path, name) for path, name in ENDPOINTS.items() if "{id}" in path])
def test_a_record_that_does_not_exist_is_a_json_404(client, directory, path, name):
    for key in (uuid.uuid4(), "not-a-uuid"):
        response = client.get(_url(name, key))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found"}
        assert response["Access-Control-Allow-Origin"] == "*"


def test_the_service_information_points_to_the_standard_and_its_openapi_document(client, directory):
    body = get_conforming(client, "/", _url("oruk:root"))
    assert body["version"] == "3.0"
    openapi = client.get(body["openapi_url"])
    assert openapi.status_code == 200
    assert openapi.json()["info"]["title"] == "Open Referral UK Profile"


def test_only_published_services_appear(client, directory):
    draft = directory["draft"]
    listed = _all_pages(client, "/services", {})
    published = set(Service.objects.filter(review_status=ReviewStatus.PUBLISHED).values_list("id", flat=True))
    assert {uuid.UUID(item["id"]) for item in listed} == published
    assert client.get(_url("oruk:service", draft.id)).status_code == 404
    places = _all_pages(client, "/service_at_locations", {})
    assert {uuid.UUID(item["service"]["id"]) for item in places} <= published


def test_a_full_service_carries_its_nested_records(client, directory):
    service = directory["service"]
    body = get_conforming(client, "/services/{id}", _url("oruk:service", service.id))
    assert body["id"] == str(service.id)
    assert body["organization"]["organization_identifiers"][0]["identifier"] == "1234567"
    location = body["service_at_locations"][0]["location"]
    assert location["addresses"] and location["accessibility"] and location["attributes"]
    assert {attribute["taxonomy_term"]["taxonomy_id"] for attribute in body["attributes"]} == {str(NEEDS_TAXONOMY_ID)}


def test_a_service_at_location_is_the_service_narrowed_to_that_place(client, directory):
    service = Service.objects.filter(review_status=ReviewStatus.PUBLISHED).first()
    second = ServiceAtLocation.objects.exclude(service=service).first().location
    extra = ServiceAtLocation.objects.create(service=service, location=second)
    body = get_conforming(client, "/service_at_locations/{id}", _url("oruk:service-at-location", extra.id))
    assert body["id"] == str(service.id)
    assert [place["id"] for place in body["service_at_locations"]] == [str(extra.id)]


def _all_pages(client, path: str, params: dict, per_page: int = 7) -> list[dict]:
    name = ENDPOINTS[path]
    items, page = [], 1
    while True:
        body = get_conforming(client, path, _url(name), {**params, "page": page, "per_page": per_page})
        assert body["page_number"] == page
        assert body["size"] == per_page
        assert body["first_page"] == (page == 1)
        assert len(body["contents"]) <= per_page
        items += body["contents"]
        if body["last_page"]:
            assert body["total_pages"] in (page, 0)
            assert body["total_items"] == len(items)
            return items
        page += 1


@pytest.mark.parametrize("path", ["/services", "/service_at_locations", "/taxonomies", "/taxonomy_terms"])
def test_pages_cover_every_item_once(client, directory, path):
    items = _all_pages(client, path, {})
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    assert len(ids) > 0


def test_a_page_past_the_end_is_empty_and_still_conforms(client, directory):
    body = get_conforming(client, "/services", _url("oruk:services"), {"page": 999, "per_page": 10})
    assert body["contents"] == []
    assert body["empty"] is True
    assert body["last_page"] is True
    assert body["total_items"] > 0


def test_no_results_is_an_empty_first_and_last_page(client, directory):
    body = get_conforming(client, "/services", _url("oruk:services"), {"search": "xylophone zebra"})
    assert body == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 50,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


def _full(client, item_id: str) -> dict:
    return client.get(_url("oruk:service", item_id)).json()


def test_search_finds_services_by_their_words(client, directory):
    items = _all_pages(client, "/services", {"search": "massage"})
    assert items
    assert all("massage" in (item["name"] + item.get("description", "")).lower() for item in items)


def test_search_and_taxonomy_term_together(client, directory):
    term = need_term_id("parenting")
    items = _all_pages(client, "/services", {"search": "course", "taxonomy_term_id": str(term)})
    assert items
    for item in items:
        full = _full(client, item["id"])
        assert str(term) in {attribute["taxonomy_term_id"] for attribute in full["attributes"]}
        assert "course" in (item["name"] + item["description"]).lower()


def test_taxonomy_term_filter_returns_exactly_the_services_with_that_term(client, directory):
    term = need_term_id("housing")
    items = _all_pages(client, "/services", {"taxonomy_term_id": str(term)})
    expected = set(
        Service.objects.filter(review_status=ReviewStatus.PUBLISHED, attributes__taxonomy_term_id=term).values_list(
            "id", flat=True
        )
    )
    assert {uuid.UUID(item["id"]) for item in items} == expected
    assert expected


def test_taxonomy_filter_matches_any_term_of_the_taxonomy(client, directory):
    other = Taxonomy.objects.create(name="Other", description="Another taxonomy")
    term = TaxonomyTerm.objects.create(taxonomy=other, name="Other term", description="", slug="other-term")
    service = directory["service"]
    Attribute.objects.create(service=service, taxonomy_term=term)
    items = _all_pages(client, "/services", {"taxonomy_id": str(other.id)})
    assert [item["id"] for item in items] == [str(service.id)]
    everything = _all_pages(client, "/services", {"taxonomy_id": str(NEEDS_TAXONOMY_ID)})
    assert len(everything) > 1


def test_an_id_filter_that_is_not_a_uuid_matches_nothing(client, directory):
    body = get_conforming(client, "/services", _url("oruk:services"), {"taxonomy_term_id": "parenting"})
    assert body["total_items"] == 0


def test_age_filters_follow_the_standard(client, directory):
    """minimum_age: the service's youngest age is at least this; maximum_age: its oldest at most this."""
    items = _all_pages(client, "/services", {"minimum_age": 11, "maximum_age": 19})
    assert items
    for item in items:
        assert item["minimum_age"] >= 11
        assert item["maximum_age"] <= 19
    assert any(item["name"].startswith("Youth Club") for item in items)


def test_day_and_time_filters_need_one_schedule_that_fits(client, directory):
    service = directory["service"]
    Schedule.objects.filter(service=service).delete()
    Schedule.objects.create(service=service, freq="WEEKLY", byday="SA", opens_at=time(7, 0), closes_at=time(7, 45))
    items = _all_pages(client, "/services", {"day": "SA", "start_time": "06:30", "end_time": "08:00"})
    assert [item["id"] for item in items] == [str(service.id)]
    assert _all_pages(client, "/services", {"day": "saturday", "start_time": "07:30"}) == []
    weekday = _all_pages(client, "/services", {"day": "MO", "end_time": "12:00"})
    for item in weekday:
        full = _full(client, item["id"])
        assert any(
            "MO" in schedule.get("byday", "") and schedule.get("closes_at", "99") <= "12:00"
            for schedule in full["schedules"]
        )


def test_postcode_limits_places_to_services_whose_area_includes_it(client, directory):
    items = _all_pages(client, "/service_at_locations", {"postcode": "L33 0AB"})
    assert items
    for item in items:
        areas = _full(client, item["service"]["id"])["service_areas"]
        assert any("L33" in area.get("extent", "").split() for area in areas) or not areas


def test_proximity_keeps_places_within_that_many_metres_nearest_first(client, directory):
    items = _all_pages(client, "/service_at_locations", {"postcode": "L36 1AA", "proximity": "1500"})
    assert items
    centre = postcode_point("L36 1AA")
    distances = [
        distance_m(centre.latitude, centre.longitude, item["location"]["latitude"], item["location"]["longitude"])
        for item in items
    ]
    assert max(distances) <= 1500 * 1.01
    assert all(later >= earlier - 1 for earlier, later in pairwise(distances))
    assert len(items) < len(_all_pages(client, "/service_at_locations", {}))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"minimum_age": "five"}, "minimum_age"),
        ({"minimum_age": "NaN"}, "minimum_age"),
        ({"maximum_age": "-1"}, "maximum_age"),
        ({"maximum_age": "1000"}, "maximum_age"),
        ({"day": "someday"}, "day"),
        ({"start_time": "25:00"}, "start_time"),
        ({"end_time": "noon"}, "end_time"),
    ],
)
def test_a_parameter_that_cannot_be_read_is_a_400_naming_it(client, directory, params, field):
    response = client.get(_url("oruk:services"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"proximity": "1000"}, "proximity"),
        ({"postcode": "L36 1AA", "proximity": "far"}, "proximity"),
        ({"postcode": "ZE3 9XX", "proximity": "1000"}, "postcode"),
    ],
)
def test_place_filters_that_cannot_be_used_are_a_400(client, directory, params, field):
    response = client.get(_url("oruk:service-at-locations"), params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_any_origin_may_call_and_only_reads_are_allowed(client, directory):
    preflight = client.options(_url("oruk:services"), HTTP_ORIGIN="https://other.example.org")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.post(_url("oruk:services"), {}).status_code == 405


def test_temporarily_closed_services_stay_in_the_api_with_their_status(client, directory):
    service = directory["service"]
    Service.objects.filter(pk=service.pk).update(status=ServiceStatus.TEMPORARILY_CLOSED)
    body = get_conforming(client, "/services/{id}", _url("oruk:service", service.id))
    assert body["status"] == "temporarily closed"


def test_fractional_ages_are_numbers(client, directory):
    service = directory["service"]
    Service.objects.filter(pk=service.pk).update(minimum_age=Decimal("0.5"), maximum_age=Decimal("4"))
    body = get_conforming(client, "/services/{id}", _url("oruk:service", service.id))
    assert body["minimum_age"] == 0.5
    assert body["maximum_age"] == 4
