"""Editors from provider organisations keep their own listings; the Early Help Team reviews them
before publication; each listing shows when it was last reviewed and goes stale after a set time."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from config.early_help import DirectorySettings, EarlyHelpSettings
from earlyhelp.accounts.models import Locality, Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.demo.directory import load_synthetic_postcodes
from earlyhelp.directory import services
from earlyhelp.directory.models import (
    ChangeStatus,
    DirectoryEditor,
    LocalityPostcodes,
    Metadata,
    ReviewStatus,
    ServiceAtLocation,
    ServiceChange,
)
from earlyhelp.directory.needs import need_term_id
from earlyhelp.directory.selectors import published_services, review_queue, service_page, stale_listings
from earlyhelp.directory.services import ListingDetails
from tests.factories import UserFactory

from .factories import OrganizationFactory, ServiceFactory, make_editor

pytestmark = pytest.mark.django_db


def details(**changes) -> ListingDetails:
    values = {
        "name": "Dads' Group",
        "description": "A Saturday group for dads and their children.",
        "needs": (need_term_id("parenting"),),
        "minimum_age": Decimal(0),
        "maximum_age": Decimal(11),
        "phone": "0151 000 9999",
        "cost_amount": Decimal(0),
        "venue_name": "Northgate Family Hub",
        "address_1": "10 High Street",
        "town": "Northgate",
        "postcode": "l33 0gu",
        "days": ("SA",),
        "opens_at": time(10, 0),
        "closes_at": time(12, 0),
    }
    return ListingDetails(**(values | changes))


def test_an_editor_adds_a_draft_that_families_cannot_see(editor, provider):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    assert service.review_status == ReviewStatus.DRAFT
    assert not published_services().filter(id=service.id).exists()
    assert service.service_at_locations.get().location.addresses.get().postal_code == "L33 0GU"
    assert service.schedules.get().byday == "SA"
    assert AuditEvent.objects.filter(
        object_type="directory_service", object_id=str(service.id), action="create"
    ).exists()


def test_an_editor_cannot_add_a_listing_for_another_organisation(editor):
    with pytest.raises(PermissionDenied):
        services.listing_create(actor=editor, organization=OrganizationFactory(), details=details())


def test_a_practitioner_who_edits_nothing_cannot_add_listings(provider):
    with pytest.raises(PermissionDenied):
        services.listing_create(actor=UserFactory(role=Role.PRACTITIONER), organization=provider, details=details())


def test_submitted_then_approved_is_published_with_today_as_its_review_date(editor, provider, coordinator):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    services.listing_submit(actor=editor, service=service)
    assert service.review_status == ReviewStatus.PENDING
    assert [item.service for item in review_queue()] == [service]
    services.listing_approve(actor=coordinator, service=service)
    service.refresh_from_db()
    assert service.review_status == ReviewStatus.PUBLISHED
    assert service.assured_date == timezone.localdate()
    assert service.assurer_email == "coordinator@example.org"
    assert review_queue() == []


def test_only_the_early_help_team_approves(editor, provider):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    services.listing_submit(actor=editor, service=service)
    with pytest.raises(PermissionDenied):
        services.listing_approve(actor=editor, service=service)
    with pytest.raises(PermissionDenied):
        services.listing_approve(actor=UserFactory(role=Role.MANAGER), service=service)


def test_returning_a_listing_needs_a_note_the_editor_sees(editor, provider, coordinator):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    services.listing_submit(actor=editor, service=service)
    with pytest.raises(ValidationError) as refused:
        services.listing_return(actor=coordinator, service=service, note=" ")
    assert refused.value.message_dict == {"note": [services.RETURN_NEEDS_NOTE]}
    services.listing_return(actor=coordinator, service=service, note="Add the opening times")
    service.refresh_from_db()
    assert (service.review_status, service.review_note) == (ReviewStatus.RETURNED, "Add the opening times")
    services.listing_submit(actor=editor, service=service)
    assert service.review_note == ""


def test_illegal_steps_are_refused_with_a_reason(editor, provider, coordinator):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    with pytest.raises(ValidationError, match="nothing waiting"):
        services.listing_approve(actor=coordinator, service=service)
    services.listing_submit(actor=editor, service=service)
    with pytest.raises(ValidationError, match="draft or returned"):
        services.listing_submit(actor=editor, service=service)


def test_an_editors_change_to_a_published_listing_waits_for_review(editor, provider, coordinator):
    service = ServiceFactory(organization=provider, name="Dads' Group")
    services.listing_save(actor=editor, service=service, details=details(name="Dads' Group"))
    change = ServiceChange.objects.get(service=service, status=ChangeStatus.PENDING)
    service.refresh_from_db()
    assert service.description == "Help for families"  # families still see the listing as it was
    services.listing_save(actor=editor, service=service, details=details(description="Now on Sundays too."))
    assert ServiceChange.objects.filter(service=service, status=ChangeStatus.PENDING).count() == 1
    assert not ServiceChange.objects.filter(id=change.id).exists()
    services.listing_approve(actor=coordinator, service=service)
    service.refresh_from_db()
    assert service.description == "Now on Sundays too."
    assert service.assured_date == timezone.localdate()
    assert Metadata.objects.filter(
        resource_id=service.id, field_name="description", updated_by=editor.username
    ).exists()


def test_a_returned_change_leaves_the_listing_as_it_was(editor, provider, coordinator):
    service = ServiceFactory(organization=provider)
    services.listing_save(actor=editor, service=service, details=details(name="Renamed"))
    services.listing_return(actor=coordinator, service=service, note="Keep the old name")
    service.refresh_from_db()
    assert service.name != "Renamed"
    change = ServiceChange.objects.get(service=service)
    assert (change.status, change.note, change.decided_by) == (ChangeStatus.RETURNED, "Keep the old name", coordinator)


def test_the_early_help_teams_own_edits_publish_at_once(coordinator, provider):
    service = services.listing_create(actor=coordinator, organization=provider, details=details())
    assert service.review_status == ReviewStatus.PUBLISHED and service.assured_date == timezone.localdate()
    services.listing_save(actor=coordinator, service=service, details=details(name="Dads' Club"))
    service.refresh_from_db()
    assert service.name == "Dads' Club"
    assert not ServiceChange.objects.exists()


def test_invalid_details_are_refused_naming_the_field(editor, provider):
    cases = [
        (details(minimum_age=Decimal(12), maximum_age=Decimal(5)), "maximum_age"),
        (details(postcode="NOWHERE"), "postcode"),
        (details(address_1="", town="", postcode="L33 0GU"), "address_1"),
        (details(opens_at=None), "opens_at"),
        (details(closes_at=time(9, 0)), "closes_at"),
        (details(name=" "), "name"),
        (details(needs=(need_term_id("nonsense"),)), "needs"),
        (details(localities=(999999,)), "localities"),
    ]
    for bad, field in cases:
        with pytest.raises(ValidationError) as refused:
            services.listing_create(actor=editor, organization=provider, details=bad)
        assert field in refused.value.message_dict, (field, refused.value.message_dict)


def test_the_form_details_read_back_as_they_were_saved(editor, provider):
    locality = Locality.objects.create(name="Northgate")
    LocalityPostcodes.objects.create(locality=locality, postcode_districts="L33")
    saved = details(localities=(locality.id,), cost_amount=Decimal("2.50"), cost_description="per session")
    service = services.listing_create(actor=editor, organization=provider, details=saved)
    assert services.listing_details_of(service) == services._clean(saved)
    area = service.service_areas.get()
    assert (area.name, area.extent, area.extent_type, area.postcode_districts) == ("Northgate", "L33", "text", " L33 ")
    service.review_status = ReviewStatus.PUBLISHED
    service.save(update_fields=["review_status"])
    assert service_page(service.id).cost_text == "£2.50 per session"


def test_clearing_the_venue_removes_it(editor, provider):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    services.listing_save(
        actor=editor, service=service, details=details(venue_name="", address_1="", town="", postcode="")
    )
    assert not service.service_at_locations.exists()


def test_confirming_a_listing_is_still_correct_resets_its_review_date(editor, provider, coordinator):
    old = timezone.localdate() - timedelta(days=400)
    service = ServiceFactory(organization=provider, assured_date=old)
    services.listing_confirm(actor=editor, service=service)
    service.refresh_from_db()
    assert service.assured_date == old  # the editor's word goes to the team first
    services.listing_approve(actor=coordinator, service=service)
    service.refresh_from_db()
    assert service.assured_date == timezone.localdate()
    other = ServiceFactory(organization=provider, assured_date=old)
    services.listing_confirm(actor=coordinator, service=other)
    other.refresh_from_db()
    assert other.assured_date == timezone.localdate()


@override_settings(EARLY_HELP=EarlyHelpSettings(directory=DirectorySettings(stale_after_days=180)))
def test_stale_listings_are_those_not_reviewed_within_the_configured_time(editor, provider, coordinator):
    today = timezone.localdate()
    fresh = ServiceFactory(organization=provider, assured_date=today - timedelta(days=179))
    stale = ServiceFactory(organization=provider, assured_date=today - timedelta(days=181))
    never = ServiceFactory(organization=provider, assured_date=None)
    ServiceFactory(organization=provider, draft=True)
    elsewhere = ServiceFactory(assured_date=today - timedelta(days=400))
    assert list(stale_listings(editor)) == [never, stale]
    assert set(stale_listings(coordinator)) == {never, stale, elsewhere}
    assert fresh not in stale_listings(coordinator)


def test_every_step_is_audited(editor, provider, coordinator):
    service = services.listing_create(actor=editor, organization=provider, details=details())
    services.listing_submit(actor=editor, service=service)
    services.listing_approve(actor=coordinator, service=service)
    services.listing_save(actor=editor, service=service, details=details(name="New name"))
    services.listing_return(actor=coordinator, service=service, note="No")
    steps = list(
        AuditEvent.objects.filter(object_type="directory_service", object_id=str(service.id))
        .order_by("id")
        .values_list("details__step", flat=True)
    )
    assert steps == ["created", "submitted", "published", "change proposed", "returned"]


def test_an_editor_of_two_organisations_keeps_both(provider):
    second = OrganizationFactory()
    user = make_editor(provider)
    DirectoryEditor.objects.create(user=user, organization=second)
    services.listing_create(actor=user, organization=second, details=details())
    assert second.services.count() == 1


def test_changing_a_venue_other_services_share_moves_only_this_listing(coordinator, provider):
    load_synthetic_postcodes()
    first = services.listing_create(actor=coordinator, organization=provider, details=details())
    shared = first.service_at_locations.get().location
    second = ServiceFactory(organization=provider)
    ServiceAtLocation.objects.create(service=second, location=shared)
    services.listing_save(
        actor=coordinator, service=first, details=details(venue_name="Northgate Library", address_1="2 Park Road")
    )
    shared.refresh_from_db()
    assert shared.name == "Northgate Family Hub"
    assert second.service_at_locations.get().location == shared
    moved = first.service_at_locations.get().location
    assert moved != shared and moved.name == "Northgate Library"
    assert moved.addresses.get().address_1 == "2 Park Road" and moved.latitude is not None
