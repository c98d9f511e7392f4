"""Reads other parts of the system use: referral choices for a family's plan, and the coverage report."""

import pytest

from earlyhelp.accounts.models import Locality
from earlyhelp.directory.models import LocalityPostcodes, ServiceStatus
from earlyhelp.directory.needs import need_term_id
from earlyhelp.directory.selectors import coverage, service_choices_for_referral

from .factories import OrganizationFactory, ServiceFactory, add_area, add_need, add_venue

pytestmark = pytest.mark.django_db


def test_referral_choices_are_the_published_running_services():
    provider = OrganizationFactory(name="Families Together")
    running = ServiceFactory(organization=provider, name="Family Mentoring")
    closed_for_now = ServiceFactory(organization=provider, name="Baby Massage", status=ServiceStatus.TEMPORARILY_CLOSED)
    ServiceFactory(organization=provider, name="Old Group", status=ServiceStatus.DEFUNCT)
    ServiceFactory(organization=provider, name="Draft", draft=True)
    choices = service_choices_for_referral()
    assert [(choice.id, choice.label) for choice in choices] == [
        (closed_for_now.id, "Baby Massage – Families Together"),
        (running.id, "Family Mentoring – Families Together"),
    ]


def test_coverage_counts_services_by_area_or_else_by_venue_and_marks_gaps():
    north = Locality.objects.create(name="North")
    south = Locality.objects.create(name="South")
    LocalityPostcodes.objects.create(locality=north, postcode_districts="L33")
    LocalityPostcodes.objects.create(locality=south, postcode_districts="L36")
    by_area = ServiceFactory()
    add_need(by_area, "housing")
    add_area(by_area, "L33", "L36")
    by_venue = ServiceFactory()
    add_need(by_venue, "housing")
    add_venue(by_venue, postcode="L36 9XY", latitude="53.41", longitude="-2.83")
    nowhere = ServiceFactory()
    add_need(nowhere, "housing")
    draft = ServiceFactory(draft=True)
    add_need(draft, "housing")
    add_area(draft, "L33")
    report = coverage()
    housing = next(row for row in report.rows if row.need.id == need_term_id("housing"))
    assert [(cell.count, cell.level) for cell in housing.cells] == [(1, "few"), (2, "few")]
    parenting = next(row for row in report.rows if row.need.id == need_term_id("parenting"))
    assert {cell.level for cell in parenting.cells} == {"none"}
    assert report.unplaced == 1
