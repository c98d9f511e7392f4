"""Decide what pip-audit's JSON report means for `make security`.

Exit 1 when any pinned dependency has a known vulnerability; exit 0 with a visible SKIPPED line
when the advisory source could not be reached or audited none of the packages (no network,
or a mirror that knows none of them); exit 0 when every package was audited and none is affected.
Usage: pip-audit -f json ... | python scripts/pip_audit_gate.py
"""

import json
import sys

SKIPPED = "pip-audit SKIPPED: {why}. Dependencies were NOT checked for known vulnerabilities."


def verdict(report_text: str) -> tuple[int, str]:
    try:
        report = json.loads(report_text)
    except json.JSONDecodeError:
        return 0, SKIPPED.format(why="the advisory source could not be reached")
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    if vulnerable:
        lines = [
            f"  {d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
            for d in sorted(vulnerable, key=lambda d: d["name"].lower())
        ]
        return 1, "pip-audit FAILED: known vulnerabilities in pinned dependencies:\n" + "\n".join(lines)
    audited = [d for d in dependencies if "skip_reason" not in d]
    if not audited:
        return 0, SKIPPED.format(why=f"the advisory source audited none of the {len(dependencies)} packages")
    skipped = len(dependencies) - len(audited)
    note = f" ({skipped} could not be audited)" if skipped else ""
    return 0, f"pip-audit: no known vulnerabilities in {len(audited)} pinned packages{note}."


if __name__ == "__main__":
    status, message = verdict(sys.stdin.read())
    print(message, file=sys.stderr if status or "SKIPPED" in message else sys.stdout)
    sys.exit(status)
