"""Checking a whole file against its layout before anything is stored: typed rows, or every problem.

A report never holds a value from an identifying column, so it can be shown, downloaded and kept
without holding personal data; it is the sender's own file that says whose row a problem is in.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages
from .layouts import Check, Column, Layout
from .progress import CHECKING, Progress, report_every
from .reading import FileRefusedError, Readable, Sheet, Upload, max_bytes_allowed, sheet_read, upload_read
from .rules import ValueRefusedError, is_blank, looks_like_formula, parse_value

REPORT_COLUMNS = ("file", "row", "column", "value", "rule", "message")
# Header names that do not belong to the layout are shown so the sender can fix them, but cut short:
# a file with no header row has a person's details where the names should be.
_SHOWN_NAME_LENGTH = 40
# Enough of a refused fact's value to find it in the file, without copying a long text into the report.
_SHOWN_VALUE_LENGTH = 100

Checks = Mapping[str, Sequence[Check]]


@dataclass(frozen=True)
class Row:
    """One row of typed values by column name, and its number as a person counts it (header = 1)."""

    number: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Why a file or one of its values was refused. `row` is None for the file as a whole; `value` is
    None for an identifying column."""

    rule: str
    message: str
    row: int | None = None
    column: str = ""
    value: str | None = None


@dataclass(frozen=True)
class Report:
    """The outcome of checking one file: its typed rows when there are no problems, else the problems."""

    file_name: str
    layout: Layout
    problems: list[Problem] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    sha256: str = ""
    size: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_csv(self) -> str:
        """The problems as a CSV for the sender to download, each cell made safe to open in a spreadsheet."""
        return problems_csv((self.file_name, problem) for problem in self.problems)


def problems_csv(problems: Iterable[tuple[str, Problem]]) -> str:
    """Problems, each with the name of the file it is in, as a CSV with the columns REPORT_COLUMNS."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPORT_COLUMNS)
    for file_name, problem in problems:
        cells = (file_name, problem.row or "", problem.column, problem.value or "", problem.rule, problem.message)
        writer.writerow([_inert(str(cell)) for cell in cells])
    return out.getvalue()


def _inert(text: str) -> str:
    # The report repeats what the sender wrote; a leading quote stops a spreadsheet running it.
    return f"'{text}" if looks_like_formula(text) else text


def validate(
    layout: Layout,
    source: Upload | Path | Readable,
    *,
    checks: Checks | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    allow_no_rows: bool = False,
) -> Report:
    """Read the whole file and check every row against the layout and the caller's checks."""
    limit = max_bytes if max_bytes is not None else max_bytes_allowed()
    try:
        upload = upload_read(source, max_bytes=limit)
    except FileRefusedError as refusal:
        return refused_report(layout, source, refusal)
    return validate_upload(
        layout, upload, checks=checks, max_bytes=limit, progress=progress, allow_no_rows=allow_no_rows
    )


def refused_report(layout: Layout, source: Upload | Path | Readable, refusal: FileRefusedError) -> Report:
    """The report on a file refused before it could be read."""
    name = Path(str(getattr(source, "name", "") or "")).name
    return Report(file_name=name, layout=layout, problems=[Problem(rule=refusal.rule, message=refusal.message)])


def validate_upload(
    layout: Layout,
    upload: Upload,
    *,
    checks: Checks | None = None,
    max_bytes: int | None = None,
    progress: Progress | None = None,
    allow_no_rows: bool = False,
) -> Report:
    """Check a file already read within its size limit (see validate)."""
    checks = checks or {}
    unknown = sorted(set(checks) - {column.name for column in layout.columns})
    if unknown:
        raise ValueError(messages.CHECK_COLUMN_UNKNOWN.format(columns=", ".join(unknown), layout=layout.name))
    report = Report(file_name=upload.name, layout=layout, sha256=upload.sha256, size=upload.size)
    try:
        limit = max_bytes if max_bytes is not None else max_bytes_allowed()
        sheet = sheet_read(upload, max_bytes=limit, allow_no_rows=allow_no_rows)
        columns = _columns_by_position(layout, sheet.header)
    except FileRefusedError as refusal:
        report.problems.append(Problem(rule=refusal.rule, message=refusal.message))
        return report
    rows = _rows(layout, sheet, columns, checks, report.problems, progress)
    if report.ok:
        report.rows.extend(rows)
    return report


