#!/usr/bin/env bash
# Back up the tracker's PostgreSQL database with pg_dump (custom format, compressed).
#
#   DATABASE_URL=postgres://user:pass@host:5432/tracker scripts/backup.sh [OUTPUT_FILE]
#
# OUTPUT_FILE defaults to backups/tracker-<UTC timestamp>.dump. The dump is written to a
# temporary file, checked with `pg_restore --list`, then renamed, so a failed run never leaves
# a truncated file under the final name. pg_dump must be the server's major version or newer;
# PG_BIN=/usr/lib/postgresql/16/bin picks a specific one. Prints the path of the dump.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must point at the database to back up}"
bin="${PG_BIN:+${PG_BIN%/}/}"
out="${1:-backups/tracker-$(date -u +%Y%m%dT%H%M%SZ).dump}"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp "${out}.partial.XXXXXX")"
trap 'rm -f "$tmp"' EXIT

"${bin}pg_dump" --dbname="$DATABASE_URL" --format=custom --compress=6 \
  --no-owner --no-privileges --file="$tmp"
"${bin}pg_restore" --list "$tmp" >/dev/null
mv "$tmp" "$out"
trap - EXIT
echo "$out"
