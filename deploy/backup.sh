#!/usr/bin/env bash
# A backup of InfoView's database, then only the newest INFOVIEW_BACKUP_KEEP backups kept.
# Run it from a systemd timer (deploy/systemd/infoview-backup.timer) or cron, as a user that
# can write INFOVIEW_BACKUP_DIR and with the app's environment file loaded.
#   PostgreSQL: pg_dump -Fc (custom format: compressed, restored with deploy/restore.sh)
#   SQLite:     sqlite3's online .backup (consistent while the app keeps writing)
# Environment: REFLEX_DB_URL (the app's database), INFOVIEW_BACKUP_DIR
# (default /var/backups/infoview), INFOVIEW_BACKUP_KEEP (default 14).
# Prints the path of the new backup. A failed run leaves no partial file and deletes nothing.
set -euo pipefail
source "$(dirname "$0")/db_env.sh"

url=${REFLEX_DB_URL:?set REFLEX_DB_URL to the app database URL}
dir=${INFOVIEW_BACKUP_DIR:-/var/backups/infoview}
keep=${INFOVIEW_BACKUP_KEEP:-14}
[[ $keep =~ ^[1-9][0-9]*$ ]] || { echo "error: INFOVIEW_BACKUP_KEEP must be 1 or more" >&2; exit 2; }
db_env "$url"
umask 077
mkdir -p "$dir"

# UTC, to the nanosecond: names sort in the order the backups were made.
stamp=$(date -u +%Y%m%dT%H%M%S.%NZ)
if [ "$DB_KIND" = postgresql ]; then
  target="$dir/infoview-$stamp.dump"
  pg_dump --format=custom --no-password --file="$target.partial"
else
  target="$dir/infoview-$stamp.sqlite3"
  [ -f "$SQLITE_PATH" ] || { echo "error: no SQLite database at $SQLITE_PATH" >&2; exit 2; }
  sqlite3 "$SQLITE_PATH" ".timeout 10000" ".backup '$target.partial'"
fi
trap 'rm -f "$target.partial"' EXIT
mv "$target.partial" "$target"
trap - EXIT

# Retention: the newest $keep of this kind stay.
mapfile -t old < <(find "$dir" -maxdepth 1 -type f -name "infoview-*.${target##*.}" \
  | sort -r | tail -n +"$((keep + 1))")
if [ ${#old[@]} -gt 0 ]; then
  rm -f -- "${old[@]}"
fi
echo "$target"
