"""Reading an uploaded file into a header and rows of cells, refusing what cannot be read safely.

CSV must be UTF-8 (a byte order mark is allowed): other encodings are refused rather than guessed,
because a wrong guess turns names into nonsense without any error. A workbook is opened in
openpyxl's read-only mode, which streams the sheet, after checking it is a zip package of a sensible
size; formulas are never evaluated, only recognised and refused.
"""

import codecs
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

# openpyxl ships no inline types and its stubs package is not pinned.
import openpyxl  # type: ignore[import-untyped]
from django.conf import settings
from openpyxl.utils.cell import range_boundaries  # type: ignore[import-untyped]

from . import messages
from .rules import looks_like_formula

DEFAULT_MAX_BYTES = 20_000_000
# A workbook is compressed; its parts may unpack to this many times the upload limit and no more,
# which stops a small "zip bomb" from filling the memory while still allowing real sheets.
UNPACKED_RATIO = 20
_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+[0-9]+:[A-Z]+[0-9]+)\"")


class FileRefusedError(Exception):
    """A file that cannot be imported at all; `rule` names the check, `message` tells the sender what to do."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class Upload:
    """An uploaded file's name and its whole content, read once within the size limit."""

    name: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class Readable(Protocol):
    name: Any

    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Cell:
    value: Any
    formula: bool = False
    error: bool = False


@dataclass(frozen=True)
class Sheet:
    """The header's names and each non-blank row with its number as a person counts it (header = 1)."""

    header: list[str]
    rows: list[tuple[int, list[Cell]]]


def max_bytes_allowed() -> int:
    return getattr(settings, "IMPORTS_MAX_BYTES", DEFAULT_MAX_BYTES)


def size_text(size: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= scale:
            return f"{size / scale:g} {unit}"
    return f"{size} bytes"


def upload_read(source: "Upload | Path | Readable", *, max_bytes: int) -> Upload:
    """The file's content, refusing an empty one or one over `max_bytes` without reading past the limit."""
    if isinstance(source, Upload):
        upload = source
    elif isinstance(source, Path):
        with source.open("rb") as handle:
            upload = Upload(name=source.name, content=handle.read(max_bytes + 1))
    else:
        upload = Upload(name=Path(str(source.name or "")).name, content=source.read(max_bytes + 1))
    if upload.size == 0:
        raise FileRefusedError("empty_file", messages.FILE_EMPTY)
    if upload.size > max_bytes:
        raise FileRefusedError("too_large", messages.FILE_TOO_LARGE.format(limit=size_text(max_bytes)))
    return upload


def sheet_read(upload: Upload, *, max_bytes: int, allow_no_rows: bool = False) -> Sheet:
    """The file's header and rows, by its kind (.csv or .xlsx), or FileRefusedError. A file with a header
    and no rows is refused unless `allow_no_rows` (a bundle's file that has nothing to send this time)."""
    suffix = Path(upload.name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(upload.content)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(upload.content, max_unpacked=max_bytes * UNPACKED_RATIO)
    else:
        raise FileRefusedError("file_kind", messages.FILE_KIND_UNKNOWN.format(name=upload.name))
    return _sheet(rows, allow_no_rows=allow_no_rows)


def _sheet(rows: Iterator[list[Cell]], *, allow_no_rows: bool) -> Sheet:
    header_cells = next(rows, None)
    if header_cells is None or all(_blank(cell) for cell in header_cells):
        raise FileRefusedError("no_header", messages.FILE_NO_HEADER)
    header_cells = _trimmed(header_cells)
    if any(cell.formula for cell in header_cells):
        raise FileRefusedError("formula", messages.VALUE_FORMULA)
    header = [_header_name(cell) for cell in header_cells]
    body = [(number, _trimmed(cells)) for number, cells in enumerate(rows, start=2) if not all(map(_blank, cells))]
    if not body and not allow_no_rows:
        raise FileRefusedError("no_rows", messages.FILE_NO_ROWS)
    return Sheet(header=header, rows=body)


def _blank(cell: Cell) -> bool:
    return not cell.formula and (cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()))


def _trimmed(cells: list[Cell]) -> list[Cell]:
    """Without the blank cells at the end, which spreadsheets add past the last column freely."""
    end = len(cells)
    while end and _blank(cells[end - 1]):
        end -= 1
    return cells[:end]


def _header_name(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _csv_rows(content: bytes) -> Iterator[list[Cell]]:
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileRefusedError("encoding", messages.FILE_NOT_UTF8.format(position=error.start)) from error
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise FileRefusedError("csv", messages.FILE_NOT_CSV.format(problem=error)) from error
    return iter([[Cell(value=text, formula=looks_like_formula(text)) for text in record] for record in records])


def _xlsx_rows(content: bytes, *, max_unpacked: int) -> Iterator[list[Cell]]:
    stream = io.BytesIO(content)
    _check_package(stream, max_unpacked=max_unpacked)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of error on a malformed workbook
        raise FileRefusedError("not_xlsx", messages.FILE_NOT_XLSX.format(problem=type(error).__name__)) from error
    try:
        if len(workbook.sheetnames) != 1:
            raise FileRefusedError("sheets", messages.FILE_SEVERAL_SHEETS.format(count=len(workbook.sheetnames)))
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = [[_xlsx_cell(cell) for cell in row] for row in sheet.iter_rows()]
    except FileRefusedError:
        raise
    except Exception as error:  # the sheet is parsed as it is read, so its errors come here too
        raise FileRefusedError("not_xlsx", messages.FILE_NOT_XLSX.format(problem=type(error).__name__)) from error
    finally:
        workbook.close()
    return iter(rows)


def _xlsx_cell(cell: Any) -> Cell:
    value = getattr(cell, "value", None)
    data_type = getattr(cell, "data_type", "n")
    formula = data_type == "f" or (isinstance(value, str) and looks_like_formula(value))
    return Cell(value=value, formula=formula, error=data_type == "e")


def _check_package(stream: BinaryIO, *, max_unpacked: int) -> None:
    """A real workbook is a zip package holding a workbook part, with no merged cells, of bounded size."""
    if not zipfile.is_zipfile(stream):
        raise FileRefusedError("not_xlsx", messages.FILE_NOT_XLSX.format(problem="it is not a zip package"))
    try:
        with zipfile.ZipFile(stream) as package:
            members = package.infolist()
            names = {member.filename for member in members}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise FileRefusedError("not_xlsx", messages.FILE_NOT_XLSX.format(problem="it has no workbook inside"))
            if sum(member.file_size for member in members) > max_unpacked:
                limit = size_text(max_unpacked)
                raise FileRefusedError("too_large", messages.FILE_XLSX_TOO_LARGE_UNPACKED.format(limit=limit))
            merged = [
                ref.decode()
                for name in sorted(names)
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
                for ref in _MERGE_RE.findall(package.read(name))
            ]
    except zipfile.BadZipFile as error:
        raise FileRefusedError(
            "not_xlsx", messages.FILE_NOT_XLSX.format(problem="the zip package is damaged")
        ) from error
    stream.seek(0)
    _refuse_merged(merged)


def _refuse_merged(merged: list[str]) -> None:
    if not merged:
        return
    header = [ref for ref in merged if range_boundaries(ref)[1] == 1]
    if header:
        raise FileRefusedError("merged_header", messages.FILE_MERGED_HEADER.format(ranges=", ".join(header)))
    raise FileRefusedError("merged_cells", messages.FILE_MERGED_CELLS.format(ranges=", ".join(merged[:10])))
