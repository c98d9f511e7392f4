"""Importing a directory from another council's or provider's ORUK feed: idempotent by ids, a clear
report of rejected records, and nothing half-loaded."""

import copy
import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.audit.models import AuditEvent
from earlyhelp.directory import importer
from earlyhelp.directory.importer import ImportRefusedError, directory_import
from earlyhelp.directory.models import (
    Contact,
    Location,
    Organization,
    Phone,
    ReviewStatus,
    Schedule,
    Service,
    TaxonomyTerm,
)
from earlyhelp.directory.needs import need_term_id

pytestmark = pytest.mark.django_db


def _id() -> str:
    return str(uuid.uuid4())


def feed_service(**changes) -> dict:
    """A complete service as another council's feed would send it."""
    organization_id = changes.pop("organization_id", _id())
    service = {
        "id": _id(),
        "name": "Dads' Group",
        "description": "A Saturday group for dads and their children.",
        "status": "active",
        "minimum_age": 0,
        "maximum_age": 11,
        "last_modified": "2025-03-01T10:00:00.000Z",
        "organization": {"id": organization_id, "name": "Neighbouring Council", "description": "A neighbour"},
        "schedules": [
            {"id": _id(), "freq": "WEEKLY", "interval": 1, "byday": "SA", "opens_at": "10:00", "closes_at": "12:00"}
        ],
        "service_areas": [{"id": _id(), "name": "North", "extent": "L33 L34", "extent_type": "text"}],
        "service_at_locations": [
            {
                "id": _id(),
                "location": {
                    "id": _id(),
                    "location_type": "physical",
                    "name": "Town Hall",
                    "latitude": 53.4,
                    "longitude": -2.9,
                    "addresses": [
                        {
                            "id": _id(),
                            "address_1": "1 Main Street",
                            "city": "Town",
                            "state_province": "Merseyside",
                            "postal_code": "L33 1AA",
                            "country": "GB",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
        "contacts": [{"id": _id(), "name": "Sam", "phones": [{"id": _id(), "number": "0151 111 2222"}]}],
        "cost_options": [{"id": _id(), "amount": 0}],
        "languages": [{"id": _id(), "name": "Welsh", "code": "cy"}],
        "funding": [{"id": _id(), "source": "Council"}],
        "attributes": [
            {
                "id": _id(),
                "taxonomy_term": {
                    "id": str(need_term_id("parenting")),
                    "name": "Parenting",
                    "description": "Support with being a parent: routines, behaviour, and confidence.",
                },
            }
        ],
    }
    service.update(changes)
    return service


def test_a_feed_loads_whole_and_published(db):
    service = feed_service()
    report = directory_import(document=[service])
    assert (report.created, report.updated, report.rejected) == (1, 0, [])
    loaded = Service.objects.get(id=service["id"])
    assert loaded.review_status == ReviewStatus.PUBLISHED
    assert loaded.organization.name == "Neighbouring Council"
    assert loaded.service_areas.get().postcode_districts == " L33 L34 "
    assert Phone.objects.get(contact__service=loaded).number == "0151 111 2222"
    assert "dads" in loaded.search_text


def test_new_services_can_wait_for_review(db):
    service = feed_service()
    directory_import(document={"services": [service]}, review_status=ReviewStatus.PENDING)
    assert Service.objects.get(id=service["id"]).review_status == ReviewStatus.PENDING


def test_importing_again_updates_by_id_and_drops_nested_records_the_feed_no_longer_has(db):
    service = feed_service()
    directory_import(document=[service])
    changed = copy.deepcopy(service)
    changed["name"] = "Dads and Lads"
    changed["schedules"] = []
    changed["contacts"][0]["phones"] = []
    report = directory_import(document=[changed])
    assert (report.created, report.updated) == (0, 1)
    loaded = Service.objects.get(id=service["id"])
    assert loaded.name == "Dads and Lads"
    assert not Schedule.objects.filter(service=loaded).exists()
    assert not Phone.objects.filter(contact__service=loaded).exists()
    assert Service.objects.count() == 1 and Location.objects.count() == 1


def test_rejected_services_are_reported_with_every_reason_and_none_of_them_loads(db):
    good = feed_service()
    shared_phone = good["contacts"][0]["phones"][0]["id"]
    bad = [
        {key: value for key, value in feed_service().items() if key != "name"},
        feed_service(id="not-a-uuid"),
        feed_service(minimum_age=12, maximum_age=5),
        feed_service(name="x" * 300),
        feed_service(status="open"),
        feed_service(attributes=[{"id": _id(), "taxonomy_term_id": _id()}]),
        feed_service(contacts=[{"id": _id(), "phones": [{"id": _id()}]}]),
        feed_service(contacts=[{"id": _id(), "phones": [{"id": shared_phone, "number": "1"}]}]),
        feed_service(schedules=[{"id": _id(), "byday": "MONDAYS", "opens_at": "9am"}]),
        feed_service(last_modified="yesterday"),
        good | {"name": "Same id again"},
    ]
    report = directory_import(document={"services": [good, *bad]})
    assert report.created == 1
    assert [rejection.position for rejection in report.rejected] == list(range(2, 13))
    reasons = {rejection.position: " ".join(rejection.reasons) for rejection in report.rejected}
    assert "'name'" in reasons[2]
    assert "uuid" in reasons[3]
    assert "youngest age" in reasons[4]
    assert "longer than 250" in reasons[5]
    assert "'open' is not one of" in reasons[6]
    assert "neither nested nor already loaded" in reasons[7]
    assert "'number' is a required property" in reasons[8]
    assert "also belongs to service" in reasons[9]
    assert "BYDAY" in reasons[10] and "'9am' cannot be read" in reasons[10]
    assert "date-time" in reasons[11]
    assert "more than once" in reasons[12]
    # Nothing of a rejected service is loaded: only the good one's organisation and place exist.
    assert Service.objects.count() == 1
    assert Organization.objects.count() == 1
    assert Location.objects.count() == 1
    text = "\n".join(report.lines())
    assert "Rejected 11 services" in text and "#4" in text


def test_all_or_nothing_loads_nothing_when_anything_is_rejected(db):
    report = directory_import(document=[feed_service(), feed_service(status="open")], all_or_nothing=True)
    assert report.loaded is False
    assert not Service.objects.exists() and not Organization.objects.exists()
    assert "Nothing was loaded" in report.lines()[0]


def test_a_failure_part_way_leaves_nothing_behind(db, monkeypatch):
    real = importer._Loader.service
    calls = []

    def failing(self, data, **kwargs):
        calls.append(data["id"])
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(self, data, **kwargs)

    monkeypatch.setattr(importer._Loader, "service", failing)
    with pytest.raises(RuntimeError):
        directory_import(document=[feed_service(), feed_service()])
    assert not Service.objects.exists() and not Organization.objects.exists() and not Contact.objects.exists()
    assert not AuditEvent.objects.filter(object_type="directory_import").exists()


def test_a_document_that_is_not_a_directory_is_refused(db):
    with pytest.raises(ImportRefusedError):
        directory_import(document={"hello": "world"})
    with pytest.raises(ImportRefusedError):
        directory_import(document={"services": [], "taxonomies": [{"id": "x"}]})


def test_a_term_of_an_unknown_taxonomy_loads_with_a_warning(db):
    term = {"id": _id(), "name": "Food", "description": "", "taxonomy_id": _id(), "taxonomy": "esd service list"}
    report = directory_import(document=[feed_service(attributes=[{"id": _id(), "taxonomy_term": term}])])
    assert report.rejected == []
    assert any("does not include" in warning for warning in report.warnings)
    loaded = TaxonomyTerm.objects.get(id=term["id"])
    assert loaded.taxonomy_id is None and loaded.taxonomy_name == "esd service list"


def test_the_import_is_audited(db):
    directory_import(document=[feed_service()], source="neighbour.json")
    event = AuditEvent.objects.get(object_type="directory_import")
    assert event.details["created"] == 1 and event.details["source"] == "neighbour.json"


def test_the_command_prints_the_report_and_fails_when_anything_was_rejected(db, tmp_path, capsys):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps([feed_service(), feed_service(status="open")]), encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("oruk_import", str(path))
    assert failure.value.returncode == 1
    out = capsys.readouterr().out
    assert "Loaded 1 services" in out and "Rejected 1 services" in out
    assert Service.objects.count() == 1
