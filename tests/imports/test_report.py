"""The error report: a CSV with fixed columns, rows counted as a person counts them, and no value from
an identifying column anywhere in it."""

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.imports import messages
from earlyhelp.imports.reading import Upload
from earlyhelp.imports.validation import REPORT_COLUMNS, validate

from .support import attendance_layout, csv_upload, good_row, good_rows, workbook, xlsx_upload


def report_rows(report) -> list[dict]:
    return list(csv.DictReader(io.StringIO(report.to_csv())))


def test_the_report_csv_has_file_row_column_value_rule_and_message():
    report = validate(attendance_layout(), csv_upload([good_row(1), good_row(2, sessions_missed="lots")]))

    text = report.to_csv()

    assert text.splitlines()[0] == "file,row,column,value,rule,message"
    assert report_rows(report) == [
        {
            "file": "attendance.csv",
            "row": "3",
            "column": "sessions_missed",
            "value": "lots",
            "rule": "integer",
            "message": messages.VALUE_NOT_INTEGER,
        }
    ]


def test_a_refusal_of_the_whole_file_has_no_row_or_column():
    report = validate(attendance_layout(), Upload(name="attendance.csv", content=b""))

    assert report_rows(report) == [
        {
            "file": "attendance.csv",
            "row": "",
            "column": "",
            "value": "",
            "rule": "empty_file",
            "message": messages.FILE_EMPTY,
        }
    ]


def test_a_good_file_gives_typed_rows_and_an_empty_report():
    report = validate(attendance_layout(), csv_upload(good_rows(2)))

    assert report.ok
    assert len(report.rows) == 2
    assert report.to_csv().splitlines() == [",".join(REPORT_COLUMNS)]


def test_a_file_with_problems_hands_out_no_rows_even_the_good_ones():
    report = validate(attendance_layout(), csv_upload([good_row(1), good_row(2, phase="nursery")]))

    assert not report.ok
    assert report.rows == []


def test_the_row_number_counts_the_header_as_row_one_and_blank_lines_as_rows():
    upload = csv_upload([good_row(1), {}, good_row(3, sessions_missed="x")])

    report = validate(attendance_layout(), upload)

    assert [problem.row for problem in report.problems] == [4]


def test_a_value_that_would_run_as_a_formula_is_made_inert_in_the_report():
    report = validate(attendance_layout(), csv_upload([good_row(1, phase="=HYPERLINK(1)")]))

    assert report_rows(report)[0]["value"] == "'=HYPERLINK(1)"


def test_a_long_refused_fact_is_cut_short_in_the_report():
    report = validate(attendance_layout(), csv_upload([good_row(1, record_id="R" * 500)]))

    assert report.problems[0].value == "R" * 100


def test_a_file_path_is_read_and_named_in_the_report(tmp_path):
    path = tmp_path / "week 13.csv"
    path.write_bytes(csv_upload([good_row(1, sessions_missed="x")]).content)

    report = validate(attendance_layout(), path)

    assert report_rows(report)[0]["file"] == "week 13.csv"


def test_an_open_file_is_read_and_named_in_the_report(tmp_path):
    path = tmp_path / "week 13.csv"
    path.write_bytes(b"")

    with path.open("rb") as handle:
        report = validate(attendance_layout(), handle)

    assert (report.file_name, report.problems[0].rule) == ("week 13.csv", "empty_file")


IDENTIFYING = ["upn", "nhs_number", "postcode", "surname"]
# Wrong values of the right shape: each is refused (or, for the surname, too long), so each is a problem
# whose value the report must keep out.
wrong = {
    "upn": st.from_regex(r"I[0-9]{11}[0-9]", fullmatch=True),
    "nhs_number": st.from_regex(r"[0-9]{9}", fullmatch=True),
    "postcode": st.from_regex(r"QQ[0-9]{2} ?[0-9][A-Z]{3}", fullmatch=True),
    "surname": st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=51, max_size=60),
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(column=st.sampled_from(IDENTIFYING), data=st.data())
def test_no_value_of_an_identifying_column_appears_in_a_report(column, data):
    value = data.draw(wrong[column])
    other = good_row(2)

    report = validate(attendance_layout(), csv_upload([good_row(1, **{column: value}), other]))

    assert [(p.row, p.column) for p in report.problems] == [(2, column)]
    assert report.problems[0].value is None
    text = report.to_csv()
    assert value not in text
    assert all(other[c] not in text for c in IDENTIFYING)


def test_no_identifying_value_appears_in_a_report_on_a_workbook_either():
    row = good_row(1, upn=12345678901234, sessions_missed="x")

    report = validate(attendance_layout(), xlsx_upload(workbook([row])))

    assert {p.column for p in report.problems} == {"upn", "sessions_missed"}
    text = report.to_csv()
    for column in IDENTIFYING:
        assert str(row[column]) not in text


@pytest.mark.parametrize("surname", ["=1+1", "@x"])
def test_a_formula_in_an_identifying_column_is_reported_without_its_value(surname):
    report = validate(attendance_layout(), csv_upload([good_row(1, surname=surname)]))

    assert report_rows(report)[0]["value"] == ""
    assert report_rows(report)[0]["rule"] == "formula"
