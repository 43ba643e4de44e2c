#!/usr/bin/env bash
# Restores a backup made by deploy/backup.sh into a FRESH database, never over a live one.
#   deploy/restore.sh BACKUP_FILE TARGET_DATABASE_URL
# PostgreSQL (a .dump): the target database is created when missing (the role needs
# CREATEDB; or create it empty first as the postgres user); one that already has tables is
# refused. The restore is one transaction: it lands whole or not at all.
# SQLite (a .sqlite3): checked with PRAGMA integrity_check, then copied to the target path,
# which must not exist yet.
# Afterwards point REFLEX_DB_URL at the target and run `infoview migrate` (a no-op for a
# backup of the same version; it brings an older backup up to date) before starting the app.
set -euo pipefail
source "$(dirname "$0")/db_env.sh"

backup=${1:?usage: restore.sh BACKUP_FILE TARGET_DATABASE_URL}
url=${2:?usage: restore.sh BACKUP_FILE TARGET_DATABASE_URL}
[ -f "$backup" ] || { echo "error: no backup file $backup" >&2; exit 2; }
db_env "$url"

if [ "$DB_KIND" = postgresql ]; then
  target=$PGDATABASE
  # psql quotes the name (:'name'); variables are read from standard input, not from -c.
  exists=$(PGDATABASE=postgres psql --no-password -tA -v ON_ERROR_STOP=1 -v name="$target" \
    <<< "SELECT 1 FROM pg_database WHERE datname = :'name'")
  if [ "$exists" != 1 ]; then
    PGDATABASE=postgres createdb --no-password "$target"
  fi
  tables=$(psql --no-password -tA -v ON_ERROR_STOP=1 \
    -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
  if [ "$tables" != 0 ]; then
    echo "error: database $target already has $tables tables: restore into a fresh one" >&2
    exit 2
  fi
  pg_restore --no-password --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="$target" "$backup"
else
  [ ! -e "$SQLITE_PATH" ] || { echo "error: $SQLITE_PATH exists: restore to a new path" >&2; exit 2; }
  check=$(sqlite3 "$backup" "PRAGMA integrity_check")
  [ "$check" = ok ] || { echo "error: $backup fails its integrity check: $check" >&2; exit 2; }
  umask 077
  cp "$backup" "$SQLITE_PATH.partial"
  mv "$SQLITE_PATH.partial" "$SQLITE_PATH"
  target=$SQLITE_PATH
fi
echo "Restored $backup into $target."
