"""A good file becomes one partner record per row, ready for linkage; the same file twice changes
nothing; a large file is loaded by the background job, whose progress the page shows."""

import pytest
from django.urls import reverse
from django_tasks.signals import task_enqueued

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub.models import DatasetUpload, LinkStatus, PartnerRecord, UploadStatus
from earlyhelp.datahub.services import dataset_upload_load, dataset_upload_receive
from earlyhelp.imports import messages
from earlyhelp.imports.models import ImportedFile
from earlyhelp.imports.reading import Upload
from tests.factories import UserFactory

from .support import (
    FAMILY_NAME,
    GIVEN_NAME,
    DatasetFactory,
    csv_bytes,
    csv_upload,
    good_row,
    good_rows,
    post_file,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


def _receive(upload: Upload, dataset=None, **options) -> DatasetUpload:
    return dataset_upload_receive(
        actor=UserFactory(role=Role.COORDINATOR), dataset=dataset or DatasetFactory(), file=upload, **options
    )


def test_each_row_of_a_good_file_is_stored_with_who_it_is_about_apart_from_what_it_says():
    row = good_row(7, permanent_exclusion="yes", permanent_exclusion_date="03/11/2025")
    received = _receive(csv_upload([good_row(6), row]))
    assert received.status == UploadStatus.LOADED
    assert received.stored_count == 2
    assert received.content is None
    record = PartnerRecord.objects.get(source_id="P00007")
    assert record.dataset == received.dataset
    assert record.upload == received
    assert record.row_number == 3
    # No one is on the register, so no one can be matched.
    assert record.link_status == LinkStatus.PARTNERS_ONLY
    assert record.identifying == {
        "upn": row["upn"],
        "given_name": GIVEN_NAME,
        "family_name": FAMILY_NAME,
        "date_of_birth": "2015-02-14",
        "sex": "female",
        "postcode": "LS6 2AB",
    }
    assert record.facts == {
        "school_urn": "107654",
        "academic_year": "2025/26",
        "term": "autumn",
        "sessions_possible": 140,
        "sessions_missed": 7,
        "suspensions": 0,
        "permanent_exclusion": True,
        "permanent_exclusion_date": "2025-11-03",
    }


def test_a_workbook_loads_like_a_csv_file():
    received = _receive(xlsx_upload(good_rows(4)))
    assert received.status == UploadStatus.LOADED
    assert PartnerRecord.objects.count() == 4


def test_the_same_file_twice_is_recognised_and_changes_nothing():
    dataset = DatasetFactory()
    first = _receive(csv_upload(good_rows(3)), dataset)
    records = list(PartnerRecord.objects.values_list("pk", "source_id", "facts"))
    second = _receive(csv_upload(good_rows(3), name="renamed.csv"), dataset)
    assert second.status == UploadStatus.ALREADY_LOADED
    assert second.message.startswith("This file was already loaded on ")
    assert second.message.endswith("; nothing was changed")
    assert second.stored_count == 0
    assert list(PartnerRecord.objects.values_list("pk", "source_id", "facts")) == records
    assert ImportedFile.objects.count() == 1
    assert first.imported_file == ImportedFile.objects.get()


def test_rows_the_dataset_already_holds_are_counted_and_not_stored_again():
    dataset = DatasetFactory()
    _receive(csv_upload(good_rows(3)), dataset)
    received = _receive(csv_upload(good_rows(3, start=2)), dataset)
    assert received.status == UploadStatus.LOADED
    assert (received.stored_count, received.present_count) == (1, 2)
    assert sorted(PartnerRecord.objects.values_list("source_id", flat=True)) == ["P00001", "P00002", "P00003", "P00004"]


def test_no_name_or_identifier_is_written_to_the_audit_trail():
    received = _receive(csv_upload(good_rows(2)))
    details = str(list(AuditEvent.objects.values_list("details", flat=True)))
    for value in (GIVEN_NAME, FAMILY_NAME, PartnerRecord.objects.first().identifying["upn"], "LS6"):
        assert value not in details
    assert AuditEvent.objects.filter(object_type="datasetupload", object_id=str(received.pk)).exists()


def test_a_large_file_is_loaded_by_the_background_job_which_records_its_progress(settings):
    settings.DATAHUB_BACKGROUND_FROM_BYTES = 100
    seen: list[tuple[str, int, int]] = []
    jobs: list[str] = []

    def enqueued(sender, task_result, **kwargs):
        jobs.append(task_result.task.name)

    task_enqueued.connect(enqueued)
    try:
        received = _receive(csv_upload(good_rows(600)))
    finally:
        task_enqueued.disconnect(enqueued)
    assert jobs == ["load_dataset_upload"]
    assert received.status == UploadStatus.LOADED
    assert received.stored_count == 600
    # The last stage: matching the stored records to the register.
    assert (received.stage, received.done, received.total) == ("matching", 600, 600)
    dataset_upload_receive(
        actor=received.uploaded_by,
        dataset=received.dataset,
        file=csv_upload(good_rows(2, start=601)),
        background=False,
        progress=lambda **step: seen.append((step["stage"], step["done"], step["total"])),
    )
    assert seen == [("checking", 2, 2), ("storing", 0, 2), ("storing", 2, 2), ("matching", 0, 2), ("matching", 2, 2)]


def test_a_file_waiting_for_the_worker_is_queued_and_its_page_offers_to_check_progress(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.DATAHUB_BACKGROUND_FROM_BYTES = 100
    response = post_file(client, DatasetFactory(), csv_bytes(good_rows(3)))
    received = DatasetUpload.objects.get()
    assert received.status == UploadStatus.QUEUED
    assert PartnerRecord.objects.count() == 0
    page = response.content.decode()
    assert "Waiting to be checked" in page
    assert "Check progress" in page
    assert 'hx-trigger="every 2s"' in page
    fragment = client.get(reverse("datahub:upload-status", args=[received.pk]), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="upload-progress"')
    loaded = dataset_upload_load(upload=received)
    assert loaded.status == UploadStatus.LOADED
    finished = client.get(reverse("datahub:upload-status", args=[received.pk])).content.decode()
    assert "3 records stored" in finished
    assert "hx-trigger" not in finished


def test_a_fault_while_loading_stores_nothing_and_marks_the_upload_failed(monkeypatch, settings):
    settings.DATAHUB_BACKGROUND_FROM_BYTES = 100

    def broken(**options):
        raise RuntimeError("disk full")

    monkeypatch.setattr("earlyhelp.datahub.services._record", lambda *args: broken())
    received = _receive(csv_upload(good_rows(3)))
    received.refresh_from_db()
    assert received.status == UploadStatus.FAILED
    assert PartnerRecord.objects.count() == 0
    assert ImportedFile.objects.count() == 0
    assert received.content is None


def test_a_good_file_on_the_page_says_how_many_records_were_stored(client):
    dataset = DatasetFactory()
    response = post_file(client, dataset, csv_bytes(good_rows(5)))
    page = response.content.decode()
    assert "File loaded" in page
    assert "5 records stored" in page
    assert messages.LOADED.format(rows="5 rows", name="week.csv") in page
    assert PartnerRecord.objects.filter(dataset=dataset).count() == 5
