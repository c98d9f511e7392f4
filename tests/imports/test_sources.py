"""Rows carrying the sending system's id split into new and already present, so importing twice adds nothing."""

import pytest

from earlyhelp.accounts.models import Locality
from earlyhelp.imports.sources import split_by_source_id
from earlyhelp.imports.validation import Row, validate

from .support import attendance_layout, csv_upload, good_row


def rows_with(*ids: str) -> list[Row]:
    return [Row(number=n, values={"record_id": source_id}) for n, source_id in enumerate(ids, start=2)]


def test_rows_split_by_whether_their_source_id_is_already_present():
    asked = []

    def present(ids):
        asked.append(ids)
        return {"R2", "R9"}

    split = split_by_source_id(rows_with("R1", "R2", "R3"), column="record_id", present_ids=present)

    assert [row.values["record_id"] for row in split.new] == ["R1", "R3"]
    assert [row.values["record_id"] for row in split.present] == ["R2"]
    assert asked == [{"R1", "R2", "R3"}]


@pytest.mark.django_db
def test_rows_stored_by_source_id_twice_are_stored_once():
    layout = attendance_layout()

    def store_new(rows):
        split = split_by_source_id(
            rows,
            column=layout.source_id,
            present_ids=lambda ids: Locality.objects.filter(name__in=ids).values_list("name", flat=True),
        )
        Locality.objects.bulk_create(Locality(name=row.values["record_id"]) for row in split.new)

    first = validate(layout, csv_upload([good_row(1), good_row(2)]))
    second = validate(layout, csv_upload([good_row(2), good_row(3)]))
    store_new(first.rows)
    store_new(second.rows)

    assert sorted(Locality.objects.filter(name__startswith="R0").values_list("name", flat=True)) == [
        "R00001",
        "R00002",
        "R00003",
    ]
