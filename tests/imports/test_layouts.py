"""Layouts load from plain data (a dict, JSON or TOML), and a mistaken layout document is refused
with every mistake named."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.imports import messages
from earlyhelp.imports.layouts import (
    DEFAULT_DATE_FORMATS,
    ColumnType,
    LayoutError,
    Role,
    layout_from_dict,
    layout_from_json,
    layout_from_toml,
)

from .support import HEADER, attendance_layout


def minimal(**changes) -> dict:
    document = {
        "name": "police_notifications",
        "version": 2,
        "columns": [{"name": "ref", "type": "text", "role": "fact"}],
    }
    document.update(changes)
    return document


def problems_of(document) -> list[str]:
    with pytest.raises(LayoutError) as refused:
        layout_from_dict(document)
    return refused.value.problems


def test_a_layout_loads_from_a_json_document_with_every_column_as_declared():
    layout = attendance_layout()

    assert (layout.name, layout.version, layout.source_id) == ("school_attendance", 1, "record_id")
    assert layout.description.startswith("Weekly attendance")
    assert [column.name for column in layout.columns] == HEADER
    upn = layout.by_key["upn"]
    assert (upn.type, upn.role, upn.required, upn.identifying) == (ColumnType.UPN, Role.IDENTIFYING, True, True)
    record_id = layout.by_key["record_id"]
    assert (record_id.max_length, record_id.identifying) == (20, False)
    assert layout.by_key["phase"].choices == ("primary", "secondary")
    assert layout.by_key["week_ending"].date_formats == DEFAULT_DATE_FORMATS
    assert layout.label == "school_attendance (version 1)"


def test_the_same_layout_loads_from_a_toml_document():
    toml = """
name = "school_attendance"
version = 1
description = "Weekly attendance"

[[columns]]
name = "upn"
type = "upn"
role = "identifying"
required = true

[[columns]]
name = "week_ending"
type = "date"
role = "fact"
date_formats = ["%d.%m.%Y"]
"""
    layout = layout_from_toml(toml)

    assert [c.name for c in layout.columns] == ["upn", "week_ending"]
    assert layout.by_key["week_ending"].date_formats == ("%d.%m.%Y",)
    assert layout.columns[0] == attendance_layout().by_key["upn"]


def test_a_document_that_is_not_json_is_refused_as_unreadable():
    with pytest.raises(LayoutError) as refused:
        layout_from_json("{name: school}")

    assert refused.value.problems[0].startswith("The layout document cannot be read as JSON: ")


def test_a_document_that_is_not_toml_is_refused_as_unreadable():
    with pytest.raises(LayoutError) as refused:
        layout_from_toml("name = ")

    assert refused.value.problems[0].startswith("The layout document cannot be read as TOML: ")


@given(document=st.one_of(st.none(), st.integers(), st.text(), st.lists(st.integers())))
def test_a_document_that_is_not_a_table_is_refused(document):
    with pytest.raises(LayoutError) as refused:
        layout_from_json(json.dumps(document))

    assert refused.value.problems == [messages.LAYOUT_NOT_A_TABLE]


def test_every_mistake_in_a_document_is_named_at_once():
    document = {"name": "School Attendance", "columns": [], "owner": "x"}

    assert problems_of(document) == [
        messages.LAYOUT_KEY_UNKNOWN.format(keys="owner"),
        messages.LAYOUT_KEY_MISSING.format(key="version"),
        messages.LAYOUT_NAME_INVALID,
        messages.LAYOUT_NO_COLUMNS,
    ]


@pytest.mark.parametrize("version", [0, -1, 1.5, "1", True])
def test_a_version_that_is_not_a_whole_number_from_one_is_refused(version):
    assert problems_of(minimal(version=version)) == [messages.LAYOUT_VERSION_INVALID]


def test_a_description_that_is_not_text_is_refused():
    assert problems_of(minimal(description=["x"])) == [messages.LAYOUT_DESCRIPTION_INVALID]


@pytest.mark.parametrize(
    ("column", "problem"),
    [
        ("not a table", messages.COLUMN_NOT_A_TABLE.format(number=1)),
        ({"type": "text", "role": "fact"}, messages.COLUMN_NAME_INVALID.format(number=1)),
        ({"name": "ref", "role": "fact"}, messages.COLUMN_KEY_MISSING.format(column="ref", key="type")),
        ({"name": "ref", "type": "text"}, messages.COLUMN_KEY_MISSING.format(column="ref", key="role")),
        (
            {"name": "ref", "type": "text", "role": "fact", "width": 3},
            messages.COLUMN_KEY_UNKNOWN.format(column="ref", keys="width"),
        ),
        (
            {"name": "ref", "type": "string", "role": "fact"},
            messages.COLUMN_TYPE_UNKNOWN.format(column="ref", value="string", allowed=", ".join(ColumnType)),
        ),
        (
            {"name": "ref", "type": "text", "role": "secret"},
            messages.COLUMN_ROLE_UNKNOWN.format(column="ref", value="secret", allowed="identifying, fact"),
        ),
        (
            {"name": "ref", "type": "text", "role": "fact", "required": "yes"},
            messages.COLUMN_REQUIRED_INVALID.format(column="ref"),
        ),
        (
            {"name": "ref", "type": "text", "role": "fact", "max_length": 0},
            messages.COLUMN_MAX_LENGTH_INVALID.format(column="ref"),
        ),
        (
            {"name": "ref", "type": "integer", "role": "fact", "max_length": 5},
            messages.COLUMN_MAX_LENGTH_NOT_TEXT.format(column="ref"),
        ),
        ({"name": "ref", "type": "choice", "role": "fact"}, messages.COLUMN_CHOICES_INVALID.format(column="ref")),
        (
            {"name": "ref", "type": "choice", "role": "fact", "choices": ["a", "A"]},
            messages.COLUMN_CHOICES_INVALID.format(column="ref"),
        ),
        (
            {"name": "ref", "type": "text", "role": "fact", "choices": ["a"]},
            messages.COLUMN_CHOICES_NOT_CHOICE.format(column="ref"),
        ),
        (
            {"name": "ref", "type": "date", "role": "fact", "date_formats": ["dd/mm/yyyy"]},
            messages.COLUMN_DATE_FORMATS_INVALID.format(column="ref"),
        ),
        (
            {"name": "ref", "type": "text", "role": "fact", "date_formats": ["%Y"]},
            messages.COLUMN_DATE_FORMATS_NOT_DATE.format(column="ref"),
        ),
        (
            {"name": "ref", "type": "nhs_number", "role": "fact"},
            messages.COLUMN_MUST_IDENTIFY.format(column="ref", type="nhs_number"),
        ),
    ],
)
def test_a_mistaken_column_is_refused_naming_the_column_and_the_key(column, problem):
    assert problems_of(minimal(columns=[column])) == [problem]


def test_a_column_declared_twice_is_refused_whatever_its_case():
    columns = [{"name": "Ref", "type": "text", "role": "fact"}, {"name": "ref", "type": "text", "role": "fact"}]

    assert problems_of(minimal(columns=columns)) == [messages.COLUMN_NAME_REPEATED.format(column="ref")]


def test_a_source_id_must_name_a_required_column_of_the_layout():
    assert problems_of(minimal(source_id="id")) == [messages.SOURCE_ID_UNKNOWN.format(column="id")]
    assert problems_of(minimal(source_id="ref")) == [messages.SOURCE_ID_OPTIONAL.format(column="ref")]
