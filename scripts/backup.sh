#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL to one file in pg_dump's custom format
# (compressed; restore with scripts/restore.sh). Usage: scripts/backup.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."

url="${DATABASE_URL:-}"
if [[ "$url" != postgres* ]]; then
  echo "DATABASE_URL must name a PostgreSQL database (postgres://user@host:port/name)." >&2
  exit 2
fi
file="${1:-var/backups/earlyhelp-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$file")"
umask 077  # the backup holds everything the database does: readable by its owner only
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$file" --dbname="$url"
echo "Backed up to $file ($(du -h "$file" | cut -f1))."
