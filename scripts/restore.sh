#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into the database named by DATABASE_URL.
#
#   DATABASE_URL=postgres://user:pass@host:5432/tracker_restored scripts/restore.sh DUMP_FILE [--clean]
#
# By default the target must be empty (a freshly created database): the script refuses to mix a
# backup into live data. --clean drops the objects of the dump first (restoring over an existing
# copy of the tracker). The restore runs in one transaction: it applies entirely or not at all.
# Stop web, worker and beat first when restoring the production database.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must point at the database to restore into}"
dump="${1:?usage: scripts/restore.sh DUMP_FILE [--clean]}"
mode="${2:-}"
bin="${PG_BIN:+${PG_BIN%/}/}"
[ -r "$dump" ] || { echo "cannot read $dump" >&2; exit 2; }

"${bin}pg_restore" --list "$dump" >/dev/null

tables="$("${bin}psql" "$DATABASE_URL" -XAtqc \
  "select count(*) from information_schema.tables where table_schema = 'public'")"
clean=()
if [ "$tables" != "0" ]; then
  if [ "$mode" != "--clean" ]; then
    echo "refusing: the target database already has $tables tables (use --clean to replace them)" >&2
    exit 3
  fi
  clean=(--clean --if-exists)
fi

"${bin}pg_restore" --dbname="$DATABASE_URL" --no-owner --no-privileges --exit-on-error \
  --single-transaction "${clean[@]}" "$dump"
"${bin}psql" "$DATABASE_URL" -XAtqc "ANALYZE" >/dev/null
echo "restored $dump"
