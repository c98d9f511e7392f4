"""`make security` fails on a known vulnerability and says so visibly when it could not check."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from pip_audit_gate import verdict


def _report(*dependencies: dict) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_the_build():
    status, message = verdict(
        _report(
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
            {"name": "segno", "version": "1.6.6", "vulns": []},
        )
    )
    assert status == 1
    assert "django 5.2.0: PYSEC-2025-1" in message


def test_an_unreachable_advisory_source_is_a_visible_skip_not_a_failure():
    status, message = verdict("")
    assert status == 0
    assert message.startswith("pip-audit SKIPPED")


def test_a_source_that_audits_nothing_is_a_skip_not_a_pass():
    status, message = verdict(_report({"name": "django", "version": "5.2.19", "skip_reason": "not found on PyPI"}))
    assert status == 0
    assert "SKIPPED" in message
    assert "NOT checked" in message


def test_a_clean_audit_passes_and_says_how_many_were_checked():
    status, message = verdict(_report({"name": "django", "version": "5.2.19", "vulns": []}))
    assert (status, message) == (0, "pip-audit: no known vulnerabilities in 1 pinned packages.")
