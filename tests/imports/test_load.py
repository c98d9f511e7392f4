"""A good file loads in full, in one transaction, recorded and audited; the same content again changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from earlyhelp.accounts.models import Locality
from earlyhelp.audit.models import AuditEvent
from earlyhelp.imports import messages, services
from earlyhelp.imports.models import ImportedFile, ImportStatus
from earlyhelp.imports.services import already_loaded_message, load
from tests.factories import UserFactory

from .support import attendance_layout, counts, csv_upload, good_row, good_rows, store_localities, workbook, xlsx_upload

pytestmark = pytest.mark.django_db


def test_a_good_csv_loads_every_row_typed_and_records_the_file():
    user = UserFactory()
    upload = csv_upload(good_rows(3))
    stored = []

    outcome = load(actor=user, layout=attendance_layout(), source=upload, store=stored.extend)

    assert outcome.loaded
    assert outcome.message == messages.LOADED.format(rows="3 rows", name="attendance.csv")
    assert [row.number for row in stored] == [2, 3, 4]
    first = stored[0].values
    assert first["sessions_missed"] == -2
    assert first["attendance_rate"] == Decimal("92.5")
    assert first["week_ending"] == date(2025, 3, 31)
    assert first["persistent_absence"] is False
    assert first["phase"] == "primary"
    assert first["postcode"] == "SW1A 1AA"
    imported = ImportedFile.objects.get()
    assert (imported.layout, imported.layout_version, imported.row_count) == ("school_attendance", 1, 3)
    assert (imported.sha256, imported.size, imported.loaded_by) == (upload.sha256, upload.size, user)
    assert imported.status == ImportStatus.LOADED


def test_a_csv_with_a_byte_order_mark_loads():
    upload = csv_upload(good_rows(2))
    upload = type(upload)(name=upload.name, content=b"\xef\xbb\xbf" + upload.content)

    outcome = load(actor=UserFactory(), layout=attendance_layout(), source=upload, store=store_localities)

    assert outcome.loaded
    assert Locality.objects.filter(name__startswith="R0000").count() == 2


def test_a_good_xlsx_loads_with_native_numbers_dates_and_booleans():
    rows = [
        good_row(1, sessions_missed=3, attendance_rate=88.25, week_ending=date(2025, 3, 31), persistent_absence=True),
        good_row(2, sessions_missed=-1.0, nhs_number=None, postcode=None, surname=None, phase=None),
    ]
    stored = []

    outcome = load(
        actor=UserFactory(), layout=attendance_layout(), source=xlsx_upload(workbook(rows)), store=stored.extend
    )

    assert outcome.loaded, outcome.report.problems
    assert [row.values["sessions_missed"] for row in stored] == [3, -1]
    assert stored[0].values["attendance_rate"] == Decimal("88.25")
    assert stored[0].values["week_ending"] == date(2025, 3, 31)
    assert stored[0].values["persistent_absence"] is True
    assert stored[1].values["phase"] is None


def test_a_file_already_loaded_is_recognised_and_changes_nothing():
    user = UserFactory()
    layout = attendance_layout()
    load(actor=user, layout=layout, source=csv_upload(good_rows(2)), store=store_localities)
    before = counts()

    again = load(actor=user, layout=layout, source=csv_upload(good_rows(2)), store=store_localities)

    assert again.already_loaded
    assert not again.loaded
    assert again.message == already_loaded_message(ImportedFile.objects.get())
    assert again.message.startswith("This file was already loaded on ")
    assert counts() == before


def test_the_same_content_under_another_file_name_is_still_recognised():
    user = UserFactory()
    layout = attendance_layout()
    rows = good_rows(2)
    load(actor=user, layout=layout, source=csv_upload(rows, name="week-13.csv"), store=store_localities)

    again = load(actor=user, layout=layout, source=csv_upload(rows, name="copy of week-13.csv"), store=store_localities)

    assert again.already_loaded


def test_loading_audits_counts_layout_and_hash_only():
    user = UserFactory()
    upload = csv_upload(good_rows(2))

    load(actor=user, layout=attendance_layout(), source=upload, store=store_localities)

    event = AuditEvent.objects.get(object_type="imported_file")
    assert event.actor == user
    assert event.object_id == str(ImportedFile.objects.get().pk)
    assert event.details == {
        "layout": "school_attendance",
        "version": 1,
        "sha256": upload.sha256,
        "size": upload.size,
        "rows": 2,
    }


def test_an_error_while_storing_rolls_back_every_row_and_records_nothing():
    before = counts()

    def store_then_fail(rows):
        store_localities(rows)
        raise RuntimeError("the store failed")

    with pytest.raises(RuntimeError):
        load(actor=UserFactory(), layout=attendance_layout(), source=csv_upload(good_rows(3)), store=store_then_fail)

    assert counts()[0:2] == before[0:2]


def test_a_file_loaded_meanwhile_by_someone_else_rolls_back_this_load_and_says_already_loaded(monkeypatch):
    user = UserFactory()
    layout = attendance_layout()
    upload = csv_upload(good_rows(2))
    ImportedFile.objects.create(
        layout=layout.name, layout_version=1, sha256=upload.sha256, size=upload.size, row_count=2, loaded_by=user
    )
    real_find = services.imported_file_find
    answers = iter([None])
    # The first look finds nothing, as it would just before another person's load commits.
    monkeypatch.setattr(services, "imported_file_find", lambda **kw: next(answers, None) or real_find(**kw))
    before = counts()

    outcome = load(actor=user, layout=layout, source=upload, store=store_localities)

    assert outcome.already_loaded
    assert counts() == before


def test_an_integrity_error_from_the_store_itself_is_not_mistaken_for_a_duplicate_file():
    def store_twice(rows):
        store_localities(rows)
        store_localities(rows)

    with pytest.raises(IntegrityError):
        load(actor=UserFactory(), layout=attendance_layout(), source=csv_upload(good_rows(1)), store=store_twice)


def test_a_refused_file_says_how_many_problems_and_loads_nothing():
    rows = [good_row(1, sessions_missed="lots"), good_row(2, week_ending="soon")]

    outcome = load(actor=UserFactory(), layout=attendance_layout(), source=csv_upload(rows), store=store_localities)

    assert not outcome.loaded
    assert outcome.message == messages.NOT_LOADED.format(name="attendance.csv", problems="2 problems")
    assert [p.message for p in outcome.report.problems] == [
        messages.VALUE_NOT_INTEGER,
        messages.VALUE_NOT_DATE.format(example="2025-03-31 or 31/03/2025"),
    ]
    assert outcome.report.rows == []
