"""docs/history-import.md describes every file of the bundle, every column, and every refusal, word for word."""

from pathlib import Path

import pytest

from earlyhelp.history import bundle, rules, services

DOC = (Path(__file__).resolve().parents[2] / "docs" / "history-import.md").read_text(encoding="utf-8")


def _section(file_name: str) -> str:
    start = DOC.index(f"### {file_name}\n")
    end = DOC.find("\n### ", start + 1)
    return DOC[start : end if end != -1 else None]


@pytest.mark.parametrize("bundle_file", bundle.FILES, ids=lambda f: f.name)
def test_the_doc_has_a_section_naming_every_column_of_each_file(bundle_file):
    section = _section(bundle_file.name)
    for column in bundle_file.layout.columns:
        assert f"| `{column.name}` |" in section, column.name


MESSAGES = [
    *(getattr(rules, name) for name in dir(rules) if name.isupper() and not name.startswith("RULE_")),
    services.LOCALITY_UNKNOWN,
    services.AGENCY_UNKNOWN,
    services.CHANGED,
    services.NO_SOCIAL_CARE_TEAM,
    services.UPN_TAKEN,
    services.REFUSED_BY_DATABASE,
]


@pytest.mark.parametrize("message", MESSAGES)
def test_the_doc_lists_every_refusal(message):
    assert f"| {message} |" in DOC
