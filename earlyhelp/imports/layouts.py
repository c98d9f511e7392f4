"""Layouts: what a file of one kind must hold, declared as data so a council adds one without code.

A layout document is a JSON object or a TOML document (docs/imports.md describes every key). It is
checked in full when it is loaded, so a mistake in it is found by the person who wrote it, not by
the first partner whose file is refused for it.
"""

import json
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from . import messages

E = TypeVar("E", bound=StrEnum)


class ColumnType(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    POSTCODE = "postcode"


class Role(StrEnum):
    # An identifying column's values say who a row is about: they never appear in a report or a log.
    IDENTIFYING = "identifying"
    FACT = "fact"


# Types whose values are themselves a person's identifier: a layout cannot declare them as facts.
IDENTIFIER_TYPES = frozenset({ColumnType.NHS_NUMBER, ColumnType.UPN, ColumnType.POSTCODE})
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")

_NAME_RE = re.compile(r"[a-z][a-z0-9_]{0,99}")
_LAYOUT_KEYS = {"name", "version", "description", "columns", "source_id"}
_COLUMN_KEYS = {"name", "type", "role", "required", "max_length", "choices", "date_formats"}


class LayoutError(ValueError):
    """A layout document that cannot be used; `problems` lists every mistake found in it."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Check:
    """A caller's own rule for a column's values, beyond what the layout declares.

    `passes` receives the typed value (never None: blank values are the layout's concern)."""

    rule: str
    message: str
    passes: Callable[[Any], bool]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    role: Role
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS

    @property
    def identifying(self) -> bool:
        return self.role == Role.IDENTIFYING

    @property
    def numeric(self) -> bool:
        return self.type in {ColumnType.INTEGER, ColumnType.DECIMAL}


@dataclass(frozen=True)
class Layout:
    name: str
    version: int
    columns: tuple[Column, ...]
    description: str = ""
    # The column holding the sending system's own id for a row, which makes a second import of the
    # same rows recognisable (see sources.py).
    source_id: str | None = None
    by_key: Mapping[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {column.name.casefold(): column for column in self.columns})

    @property
    def label(self) -> str:
        return f"{self.name} (version {self.version})"


def layout_from_json(text: str | bytes) -> Layout:
    """Read a layout from a JSON document."""
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LayoutError([messages.LAYOUT_UNREADABLE.format(format="JSON", problem=error)]) from error
    return layout_from_dict(document)


def layout_from_toml(text: str) -> Layout:
    """Read a layout from a TOML document, its columns as [[columns]] tables."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LayoutError([messages.LAYOUT_UNREADABLE.format(format="TOML", problem=error)]) from error
    return layout_from_dict(document)


def layout_from_dict(document: Any) -> Layout:
    """Build a layout from plain data, or raise LayoutError naming every mistake in it."""
    if not isinstance(document, dict):
        raise LayoutError([messages.LAYOUT_NOT_A_TABLE])
    problems: list[str] = []
    unknown = set(document) - _LAYOUT_KEYS
    if unknown:
        problems.append(messages.LAYOUT_KEY_UNKNOWN.format(keys=", ".join(sorted(map(str, unknown)))))
    problems += [messages.LAYOUT_KEY_MISSING.format(key=key) for key in ("name", "version") if key not in document]
    name: Any = document.get("name")
    version: Any = document.get("version")
    description = document.get("description", "")
    if "name" in document and not (isinstance(name, str) and _NAME_RE.fullmatch(name)):
        problems.append(messages.LAYOUT_NAME_INVALID)
    if "version" in document and not (type(version) is int and version >= 1):
        problems.append(messages.LAYOUT_VERSION_INVALID)
    if not isinstance(description, str):
        problems.append(messages.LAYOUT_DESCRIPTION_INVALID)
    columns = _columns(document.get("columns"), problems)
    source_id = _source_id(document.get("source_id"), columns, problems)
    if problems:
        raise LayoutError(problems)
    return Layout(name=name, version=version, description=description, columns=columns, source_id=source_id)


def _columns(entries: Any, problems: list[str]) -> tuple[Column, ...]:
    if not isinstance(entries, list) or not entries:
        problems.append(messages.LAYOUT_NO_COLUMNS)
        return ()
    columns: list[Column] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        column = _column(number, entry, problems)
        if column is None:
            continue
        if column.name.casefold() in seen:
            problems.append(messages.COLUMN_NAME_REPEATED.format(column=column.name))
        seen.add(column.name.casefold())
        columns.append(column)
    return tuple(columns)


def _column(number: int, entry: Any, problems: list[str]) -> Column | None:
    if not isinstance(entry, dict):
        problems.append(messages.COLUMN_NOT_A_TABLE.format(number=number))
        return None
    name = entry.get("name")
    if not (isinstance(name, str) and 1 <= len(name.strip()) <= 100):
        problems.append(messages.COLUMN_NAME_INVALID.format(number=number))
        return None
    name = name.strip()
    found: list[str] = []
    unknown = set(entry) - _COLUMN_KEYS
    if unknown:
        found.append(messages.COLUMN_KEY_UNKNOWN.format(column=name, keys=", ".join(sorted(map(str, unknown)))))
    found += [messages.COLUMN_KEY_MISSING.format(column=name, key=key) for key in ("type", "role") if key not in entry]
    kind = _member(ColumnType, entry.get("type"), name, messages.COLUMN_TYPE_UNKNOWN, found)
    role = _member(Role, entry.get("role"), name, messages.COLUMN_ROLE_UNKNOWN, found)
    required = entry.get("required", False)
    if not isinstance(required, bool):
        found.append(messages.COLUMN_REQUIRED_INVALID.format(column=name))
    max_length = entry.get("max_length")
    if max_length is not None and not (type(max_length) is int and max_length >= 1):
        found.append(messages.COLUMN_MAX_LENGTH_INVALID.format(column=name))
    elif max_length is not None and kind not in (None, ColumnType.TEXT):
        found.append(messages.COLUMN_MAX_LENGTH_NOT_TEXT.format(column=name))
    choices = _choices(entry, name, kind, found)
    date_formats = _date_formats(entry, name, kind, found)
    if kind in IDENTIFIER_TYPES and role == Role.FACT:
        found.append(messages.COLUMN_MUST_IDENTIFY.format(column=name, type=kind))
    problems += found
    if found or kind is None or role is None:
        return None
    return Column(
        name=name,
        type=kind,
        role=role,
        required=required,
        max_length=max_length,
        choices=choices,
        date_formats=date_formats,
    )


def _member(enum: type[E], value: Any, column: str, message: str, found: list[str]) -> E | None:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        found.append(message.format(column=column, value=value, allowed=", ".join(enum)))
        return None


def _choices(entry: dict, column: str, kind: ColumnType | None, found: list[str]) -> tuple[str, ...]:
    choices = entry.get("choices")
    if kind != ColumnType.CHOICE:
        if choices is not None:
            found.append(messages.COLUMN_CHOICES_NOT_CHOICE.format(column=column))
        return ()
    if not (isinstance(choices, list) and choices and all(isinstance(c, str) for c in choices)):
        found.append(messages.COLUMN_CHOICES_INVALID.format(column=column))
        return ()
    texts = [c.strip() for c in choices]
    folded = {c.casefold() for c in texts}
    if len(folded) != len(texts) or "" in folded:
        found.append(messages.COLUMN_CHOICES_INVALID.format(column=column))
        return ()
    return tuple(texts)


def _date_formats(entry: dict, column: str, kind: ColumnType | None, found: list[str]) -> tuple[str, ...]:
    formats = entry.get("date_formats")
    if formats is None:
        return DEFAULT_DATE_FORMATS
    if kind != ColumnType.DATE:
        found.append(messages.COLUMN_DATE_FORMATS_NOT_DATE.format(column=column))
        return DEFAULT_DATE_FORMATS
    if not (isinstance(formats, list) and formats and all(isinstance(f, str) and "%" in f for f in formats)):
        found.append(messages.COLUMN_DATE_FORMATS_INVALID.format(column=column))
        return DEFAULT_DATE_FORMATS
    return tuple(formats)


def _source_id(value: Any, columns: tuple[Column, ...], problems: list[str]) -> str | None:
    if value is None:
        return None
    column = next((c for c in columns if isinstance(value, str) and c.name.casefold() == value.casefold()), None)
    if column is None:
        problems.append(messages.SOURCE_ID_UNKNOWN.format(column=value))
        return None
    if not column.required:
        problems.append(messages.SOURCE_ID_OPTIONAL.format(column=column.name))
    return column.name
