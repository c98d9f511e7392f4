"""A caller adds its own rules for a column as callables, and they refuse values like the layout's own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from earlyhelp.imports import messages
from earlyhelp.imports.layouts import Check
from earlyhelp.imports.services import load
from earlyhelp.imports.validation import validate
from tests.factories import UserFactory

from .support import attendance_layout, counts, csv_upload, good_row, store_localities

KNOWN_WEEK = Check(
    rule="week_in_term",
    message="The week must end on a Friday in term",
    passes=lambda day: day.weekday() == 4,
)


def test_a_caller_s_check_receives_the_typed_value_and_refuses_with_its_own_rule():
    seen = []
    check = Check(rule="seen", message="never refused", passes=lambda value: seen.append(value) or True)
    rows = [good_row(1, week_ending="28/03/2025"), good_row(2, week_ending="2025-03-29")]

    report = validate(attendance_layout(), csv_upload(rows), checks={"week_ending": [check, KNOWN_WEEK]})

    assert [(p.row, p.column, p.rule, p.message) for p in report.problems] == [
        (3, "week_ending", "week_in_term", KNOWN_WEEK.message)
    ]
    assert [day.isoformat() for day in seen] == ["2025-03-28", "2025-03-29"]


def test_a_caller_s_check_is_not_asked_about_a_blank_value():
    report = validate(
        attendance_layout(),
        csv_upload([good_row(1, phase="")]),
        checks={"phase": [Check(rule="x", message="x", passes=lambda value: False)]},
    )

    assert report.ok


def test_checks_for_a_column_the_layout_does_not_have_are_a_mistake_in_the_code():
    with pytest.raises(ValueError, match="does not declare") as refused:
        validate(attendance_layout(), csv_upload([good_row(1)]), checks={"school": [KNOWN_WEEK]})

    assert str(refused.value) == messages.CHECK_COLUMN_UNKNOWN.format(columns="school", layout="school_attendance")


@pytest.mark.django_db
def test_a_file_refused_by_a_caller_s_check_stores_nothing():
    before = counts()

    outcome = load(
        actor=UserFactory(),
        layout=attendance_layout(),
        source=csv_upload([good_row(1, week_ending="2025-03-29")]),
        store=store_localities,
        checks={"week_ending": [KNOWN_WEEK]},
    )

    assert not outcome.loaded
    assert outcome.message == KNOWN_WEEK.message
    assert counts() == before


@pytest.mark.django_db
def test_a_django_upload_loads_as_it_arrives_from_a_form():
    upload = SimpleUploadedFile("attendance.csv", csv_upload([good_row(1, week_ending="2025-03-28")]).content)

    outcome = load(actor=UserFactory(), layout=attendance_layout(), source=upload, store=store_localities)

    assert outcome.loaded
    assert outcome.message == messages.LOADED.format(rows="1 row", name="attendance.csv")
