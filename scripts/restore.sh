#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the PostgreSQL database named by
# RESTORE_DATABASE_URL (or DATABASE_URL). The target must exist and be empty, so a restore never
# mixes with live data; it runs in one transaction and stops at the first error.
# Usage: scripts/restore.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."

file="${1:-}"
url="${RESTORE_DATABASE_URL:-${DATABASE_URL:-}}"
if [[ -z "$file" || ! -f "$file" ]]; then
  echo "Usage: scripts/restore.sh FILE (a backup made by scripts/backup.sh)" >&2
  exit 2
fi
if [[ "$url" != postgres* ]]; then
  echo "RESTORE_DATABASE_URL or DATABASE_URL must name a PostgreSQL database." >&2
  exit 2
fi
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$url" \
  --command="SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [[ "$tables" != "0" ]]; then
  echo "The target database is not empty ($tables tables). Restore into a new, empty database." >&2
  exit 1
fi
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$url" "$file"
echo "Restored $file. Check it: DATABASE_URL=<target> .venv/bin/python manage.py verify_audit"
