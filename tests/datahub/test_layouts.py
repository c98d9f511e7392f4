"""The shipped layouts, a council's own added by configuration, and docs/datasets.md describing every column."""

import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.datahub import messages
from earlyhelp.datahub.catalogue import SHIPPED, layout_catalogue
from earlyhelp.imports.layouts import ColumnType

DOCS = Path(__file__).resolve().parents[2] / "docs" / "datasets.md"
SHIPPED_NAMES = {
    "school_attendance",
    "police_domestic_abuse",
    "health_concerns",
    "housing",
    "substance_misuse",
    "youth_justice",
    "worklessness",
    "social_care_referrals",
    "social_care_assessments",
    "social_care_episodes",
}
# The standard columns the linkage model reads (docs/matching.md); an identifying column is one of them.
LINKAGE_COLUMNS = {"given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number", "upn"}


def test_every_partner_source_has_a_shipped_layout():
    assert set(layout_catalogue()) == SHIPPED_NAMES


@pytest.mark.parametrize("name", sorted(SHIPPED_NAMES))
def test_each_shipped_layout_identifies_people_by_the_linkage_columns_and_has_a_source_id(name):
    layout = layout_catalogue()[name]
    identifying = {column.name for column in layout.columns if column.identifying}
    assert identifying
    assert identifying <= LINKAGE_COLUMNS
    assert layout.source_id == "record_id"
    assert any(not column.identifying and column.name != "record_id" for column in layout.columns)


def test_the_attendance_layout_holds_sessions_suspensions_and_permanent_exclusion_per_pupil_per_term():
    columns = {column.name: column for column in layout_catalogue()["school_attendance"].columns}
    # A child newly arrived or educated at home has no UPN yet: the row is matched on the other columns.
    assert not columns["upn"].required
    assert columns["upn"].identifying
    assert columns["term"].choices == ("autumn", "spring", "summer")
    assert {columns[name].type for name in ("sessions_possible", "sessions_missed", "suspensions")} == {
        ColumnType.INTEGER
    }
    assert columns["permanent_exclusion"].type == ColumnType.BOOLEAN


def test_a_council_adds_a_layout_by_naming_a_folder_of_layout_documents(settings, tmp_path):
    document = {
        "name": "early_years_funding",
        "version": 1,
        "source_id": "record_id",
        "columns": [
            {"name": "record_id", "type": "text", "role": "fact", "required": True},
            {"name": "family_name", "type": "text", "role": "identifying"},
            {"name": "funded_hours", "type": "integer", "role": "fact"},
        ],
    }
    (tmp_path / "early_years_funding.json").write_text(json.dumps(document))
    settings.DATAHUB_LAYOUT_DIRS = [str(tmp_path)]
    assert layout_catalogue()["early_years_funding"].columns[2].name == "funded_hours"
    assert set(layout_catalogue()) > SHIPPED_NAMES


def test_a_broken_council_layout_is_named_with_every_mistake(settings, tmp_path):
    (tmp_path / "broken.json").write_text(json.dumps({"name": "Broken!", "version": 0, "columns": []}))
    settings.DATAHUB_LAYOUT_DIRS = [str(tmp_path)]
    with pytest.raises(ImproperlyConfigured, match=re.escape(str(tmp_path / "broken.json"))) as refused:
        layout_catalogue()
    assert "The layout's version must be a whole number of 1 or more" in str(refused.value)


def test_a_council_layout_may_not_take_a_shipped_name(settings, tmp_path):
    (tmp_path / "mine.json").write_text((SHIPPED / "housing.json").read_text())
    settings.DATAHUB_LAYOUT_DIRS = [str(tmp_path)]
    with pytest.raises(ImproperlyConfigured, match="Two layout documents are named 'housing'"):
        layout_catalogue()


def test_a_missing_layout_folder_is_named(settings, tmp_path):
    settings.DATAHUB_LAYOUT_DIRS = [str(tmp_path / "nowhere")]
    with pytest.raises(ImproperlyConfigured) as refused:
        layout_catalogue()
    assert str(refused.value) == messages.LAYOUT_FOLDER_MISSING.format(folder=tmp_path / "nowhere")


@pytest.mark.parametrize("name", sorted(SHIPPED_NAMES))
def test_docs_describe_every_column_of_each_shipped_layout(name):
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.MULTILINE))
    assert documented == {column.name for column in layout_catalogue()[name].columns}


def test_docs_list_every_refusal_of_the_data_hub():
    text = DOCS.read_text(encoding="utf-8")
    constants = [name for name in dir(messages) if name.isupper()]
    assert [name for name in constants if f"`{name}`" not in text] == []
