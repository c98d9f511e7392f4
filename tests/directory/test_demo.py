"""The demo data publishes a realistic directory for the demo borough, and building it is safe to repeat."""

import pytest

from earlyhelp.demo.directory import DEMO_EDITOR, build_directory
from earlyhelp.directory.models import DirectoryEditor, ReviewStatus, Service, ServiceChange
from earlyhelp.directory.needs import NEEDS
from earlyhelp.directory.oruk import directory_document
from earlyhelp.directory.selectors import coverage, need_terms, stale_listings
from earlyhelp.directory.standard import errors_of, service_validator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_directory_covers_every_need_in_every_locality_and_validates(demo_directory):
    assert demo_directory.published > 50
    report = coverage()
    assert [row.need.name for row in report.rows] == [term.name for term in need_terms()]
    assert len(report.rows) == len(NEEDS)
    assert all(cell.count > 0 for row in report.rows for cell in row.cells)
    for service in directory_document()["services"]:
        assert errors_of(service_validator(), service) == []


def test_building_again_adds_nothing_and_a_larger_size_tops_it_up(demo_directory):
    before = Service.objects.count()
    build_directory(seed=7, services=60)
    assert Service.objects.count() == before
    build_directory(seed=7, services=90)
    assert Service.objects.count() == 90


def test_the_demo_has_work_for_editors_and_reviewers(db):
    UserFactory(role="coordinator")
    build_directory(seed=7, services=60)
    editor = DirectoryEditor.objects.get(user__username=DEMO_EDITOR)
    theirs = Service.objects.filter(organization=editor.organization)
    states = set(theirs.values_list("review_status", flat=True))
    assert states == {ReviewStatus.PUBLISHED, ReviewStatus.PENDING, ReviewStatus.RETURNED, ReviewStatus.DRAFT}
    assert ServiceChange.objects.filter(service__in=theirs, status="pending").exists()
    assert stale_listings(editor.user).exists()
