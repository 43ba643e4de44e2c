# Sourced by backup.sh and restore.sh: turns a database URL (REFLEX_DB_URL's form,
# postgresql+psycopg://user:password@host:port/name or sqlite:///path) into what the
# PostgreSQL tools read (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), so that no password
# appears on a command line, where every user of the host could read it in the process list.
# Usage: db_env URL   sets DB_KIND (postgresql or sqlite) and, for SQLite, SQLITE_PATH.
db_env() {
  local url=$1
  case "$url" in
    postgresql*://*)
      DB_KIND=postgresql
      # Python's own URL parser (percent-escapes undone), not a regular expression.
      eval "$(python3 - "$url" <<'PY'
import shlex, sys
from urllib.parse import unquote, urlsplit
parts = urlsplit(sys.argv[1])
values = {"PGHOST": parts.hostname or "", "PGPORT": str(parts.port or ""),
          "PGUSER": unquote(parts.username or ""), "PGPASSWORD": unquote(parts.password or ""),
          "PGDATABASE": unquote(parts.path.lstrip("/"))}
for name, value in values.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
    else:
        print(f"unset {name}")
PY
)"
      ;;
    sqlite:///*)
      DB_KIND=sqlite
      SQLITE_PATH=${url#sqlite:///}
      ;;
    *)
      echo "error: unsupported database URL (postgresql+psycopg://... or sqlite:///...)" >&2
      return 2
      ;;
  esac
}
