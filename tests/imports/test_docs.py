"""docs/imports.md lists every refusal the importer can give, word for word."""

from pathlib import Path

import pytest

from earlyhelp.imports import messages

DOC = (Path(__file__).resolve().parents[2] / "docs" / "imports.md").read_text(encoding="utf-8")
CONSTANTS = [name for name in vars(messages) if name.isupper()]


@pytest.mark.parametrize("name", CONSTANTS)
def test_the_imports_doc_lists_the_refusal_with_its_constant(name):
    assert f"| `{name}` | {getattr(messages, name)} |" in DOC
