#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL, each pass spread over pytest-xdist workers.
# PostgreSQL is DATABASE_URL when it names one, else the server on 127.0.0.1:5432 if it answers
# (database TEST_PG_NAME, default `earlyhelp`; the test databases are test_<name>_gw0, _gw1, ...).
# Under CI=true PostgreSQL is required.
#
#   TEST_WORKERS=N       xdist workers per pass (default 2; 0 runs each pass in one process)
#   TEST_CONCURRENT=0    run the PostgreSQL pass after the SQLite pass instead of beside it
#   TEST_CHECKS="lint security"
#                        Makefile targets run beside the passes (`make test` names lint and the security
#                        checks): mypy and bandit use one core each for about half a minute, and pip-audit
#                        mostly waits on the network, so beside the passes they take little of the run's
#                        time, where before them the second core stood idle. Their output is printed whole
#                        when they end, after the passes; a failure fails the script like a failed pass.
#
# The SQLite pass runs every test. The PostgreSQL pass runs the tests that touch the database and
# those marked `postgres` (EARLY_HELP_TESTS=database, tests/conftest.py): a test that never reaches
# the database gives the same answer on both, so it runs once.
#
# Extra arguments go to both pytest runs. Each pass keeps its own database: the SQLite pass uses
# Django's in-memory test database, one per worker process; the PostgreSQL pass one database per
# worker. The SQLite pass prints as it goes; the PostgreSQL pass, when run beside it, is printed
# whole once it ends. Both passes always run; any non-zero pytest status (5, no tests ran,
# included) fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test
# A pass starts many Python processes (the pytest runs, their workers, the servers and commands some tests
# start), and each would otherwise compile every module of the project and rewrite every test module again
# where PYTHONDONTWRITEBYTECODE is set: the first writes the caches (in __pycache__, which git ignores) and the
# others read them.
unset PYTHONDONTWRITEBYTECODE
workers="${TEST_WORKERS:-2}"
concurrent="${TEST_CONCURRENT:-1}"

pg_url="${DATABASE_URL:-}"
if [[ "$pg_url" != postgres* ]]; then
  pg_url=""
  if "$BIN/python" - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
PY
  then
    pg_url="postgres://postgres@127.0.0.1:5432/${TEST_PG_NAME:-earlyhelp}"
  fi
fi
if [[ -z "$pg_url" && "${CI:-}" == "true" ]]; then
  echo "PostgreSQL is required under CI=true, and none answers on 127.0.0.1:5432 (set DATABASE_URL)." >&2
  exit 1
fi

# loadgroup: tests marked xdist_group (tests/conftest.py) share one worker. `-n 0` runs the pass
# in this one process, and xdist then ignores --dist.
# --durations: each pass ends with its twenty slowest tests, where the suite's time goes.
pytest_args=(-n "$workers" --dist loadgroup --durations=20 "$@")

# Says which pass failed and why; returns pytest's status ($2) unchanged.
check_pass() {
  local label="$1" status="$2"
  case "$status" in
    0) ;;
    5) echo "== $label: pytest collected no tests (exit 5); that counts as a failure." >&2 ;;
    *) echo "== $label: pytest exited with status $status." >&2 ;;
  esac
  return "$status"
}

sqlite_url="sqlite:///$(pwd)/var/test.sqlite3"
sqlite_status=0
pg_status=0
checks_status=0

# Background jobs ignore Ctrl-C, so stop them (and remove their logs) however the script ends.
background=()
logs=()
cleanup() {
  for pid in "${background[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -f "${logs[@]}"
}
trap cleanup EXIT

checks="${TEST_CHECKS:-}"
if [[ -n "$checks" ]]; then
  checks_log="$(mktemp)"
  logs+=("$checks_log")
  echo "== Checks (make $checks): run beside the suite and printed when they end"
  # shellcheck disable=SC2086 # the targets are words
  make --no-print-directory $checks >"$checks_log" 2>&1 &
  checks_pid=$!
  background+=("$checks_pid")
fi

if [[ -n "$pg_url" && "$concurrent" != "0" ]]; then
  log="$(mktemp)"
  logs+=("$log")
  echo "== Test suite on PostgreSQL: runs beside the SQLite pass and is printed when it ends"
  EARLY_HELP_TESTS=database DATABASE_URL="$pg_url" "$BIN/pytest" "${pytest_args[@]}" >"$log" 2>&1 &
  pg_pid=$!
  background+=("$pg_pid")
  echo "== Test suite on SQLite"
  DATABASE_URL="$sqlite_url" "$BIN/pytest" "${pytest_args[@]}" || sqlite_status=$?
  check_pass "SQLite" "$sqlite_status" || true
  wait "$pg_pid" || pg_status=$?
  echo "== Test suite on PostgreSQL"
  cat "$log"
  check_pass "PostgreSQL" "$pg_status" || true
else
  echo "== Test suite on SQLite"
  DATABASE_URL="$sqlite_url" "$BIN/pytest" "${pytest_args[@]}" || sqlite_status=$?
  check_pass "SQLite" "$sqlite_status" || true
  if [[ -n "$pg_url" ]]; then
    echo "== Test suite on PostgreSQL"
    EARLY_HELP_TESTS=database DATABASE_URL="$pg_url" "$BIN/pytest" "${pytest_args[@]}" || pg_status=$?
    check_pass "PostgreSQL" "$pg_status" || true
  fi
fi

if [[ -n "$checks" ]]; then
  wait "$checks_pid" || checks_status=$?
  echo "== Checks (make $checks)"
  cat "$checks_log"
  ((checks_status == 0)) || echo "== Checks: make $checks exited with status $checks_status." >&2
fi

if [[ -z "$pg_url" ]]; then
  echo "== PostgreSQL skipped: no server answers on 127.0.0.1:5432 and DATABASE_URL is not set."
fi
if ((sqlite_status != 0 || pg_status != 0 || checks_status != 0)); then
  echo "== Failed: SQLite pass status $sqlite_status, PostgreSQL pass status $pg_status, checks status $checks_status." >&2
  exit 1
fi
