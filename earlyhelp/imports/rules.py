"""Checks on one cell's value, with no database: formulas, identifiers, and each column type's parsing.

The register has its own checks for the identifiers it holds; these are the importer's, kept on this
floor so that every capability that imports files can use them without depending on the register.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from . import messages
from .layouts import Column, ColumnType

# A spreadsheet treats a cell beginning with one of these as a formula (CSV injection).
FORMULA_STARTS = frozenset("=+-@")
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)")
_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0"})
_EXAMPLE_DATE = date(2025, 3, 31)

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # I, O and S are never used in a UPN
_UPN_RE = re.compile(rf"[{UPN_LETTERS}][0-9]{{11}}[0-9{UPN_LETTERS}]")
_POSTCODE_RE = re.compile(
    r"GIR 0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}"
)


class ValueRefusedError(ValueError):
    """A value that breaks its column's rule; `rule` is the short name a report shows."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def looks_like_formula(text: str) -> bool:
    """True where a spreadsheet opening this text would run it: =, +, - or @ and more, unless a plain number."""
    stripped = text.lstrip(" \t\r\n")
    if len(stripped) < 2 or stripped[0] not in FORMULA_STARTS:
        return False
    return not _NUMBER_RE.fullmatch(stripped)


def nhs_number_is_valid(number: str) -> bool:
    """Ten digits whose last is the modulus 11 check digit of the nine before it."""
    if not re.fullmatch(r"[0-9]{10}", number):
        return False
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(number[:9])) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(number[9])


def upn_is_valid(upn: str) -> bool:
    """A check letter, eleven digits and a digit or letter, the check letter weighting characters 2 to 13."""
    if not _UPN_RE.fullmatch(upn):
        return False
    total = sum(
        (int(char) if char.isdigit() else UPN_LETTERS.index(char)) * position
        for position, char in enumerate(upn[1:], start=2)
    )
    return UPN_LETTERS[total % 23] == upn[0]


def postcode_normalised(text: str) -> str:
    """Upper case, one space before the last three characters ("sw1a1aa" becomes "SW1A 1AA")."""
    compact = re.sub(r"\s", "", text).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) >= 5 else compact


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_value(column: Column, raw: Any) -> Any:
    """The typed value of a non-blank cell, or ValueRefusedError. `raw` is text from a CSV, or what openpyxl read."""
    return _PARSERS[column.type](column, raw.strip() if isinstance(raw, str) else raw)


def _as_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return raw.isoformat()
    return str(raw).strip()


def _text(column: Column, raw: Any) -> str:
    text = _as_text(raw)
    if column.max_length is not None and len(text) > column.max_length:
        raise ValueRefusedError("max_length", messages.VALUE_TOO_LONG.format(limit=column.max_length))
    return text


def _integer(column: Column, raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueRefusedError("integer", messages.VALUE_NOT_INTEGER)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER_RE.fullmatch(raw):
        return int(raw)
    raise ValueRefusedError("integer", messages.VALUE_NOT_INTEGER)


def _decimal(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = repr(raw) if isinstance(raw, float) else str(raw)
    if isinstance(raw, str) and _DECIMAL_RE.fullmatch(raw):
        try:
            return Decimal(raw)
        except InvalidOperation:
            pass
    raise ValueRefusedError("decimal", messages.VALUE_NOT_DECIMAL)


def _date(column: Column, raw: Any) -> date:
    if isinstance(raw, datetime):
        if raw.time() == time(0):
            return raw.date()
    elif isinstance(raw, date):
        return raw
    elif isinstance(raw, str):
        for pattern in column.date_formats:
            try:
                # Only the date is kept, so the naive datetime strptime makes never meets a time zone.
                return datetime.strptime(raw, pattern).date()  # noqa: DTZ007
            except ValueError:
                continue
    example = " or ".join(_EXAMPLE_DATE.strftime(pattern) for pattern in column.date_formats)
    raise ValueRefusedError("date", messages.VALUE_NOT_DATE.format(example=example))


def _boolean(column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _as_text(raw).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueRefusedError("boolean", messages.VALUE_NOT_BOOLEAN)


def _choice(column: Column, raw: Any) -> str:
    text = _as_text(raw).casefold()
    for choice in column.choices:
        if choice.casefold() == text:
            return choice
    raise ValueRefusedError("choice", messages.VALUE_NOT_CHOICE.format(choices=", ".join(column.choices)))


def _nhs_number(column: Column, raw: Any) -> str:
    number = re.sub(r"[\s-]", "", _as_text(raw))
    if not nhs_number_is_valid(number):
        raise ValueRefusedError("nhs_number", messages.VALUE_NOT_NHS_NUMBER)
    return number


def _upn(column: Column, raw: Any) -> str:
    upn = re.sub(r"\s", "", _as_text(raw)).upper()
    if not upn_is_valid(upn):
        raise ValueRefusedError("upn", messages.VALUE_NOT_UPN)
    return upn


def _postcode(column: Column, raw: Any) -> str:
    postcode = postcode_normalised(_as_text(raw))
    if not _POSTCODE_RE.fullmatch(postcode):
        raise ValueRefusedError("postcode", messages.VALUE_NOT_POSTCODE)
    return postcode


_PARSERS = {
    ColumnType.TEXT: _text,
    ColumnType.INTEGER: _integer,
    ColumnType.DECIMAL: _decimal,
    ColumnType.DATE: _date,
    ColumnType.BOOLEAN: _boolean,
    ColumnType.CHOICE: _choice,
    ColumnType.NHS_NUMBER: _nhs_number,
    ColumnType.UPN: _upn,
    ColumnType.POSTCODE: _postcode,
}
