#!/usr/bin/env bash
# Static security checks for `make test`: bandit over the product's code (configured in
# pyproject.toml), and pip-audit over the exact pins in requirements/constraints.txt and load.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== bandit"
"$BIN/bandit" -q -c pyproject.toml -r earlyhelp config scripts

echo "== pip-audit"
report=$(timeout 300 "$BIN/pip-audit" -r requirements/constraints.txt -r requirements/load.txt --no-deps --disable-pip \
  --progress-spinner off --format json 2>/dev/null || true)
"$BIN/python" scripts/pip_audit_gate.py <<<"$report"