def _columns_by_position(layout: Layout, header: list[str]) -> list[Column]:
    """The layout's column for each header position, or FileRefusedError naming what is missing or unexpected."""
    for position, name in enumerate(header, start=1):
        if not name:
            raise FileRefusedError("header", messages.HEADER_BLANK.format(position=position))
    folded = [name.casefold() for name in header]
    if not set(folded) & set(layout.by_key):
        expected = ", ".join(column.name for column in layout.columns)
        raise FileRefusedError("header", messages.HEADER_NOT_FOUND.format(expected=expected))
    repeated = sorted({name for name in header if folded.count(name.casefold()) > 1})
    if repeated:
        raise FileRefusedError("header", messages.HEADER_REPEATED.format(columns=", ".join(repeated)))
    missing = [column.name for column in layout.columns if column.name.casefold() not in folded]
    if missing:
        raise FileRefusedError("header", messages.HEADER_MISSING.format(columns=", ".join(missing)))
    unexpected = [name[:_SHOWN_NAME_LENGTH] for name in header if name.casefold() not in layout.by_key]
    if unexpected:
        raise FileRefusedError(
            "header", messages.HEADER_UNEXPECTED.format(layout=layout.name, columns=", ".join(unexpected))
        )
    return [layout.by_key[name] for name in folded]


def _rows(
    layout: Layout,
    sheet: Sheet,
    columns: list[Column],
    checks: Checks,
    problems: list[Problem],
    progress: Progress | None,
) -> list[Row]:
    rows: list[Row] = []
    first_seen: dict[Any, int] = {}
    total = len(sheet.rows)
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        if len(cells) > len(columns):
            problems.append(
                Problem(
                    rule="row_width",
                    message=messages.ROW_WIDTH.format(found=len(cells), expected=len(columns)),
                    row=number,
                )
            )
        else:
            values = {}
            for position, column in enumerate(columns):
                cell = cells[position] if position < len(cells) else None
                problem, value = _value(column, cell, checks.get(column.name, ()))
                if problem is not None:
                    problems.append(_located(problem, number, column, cell))
                values[column.name] = value
            _check_source_id(layout, values, number, first_seen, problems)
            rows.append(Row(number=number, values=values))
        report_every(progress, stage=CHECKING, done=done, total=total)
    return rows


def _value(column: Column, cell: Any, checks: Sequence[Check]) -> tuple[ValueRefusedError | None, Any]:
    raw = None if cell is None else cell.value
    if cell is not None and cell.formula:
        return ValueRefusedError("formula", messages.VALUE_FORMULA), None
    if cell is not None and cell.error:
        return ValueRefusedError("error_cell", messages.VALUE_ERROR_CELL), None
    if is_blank(raw):
        return (ValueRefusedError("required", messages.VALUE_REQUIRED) if column.required else None), None
    try:
        value = parse_value(column, raw)
    except ValueRefusedError as problem:
        return problem, None
    for check in checks:
        if not check.passes(value):
            return ValueRefusedError(check.rule, check.message), None
    return None, value


def _located(problem: ValueRefusedError, number: int, column: Column, cell: Any) -> Problem:
    shown = None if column.identifying or cell is None or cell.value is None else str(cell.value)[:_SHOWN_VALUE_LENGTH]
    return Problem(rule=problem.rule, message=problem.message, row=number, column=column.name, value=shown)


def _check_source_id(
    layout: Layout, values: dict[str, Any], number: int, first_seen: dict[Any, int], problems: list[Problem]
) -> None:
    """A source id names one row of the sending system, so it appears once in a file."""
    if layout.source_id is None or values.get(layout.source_id) is None:
        return
    source_id = values[layout.source_id]
    if source_id in first_seen:
        message = messages.SOURCE_ID_REPEATED.format(first=first_seen[source_id])
        # The source id is the sender's own key; shown only where the layout calls it a fact.
        shown = None if layout.by_key[layout.source_id.casefold()].identifying else str(source_id)
        problems.append(
            Problem(rule="source_id_repeated", message=message, row=number, column=layout.source_id, value=shown)
        )
    else:
        first_seen[source_id] = number
