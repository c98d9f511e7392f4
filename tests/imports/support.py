"""A sample layout, files built from rows, and a store that writes one locality per row so that a
test can see whether anything was stored."""

import csv
import io
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from earlyhelp.accounts.models import Locality
from earlyhelp.audit.models import AuditEvent
from earlyhelp.demo.identifiers import synthetic_nhs_number, synthetic_upn
from earlyhelp.imports.layouts import Layout, layout_from_json
from earlyhelp.imports.models import ImportedFile
from earlyhelp.imports.reading import Upload
from earlyhelp.imports.validation import Row

LAYOUT_PATH = Path(__file__).parent / "layouts" / "school_attendance.json"
HEADER = [
    "record_id",
    "upn",
    "nhs_number",
    "postcode",
    "surname",
    "sessions_missed",
    "attendance_rate",
    "week_ending",
    "persistent_absence",
    "phase",
]


def attendance_layout() -> Layout:
    return layout_from_json(LAYOUT_PATH.read_text(encoding="utf-8"))


def good_row(number: int, **changes: Any) -> dict[str, Any]:
    # Seeded by the row's number, so the same rows make the same file.
    rng = random.Random(number)
    row = {
        "record_id": f"R{number:05d}",
        "upn": synthetic_upn(rng),
        "nhs_number": synthetic_nhs_number(rng),
        "postcode": "sw1a 1aa",
        "surname": "Okafor",
        "sessions_missed": "-2" if number % 2 else "4",
        "attendance_rate": "92.5",
        "week_ending": "31/03/2025",
        "persistent_absence": "no",
        "phase": "Primary",
    }
    row.update(changes)
    return row


def good_rows(count: int = 3) -> list[dict[str, Any]]:
    return [good_row(number) for number in range(1, count + 1)]


def csv_upload(
    rows: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER, name: str = "attendance.csv"
) -> Upload:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[row.get(column, "") for column in header] for row in rows])
    return Upload(name=name, content=out.getvalue().encode("utf-8"))


def workbook(rows: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(column) for column in header])
    return book


def xlsx_upload(book: openpyxl.Workbook, *, name: str = "attendance.xlsx") -> Upload:
    out = io.BytesIO()
    book.save(out)
    return Upload(name=name, content=out.getvalue())


def store_localities(rows: list[Row]) -> None:
    for row in rows:
        Locality.objects.create(name=row.values["record_id"])


def counts() -> tuple[int, int, int]:
    """What a refused import must leave as it was: files recorded, rows stored, audit events."""
    return ImportedFile.objects.count(), Locality.objects.count(), AuditEvent.objects.count()
