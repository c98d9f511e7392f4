"""The standard shipped with the directory is the shared copy of Open Referral UK 3.0, unchanged."""

from pathlib import Path

import pytest

from earlyhelp.directory.standard import STANDARD_DIR

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "oruk"


def _shipped() -> list[Path]:
    return sorted(path for path in STANDARD_DIR.rglob("*") if path.is_file() and path.name != "SOURCE.md")


def test_the_licence_travels_with_the_standard():
    assert "Creative Commons Attribution-ShareAlike 4.0" in (STANDARD_DIR / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared standards folder is not beside this checkout")
@pytest.mark.parametrize("path", _shipped(), ids=lambda path: str(path.relative_to(STANDARD_DIR)))
def test_each_shipped_file_matches_the_shared_standard(path):
    assert path.read_bytes() == (SHARED / path.relative_to(STANDARD_DIR)).read_bytes()
