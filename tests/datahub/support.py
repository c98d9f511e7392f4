"""A registered school attendance dataset and its files, good and bad, for the data hub's tests."""

import csv
import io
import random
from collections.abc import Sequence
from typing import Any

import factory
import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from earlyhelp.accounts.models import Role
from earlyhelp.datahub.models import Dataset, LawfulBasis
from earlyhelp.demo.identifiers import synthetic_upn
from earlyhelp.imports.reading import Upload
from tests.factories import AgencyFactory, UserFactory

HEADER = [
    "record_id",
    "upn",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "school_urn",
    "academic_year",
    "term",
    "sessions_possible",
    "sessions_missed",
    "suspensions",
    "permanent_exclusion",
    "permanent_exclusion_date",
]
# Values that must never appear in a report, a log or an audit event.
GIVEN_NAME = "Amara"
FAMILY_NAME = "Okafor-Testington"


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    name = factory.Sequence(lambda n: f"Schools' attendance {n}")
    layout = "school_attendance"
    source_agency = factory.SubFactory(AgencyFactory)
    sharing_agreement = "DSA-2026-014"
    lawful_basis = LawfulBasis.PUBLIC_TASK
    retention_months = 24
    created_by = factory.SubFactory(UserFactory, role=Role.ADMIN)


def good_row(number: int, **changes: Any) -> dict[str, Any]:
    rng = random.Random(number)
    row = {
        "record_id": f"P{number:05d}",
        "upn": synthetic_upn(rng),
        "given_name": GIVEN_NAME,
        "family_name": FAMILY_NAME,
        "date_of_birth": "14/02/2015",
        "sex": "female",
        "postcode": "ls6 2ab",
        "school_urn": "107654",
        "academic_year": "2025/26",
        "term": "Autumn",
        "sessions_possible": "140",
        "sessions_missed": str(number % 30),
        "suspensions": "0",
        "permanent_exclusion": "no",
        "permanent_exclusion_date": "",
    }
    row.update(changes)
    return row


def good_rows(count: int = 3, start: int = 1) -> list[dict[str, Any]]:
    return [good_row(number) for number in range(start, start + count)]


def csv_bytes(rows: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[row.get(column, "") for column in header] for row in rows])
    return out.getvalue().encode("utf-8")


def csv_upload(
    rows: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER, name: str = "attendance.csv"
) -> Upload:
    return Upload(name=name, content=csv_bytes(rows, header=header))


def xlsx_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_upload(rows: Sequence[dict[str, Any]], *, name: str = "attendance.xlsx") -> Upload:
    return Upload(name=name, content=xlsx_bytes(workbook(rows)))


def workbook(rows: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) or None for column in header])
    return book


def post_file(client, dataset: Dataset, content: bytes, *, name: str = "week.csv"):
    """Send a file through the upload page as a member of the Early Help Team, following to its page."""
    client.force_login(UserFactory(role=Role.COORDINATOR))
    return client.post(
        reverse("datahub:upload", args=[dataset.pk]), {"file": SimpleUploadedFile(name, content)}, follow=True
    )
