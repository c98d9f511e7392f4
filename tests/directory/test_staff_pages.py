"""The staff pages of the directory, driven as a person would: an editor keeps their listing, the
Early Help Team reviews it, commissioners read the coverage report."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Locality, Role
from earlyhelp.directory.forms import ListingForm
from earlyhelp.directory.models import LocalityPostcodes, ReviewStatus, Service
from earlyhelp.directory.needs import need_term_id
from earlyhelp.directory.services import CANNOT_SUBMIT
from tests.factories import UserFactory

from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    data = {
        "name": "Dads' Group",
        "description": "A Saturday group for dads and their children.",
        "needs": [str(need_term_id("parenting"))],
        "minimum_age": "0",
        "maximum_age": "11",
        "phone": "0151 000 9999",
        "cost_amount": "0",
        "venue_name": "Northgate Family Hub",
        "address_1": "10 High Street",
        "town": "Northgate",
        "postcode": "L33 0GU",
        "days": ["SA"],
        "opens_at": "10:00",
        "closes_at": "12:00",
        "status": "active",
    }
    return data | changes


def test_an_editor_adds_a_listing_sends_it_for_review_and_the_team_publishes_it(client, editor, provider, coordinator):
    client.force_login(editor)
    response = client.post(reverse("directory:listing-create"), {"organization": provider.id, **_form()})
    service = Service.objects.get(name="Dads' Group")
    assert response.status_code == 302 and response["Location"] == reverse("directory:listing", args=[service.id])
    assert service.review_status == ReviewStatus.DRAFT
    page = client.get(reverse("directory:listing", args=[service.id])).content.decode()
    assert "Draft" in page and "Send for review" in page
    client.post(reverse("directory:listing-submit", args=[service.id]))
    client.force_login(coordinator)
    queue = client.get(reverse("directory:review-queue")).content.decode()
    assert "Dads&#x27; Group" in queue and "New listing" in queue
    response = client.post(reverse("directory:listing-review", args=[service.id]), {"decision": "approve"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.review_status == ReviewStatus.PUBLISHED
    assert client.get(reverse("find-help:service", args=[service.id])).status_code == 200


def test_an_editors_change_to_a_published_listing_is_shown_to_the_reviewer_field_by_field(
    client, editor, provider, coordinator
):
    service = ServiceFactory(organization=provider, name="Dads' Group")
    client.force_login(editor)
    form = client.get(reverse("directory:listing-edit", args=[service.id])).content.decode()
    assert "families see the listing as it is until then" in form
    client.post(reverse("directory:listing-edit", args=[service.id]), _form(description="Now on Sundays too."))
    service.refresh_from_db()
    assert service.description == "Help for families"
    client.force_login(coordinator)
    review = client.get(reverse("directory:listing-review", args=[service.id])).content.decode()
    assert "What the service does" in review and "Now on Sundays too." in review and "Help for families" in review
    response = client.post(reverse("directory:listing-review", args=[service.id]), {"decision": "return"})
    assert "Say what needs to change" in response.content.decode()
    client.post(reverse("directory:listing-review", args=[service.id]), {"decision": "return", "note": "Too long"})
    service.refresh_from_db()
    assert service.description == "Help for families"


def test_the_form_explains_what_is_wrong(client, editor, provider):
    client.force_login(editor)
    response = client.post(
        reverse("directory:listing-create"), {"organization": provider.id, **_form(maximum_age="-1", postcode="XX")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert not Service.objects.exists()


def test_a_listing_added_without_its_organisation_names_the_field_and_saves_nothing(client, editor):
    client.force_login(editor)
    response = client.post(reverse("directory:listing-create"), _form())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Add a listing" in html
    assert "Select an answer to “Which organisation runs it?”" in html
    assert not Service.objects.exists()


def test_sending_a_listing_already_waiting_for_review_shows_why_and_changes_nothing(client, editor, provider):
    pending = ServiceFactory(organization=provider, name="Waiting Listing", review_status=ReviewStatus.PENDING)
    client.force_login(editor)
    page = client.get(reverse("directory:listing-submit", args=[pending.id])).content.decode()
    assert "There is a problem" not in page
    assert "Families Together" in page and "Send for review" in page
    assert f'href="{reverse("directory:listing", args=[pending.id])}">Cancel' in page
    response = client.post(reverse("directory:listing-submit", args=[pending.id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Send Waiting Listing for review" in html
    assert "There is a problem" in html and CANNOT_SUBMIT in html
    pending.refresh_from_db()
    assert pending.review_status == ReviewStatus.PENDING


def test_an_editor_cannot_open_another_organisations_listing(client, editor):
    other = ServiceFactory()
    client.force_login(editor)
    assert client.get(reverse("directory:listing", args=[other.id])).status_code == 404
    assert client.post(reverse("directory:listing-edit", args=[other.id]), _form()).status_code == 404


def test_the_stale_work_list_and_confirming_a_listing(client, editor, provider, coordinator):
    stale = ServiceFactory(
        organization=provider, name="Old Listing", assured_date=timezone.localdate() - timedelta(days=400)
    )
    client.force_login(editor)
    assert "Old Listing" in client.get(reverse("directory:stale")).content.decode()
    assert "Due for review" in client.get(reverse("directory:listing", args=[stale.id])).content.decode()
    client.post(reverse("directory:listing-confirm", args=[stale.id]))
    client.force_login(coordinator)
    assert "Confirmation it is still correct" in client.get(reverse("directory:review-queue")).content.decode()
    client.post(reverse("directory:listing-review", args=[stale.id]), {"decision": "approve"})
    assert stale not in client.get(reverse("directory:stale")).context["listings"]


def test_commissioners_read_coverage_and_download_it(client):
    locality = Locality.objects.create(name="Northgate")
    LocalityPostcodes.objects.create(locality=locality, postcode_districts="L33")
    client.force_login(UserFactory(role=Role.ANALYST))
    page = client.get(reverse("directory:coverage")).content.decode()
    assert "Northgate" in page and "Gap" in page
    download = client.get(reverse("directory:coverage-export"))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[0] == ["Need", "Northgate"]
    assert len(rows) == 13


def test_the_directory_home_offers_each_person_what_their_role_does(client, editor, coordinator):
    client.force_login(UserFactory(role=Role.PRACTITIONER))
    practitioner = client.get(reverse("directory:home")).content.decode()
    assert reverse("find-help:home") in practitioner and "Add a listing" not in practitioner
    client.force_login(editor)
    assert "Add a listing" in client.get(reverse("directory:home")).content.decode()
    client.force_login(coordinator)
    home = client.get(reverse("directory:home")).content.decode()
    assert "Listings waiting for review" in home and "Coverage" in home


def test_the_listing_form_shows_each_of_its_fields_once_under_a_heading():
    named = [name for _, names in ListingForm.SECTIONS for name in names]
    assert sorted(named) == sorted(ListingForm.base_fields)
