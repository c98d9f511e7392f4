#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL. PostgreSQL is DATABASE_URL when it names one,
# else the server on 127.0.0.1:5432 if it answers. Under CI=true PostgreSQL is required.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=config.settings.test

pg_url="${DATABASE_URL:-}"
if [[ "$pg_url" != postgres* ]]; then
  pg_url=""
  if "$BIN/python" - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
PY
  then
    pg_url="postgres://postgres@127.0.0.1:5432/earlyhelp"
  fi
fi

echo "== Test suite on SQLite"
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" "$BIN/pytest" "$@"

if [[ -n "$pg_url" ]]; then
  echo "== Test suite on PostgreSQL"
  DATABASE_URL="$pg_url" "$BIN/pytest" "$@"
elif [[ "${CI:-}" == "true" ]]; then
  echo "PostgreSQL is required under CI=true, and none answers on 127.0.0.1:5432 (set DATABASE_URL)." >&2
  exit 1
else
  echo "== PostgreSQL skipped: no server answers on 127.0.0.1:5432 and DATABASE_URL is not set."
fi
