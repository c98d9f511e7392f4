"""Each kind of malformed file is refused with its own message, and nothing is stored or audited."""

import io
import zipfile

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from earlyhelp.imports import messages
from earlyhelp.imports.reading import Upload
from earlyhelp.imports.services import load
from earlyhelp.imports.validation import Problem
from tests.factories import UserFactory

from .support import (
    HEADER,
    attendance_layout,
    counts,
    csv_upload,
    good_row,
    good_rows,
    store_localities,
    workbook,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db

BOUNDED = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def refusal(upload: Upload, **options) -> list[Problem]:
    """Load the file, insist it was refused with nothing stored, and give its problems."""
    user = UserFactory()
    before = counts()
    outcome = load(actor=user, layout=attendance_layout(), source=upload, store=store_localities, **options)
    assert not outcome.loaded
    assert not outcome.already_loaded
    assert outcome.report.rows == []
    assert counts() == before
    return outcome.report.problems


def only_problem(upload: Upload, **options) -> Problem:
    problems = refusal(upload, **options)
    assert len(problems) == 1, problems
    return problems[0]


def test_an_empty_file_is_refused():
    problem = only_problem(Upload(name="attendance.csv", content=b""))

    assert (problem.rule, problem.message) == ("empty_file", messages.FILE_EMPTY)


def test_a_file_over_the_size_limit_is_refused_naming_the_limit():
    problem = only_problem(csv_upload(good_rows(3)), max_bytes=100)

    assert problem.message == messages.FILE_TOO_LARGE.format(limit="100 bytes")


def test_the_size_limit_comes_from_the_setting_when_not_given(settings):
    settings.IMPORTS_MAX_BYTES = 2_000

    problem = only_problem(csv_upload(good_rows(40)))

    assert problem.message == messages.FILE_TOO_LARGE.format(limit="2 kB")


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused():
    problem = only_problem(Upload(name="attendance.xls", content=b"\xd0\xcf\x11\xe0"))

    assert problem.message == messages.FILE_KIND_UNKNOWN.format(name="attendance.xls")


def test_a_csv_in_another_encoding_is_refused_naming_where_it_is_not_utf8():
    content = "record_id,surname\nR1,Nuñez\n".encode("cp1252")

    problem = only_problem(Upload(name="attendance.csv", content=content))

    assert problem.message == messages.FILE_NOT_UTF8.format(position=content.index(b"\xf1"))


def _utf8_error_at(content: bytes) -> int | None:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return None


@BOUNDED
@given(body=st.binary(min_size=1, max_size=40))
def test_any_bytes_that_are_not_utf8_are_refused_at_the_first_bad_byte(body):
    content = b"record_id\n" + body
    position = _utf8_error_at(content)
    assume(position is not None)

    problem = only_problem(Upload(name="attendance.csv", content=content))

    assert problem.message == messages.FILE_NOT_UTF8.format(position=position)


def test_a_csv_with_a_broken_quote_is_refused():
    content = b'record_id,upn\n"R1,"A"B\n'

    problem = only_problem(Upload(name="attendance.csv", content=content))

    assert problem.rule == "csv"
    assert problem.message.startswith("The file cannot be read as CSV: ")


def test_missing_columns_are_named():
    header = [c for c in HEADER if c not in {"upn", "phase"}]

    problem = only_problem(csv_upload(good_rows(1), header=header))

    assert problem.message == messages.HEADER_MISSING.format(columns="upn, phase")


def test_unexpected_columns_are_named():
    problem = only_problem(csv_upload(good_rows(1), header=[*HEADER, "Year group"]))

    assert problem.message == messages.HEADER_UNEXPECTED.format(layout="school_attendance", columns="Year group")


def test_a_column_named_twice_is_refused():
    problem = only_problem(csv_upload(good_rows(1), header=[*HEADER, "UPN"]))

    assert problem.message == messages.HEADER_REPEATED.format(columns="UPN, upn")


def test_a_header_cell_with_no_name_is_refused_by_position():
    header = [*HEADER[:2], "", *HEADER[2:]]

    problem = only_problem(csv_upload([{**good_row(1), "": "x"}], header=header))

    assert problem.message == messages.HEADER_BLANK.format(position=3)


def test_a_file_without_a_header_row_is_refused_without_repeating_its_first_row():
    rows = good_rows(2)
    with_header = csv_upload(rows).content.decode()
    upload = Upload(name="attendance.csv", content=with_header.split("\n", 1)[1].encode())

    problem = only_problem(upload)

    expected = ", ".join(HEADER)
    assert problem.message == messages.HEADER_NOT_FOUND.format(expected=expected)
    assert rows[0]["upn"] not in problem.message


def test_a_header_with_no_rows_is_refused():
    problem = only_problem(csv_upload([]))

    assert problem.message == messages.FILE_NO_ROWS


def test_a_file_of_blank_lines_has_no_header():
    problem = only_problem(Upload(name="attendance.csv", content=b"\r\n,,\r\n"))

    assert problem.message == messages.FILE_NO_HEADER


def test_a_row_wider_than_the_header_is_refused_by_row():
    upload = csv_upload(good_rows(1))
    upload = Upload(name=upload.name, content=upload.content + b"R9," + b"x," * 10 + b"x\r\n")

    problem = only_problem(upload)

    assert (problem.row, problem.message) == (3, messages.ROW_WIDTH.format(found=12, expected=10))


@pytest.mark.parametrize(
    ("column", "value", "rule", "message"),
    [
        ("sessions_missed", "2.5", "integer", messages.VALUE_NOT_INTEGER),
        ("sessions_missed", "", "required", messages.VALUE_REQUIRED),
        ("attendance_rate", "ninety", "decimal", messages.VALUE_NOT_DECIMAL),
        ("week_ending", "2025-02-30", "date", messages.VALUE_NOT_DATE.format(example="2025-03-31 or 31/03/2025")),
        ("persistent_absence", "maybe", "boolean", messages.VALUE_NOT_BOOLEAN),
        ("phase", "nursery", "choice", messages.VALUE_NOT_CHOICE.format(choices="primary, secondary")),
        ("record_id", "R" * 21, "max_length", messages.VALUE_TOO_LONG.format(limit=20)),
        ("nhs_number", "9434765918", "nhs_number", messages.VALUE_NOT_NHS_NUMBER),
        ("upn", "A12345678901B", "upn", messages.VALUE_NOT_UPN),
        ("postcode", "ZZ1 1ZZ", "postcode", messages.VALUE_NOT_POSTCODE),
    ],
)
def test_a_bad_value_is_refused_naming_its_row_column_and_rule(column, value, rule, message):
    rows = [good_row(1), good_row(2, **{column: value})]

    problem = only_problem(csv_upload(rows))

    assert (problem.row, problem.column, problem.rule, problem.message) == (3, column, rule, message)


def test_every_bad_value_in_the_file_is_reported_not_only_the_first():
    rows = [good_row(1, sessions_missed="x", phase="x"), good_row(2), good_row(3, week_ending="x")]

    problems = refusal(csv_upload(rows))

    assert [(p.row, p.column) for p in problems] == [(2, "sessions_missed"), (2, "phase"), (4, "week_ending")]


def test_a_source_id_repeated_in_the_file_is_refused_pointing_at_the_first():
    rows = [good_row(1), good_row(2), good_row(3, record_id="R00001")]

    problem = only_problem(csv_upload(rows))

    assert (problem.row, problem.column, problem.rule) == (4, "record_id", "source_id_repeated")
    assert problem.message == messages.SOURCE_ID_REPEATED.format(first=2)


@pytest.mark.parametrize("formula", ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x","y")', " =cmd"])
def test_a_csv_cell_holding_a_formula_is_refused(formula):
    problem = only_problem(csv_upload([good_row(1, surname=formula)]))

    assert (problem.row, problem.column, problem.rule, problem.message) == (
        2,
        "surname",
        "formula",
        messages.VALUE_FORMULA,
    )


def test_a_formula_in_a_numeric_column_is_refused_though_negative_numbers_are_not():
    rows = [good_row(1, sessions_missed="-3", attendance_rate="-0.5"), good_row(2, sessions_missed="-3+1")]

    problem = only_problem(csv_upload(rows))

    assert (problem.row, problem.column, problem.rule) == (3, "sessions_missed", "formula")


def test_an_xlsx_formula_cell_is_refused():
    book = workbook([good_row(1, sessions_missed=2), good_row(2, sessions_missed=2)])
    book.active["F3"] = "=F2*2"

    problem = only_problem(xlsx_upload(book))

    assert (problem.row, problem.column, problem.rule) == (3, "sessions_missed", "formula")


def test_an_xlsx_text_cell_that_reads_as_a_formula_is_refused():
    book = workbook([good_row(1, sessions_missed=2)])
    book.active["E2"].value = "=cmd|' /C calc'!A0"
    book.active["E2"].data_type = "s"

    problem = only_problem(xlsx_upload(book))

    assert (problem.row, problem.column, problem.rule) == (2, "surname", "formula")


def test_an_xlsx_with_several_sheets_is_refused():
    book = workbook(good_rows(1))
    book.create_sheet("Notes")

    problem = only_problem(xlsx_upload(book))

    assert problem.message == messages.FILE_SEVERAL_SHEETS.format(count=2)


def test_an_xlsx_with_merged_header_cells_is_refused_naming_them():
    book = workbook(good_rows(1))
    book.active.merge_cells("B1:C1")

    problem = only_problem(xlsx_upload(book))

    assert problem.message == messages.FILE_MERGED_HEADER.format(ranges="B1:C1")


def test_an_xlsx_with_merged_cells_below_the_header_is_refused_naming_them():
    book = workbook(good_rows(2))
    book.active.merge_cells("F2:F3")

    problem = only_problem(xlsx_upload(book))

    assert problem.message == messages.FILE_MERGED_CELLS.format(ranges="F2:F3")


def test_a_text_file_named_xlsx_is_refused_as_not_a_real_workbook():
    problem = only_problem(Upload(name="attendance.xlsx", content=csv_upload(good_rows(1)).content))

    assert problem.message == messages.FILE_NOT_XLSX.format(problem="it is not a zip package")


def test_a_zip_without_a_workbook_inside_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("readme.txt", "not a workbook")

    problem = only_problem(Upload(name="attendance.xlsx", content=out.getvalue()))

    assert problem.message == messages.FILE_NOT_XLSX.format(problem="it has no workbook inside")


def test_a_workbook_with_a_damaged_part_is_refused_as_not_a_real_workbook():
    good = xlsx_upload(workbook(good_rows(1))).content
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(out, "w") as package:
        for item in source.infolist():
            data = source.read(item)
            package.writestr(item, b"<worksheet" if item.filename.startswith("xl/worksheets/") else data)

    problem = only_problem(Upload(name="attendance.xlsx", content=out.getvalue()))

    assert problem.rule == "not_xlsx"


def test_a_workbook_that_unpacks_far_beyond_the_limit_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/worksheets/sheet1.xml", b" " * 3_000_000)

    problem = only_problem(Upload(name="attendance.xlsx", content=out.getvalue()), max_bytes=100_000)

    assert problem.message == messages.FILE_XLSX_TOO_LARGE_UNPACKED.format(limit="2 MB")


def test_an_xlsx_error_cell_is_refused():
    book = workbook([good_row(1, sessions_missed=2)])
    book.active["F2"].value = "#REF!"
    book.active["F2"].data_type = "e"

    problem = only_problem(xlsx_upload(book))

    assert (problem.row, problem.column, problem.rule) == (2, "sessions_missed", "error_cell")


def test_a_formula_in_the_header_refuses_the_whole_file():
    book = workbook(good_rows(1))
    book.active["A1"] = '=CONCAT("record","_id")'

    problem = only_problem(xlsx_upload(book))

    assert (problem.row, problem.rule, problem.message) == (None, "formula", messages.VALUE_FORMULA)
