"""Export the demo directory as ORUK JSON, import it into an empty database, export again: identical."""

import json

import pytest
from django.core.management import call_command

from earlyhelp.directory.importer import directory_import, read_feed
from earlyhelp.directory.models import (
    Location,
    Organization,
    PostcodeCentroid,
    Service,
    Taxonomy,
    TaxonomyTerm,
)
from earlyhelp.directory.oruk import directory_document
from earlyhelp.directory.standard import errors_of, service_validator, taxonomy_validator

pytestmark = pytest.mark.django_db


def empty_the_directory() -> None:
    """Every directory record gone, the shipped taxonomy too: an empty database as far as the directory goes."""
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organization.objects.all().delete()
    TaxonomyTerm.objects.all().delete()
    Taxonomy.objects.all().delete()
    PostcodeCentroid.objects.all().delete()


def _exported(tmp_path, name: str) -> str:
    path = tmp_path / name
    call_command("oruk_export", output=str(path))
    return path.read_text(encoding="utf-8")


def test_export_import_export_is_identical(demo_directory, tmp_path):
    first = _exported(tmp_path, "first.json")
    document = json.loads(first)
    assert len(document["services"]) == Service.objects.filter(review_status="published").count() > 50
    for service in document["services"]:
        assert errors_of(service_validator(), service) == []
    for taxonomy in document["taxonomies"]:
        assert errors_of(taxonomy_validator(), taxonomy) == []

    empty_the_directory()
    assert not Service.objects.exists() and not TaxonomyTerm.objects.exists()
    report = directory_import(document=document)
    assert report.rejected == []
    assert report.warnings == []
    assert report.created == len(document["services"])

    second = _exported(tmp_path, "second.json")
    assert second == first


def test_importing_the_same_export_twice_changes_nothing(demo_directory):
    document = directory_document()
    report = directory_import(document=document)
    assert (report.created, report.updated, report.rejected) == (0, len(document["services"]), [])
    assert directory_document() == document


def test_a_live_feed_read_page_by_page_from_the_api_imports_to_the_same_directory(demo_directory, client):
    """Another council's ORUK API as the source: here our own, read through the test client."""
    before = directory_document()
    feed = read_feed(
        "http://testserver/oruk/", lambda url: client.get(url.removeprefix("http://testserver")).json(), per_page=9
    )
    empty_the_directory()
    report = directory_import(document=feed)
    assert report.rejected == []
    after = directory_document()
    assert after["services"] == before["services"]
    assert {item["id"] for item in after["taxonomies"]} == {item["id"] for item in before["taxonomies"]}
