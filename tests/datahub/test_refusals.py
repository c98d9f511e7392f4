"""Each kind of malformed file is refused whole with its own message, through the service and the
page alike: no partner record is stored, and a report of the problems, free of personal values, is
offered to download."""

import csv
import io

import pytest
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.audit.models import AuditEvent
from earlyhelp.datahub import messages as datahub_messages
from earlyhelp.datahub.models import DatasetUpload, PartnerRecord, UploadStatus
from earlyhelp.datahub.services import dataset_upload_receive
from earlyhelp.imports import messages
from earlyhelp.imports.reading import Upload
from tests.factories import UserFactory

from .support import (
    FAMILY_NAME,
    GIVEN_NAME,
    HEADER,
    DatasetFactory,
    csv_bytes,
    good_row,
    good_rows,
    post_file,
    workbook,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

LATIN_1 = csv_bytes(good_rows(2)).replace(GIVEN_NAME.encode(), "Zoë".encode("latin-1"), 1)


def _several_sheets() -> bytes:
    book = workbook(good_rows(2))
    book.create_sheet("Notes")
    return xlsx_bytes(book)


def _merged_header() -> bytes:
    book = workbook(good_rows(2))
    book.active.merge_cells("B1:C1")
    return xlsx_bytes(book)


# Each malformed kind: the file's name and content, and the one message it is refused with.
MALFORMED = {
    "missing column": (
        "attendance.csv",
        csv_bytes(good_rows(2), header=[column for column in HEADER if column != "term"]),
        messages.HEADER_MISSING.format(columns="term"),
    ),
    "wrong column": (
        "attendance.csv",
        csv_bytes(good_rows(2), header=[*HEADER, "favourite_colour"]),
        messages.HEADER_UNEXPECTED.format(layout="school_attendance", columns="favourite_colour"),
    ),
    "bad date": (
        "attendance.csv",
        csv_bytes([good_row(1), good_row(2, date_of_birth="31/02/2015")]),
        messages.VALUE_NOT_DATE.format(example="2025-03-31 or 31/03/2025"),
    ),
    "formula in a cell": (
        "attendance.csv",
        csv_bytes([good_row(1, sessions_missed="=SUM(A1:A9)"), good_row(2)]),
        messages.VALUE_FORMULA,
    ),
    "negative count": (
        "attendance.csv",
        csv_bytes([good_row(1), good_row(2, suspensions="-1")]),
        datahub_messages.VALUE_NEGATIVE,
    ),
    "0-byte file": ("attendance.csv", b"", messages.FILE_EMPTY),
    "oversized file": (
        "attendance.csv",
        csv_bytes(good_rows(5)),
        messages.FILE_TOO_LARGE.format(limit="300 bytes"),
    ),
    "wrong encoding": (
        "attendance.csv",
        LATIN_1,
        messages.FILE_NOT_UTF8.format(position=LATIN_1.index(b"Zo\xeb") + 2),
    ),
    "several sheets": ("attendance.xlsx", _several_sheets(), messages.FILE_SEVERAL_SHEETS.format(count=2)),
    "merged header cells": ("attendance.xlsx", _merged_header(), messages.FILE_MERGED_HEADER.format(ranges="B1:C1")),
}


def _limit_for(kind: str) -> int:
    return 300 if kind == "oversized file" else 20_000_000


def _assert_refused(received: DatasetUpload, message: str) -> None:
    assert received.status == UploadStatus.REFUSED
    assert PartnerRecord.objects.count() == 0
    assert received.content is None
    report = list(csv.DictReader(io.StringIO(received.report_csv)))
    assert message in [problem["message"] for problem in report]
    assert message == received.message or len(report) > 1
    for text in (GIVEN_NAME, FAMILY_NAME, "Zo"):
        assert text not in received.report_csv
        assert text not in str(list(AuditEvent.objects.values_list("details", flat=True)))


@pytest.mark.parametrize("kind", MALFORMED)
def test_each_malformed_file_is_refused_by_the_service_with_its_message_and_nothing_stored(kind, settings):
    settings.IMPORTS_MAX_BYTES = _limit_for(kind)
    name, content, message = MALFORMED[kind]
    loader = UserFactory(role=Role.COORDINATOR)
    received = dataset_upload_receive(actor=loader, dataset=DatasetFactory(), file=Upload(name=name, content=content))
    _assert_refused(received, message)


@pytest.mark.parametrize("kind", MALFORMED)
def test_each_malformed_file_is_refused_on_the_page_with_its_message_and_a_report_to_download(kind, client, settings):
    settings.IMPORTS_MAX_BYTES = _limit_for(kind)
    name, content, message = MALFORMED[kind]
    response = post_file(client, DatasetFactory(), content, name=name)
    received = DatasetUpload.objects.get()
    _assert_refused(received, message)
    assert response.redirect_chain[-1][0] == reverse("datahub:upload-status", args=[received.pk])
    page = response.content.decode()
    assert "The file was refused: nothing was stored" in page
    assert message.replace("'", "&#x27;") in page
    report = client.get(reverse("datahub:upload-report", args=[received.pk]))
    assert report["Content-Disposition"] == f'attachment; filename="upload-{received.pk}-problems.csv"'
    assert next(csv.reader(io.StringIO(report.content.decode()))) == [
        "file",
        "row",
        "column",
        "value",
        "rule",
        "message",
    ]


def test_a_refused_row_is_reported_by_file_row_column_and_rule_without_the_identifying_value():
    content = csv_bytes([good_row(1), good_row(2, date_of_birth="2015-13-40", suspensions="-2")])
    received = dataset_upload_receive(
        actor=UserFactory(role=Role.COORDINATOR),
        dataset=DatasetFactory(),
        file=Upload(name="week.csv", content=content),
    )
    report = list(csv.DictReader(io.StringIO(received.report_csv)))
    assert [(p["file"], p["row"], p["column"], p["value"], p["rule"]) for p in report] == [
        ("week.csv", "3", "date_of_birth", "", "date"),
        ("week.csv", "3", "suspensions", "-2", "not_negative"),
    ]
    assert received.problem_count == 2
    assert received.message == messages.NOT_LOADED.format(name="week.csv", problems="2 problems")


def test_an_upload_page_without_a_file_asks_for_one_and_stores_nothing(client):
    dataset = DatasetFactory()
    client.force_login(UserFactory(role=Role.COORDINATOR))
    response = client.post(reverse("datahub:upload", args=[dataset.pk]), {})
    assert response.status_code == 200
    assert "Select a CSV file or an Excel workbook to upload" in response.content.decode()
    assert DatasetUpload.objects.count() == 0
