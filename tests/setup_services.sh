#!/usr/bin/env bash
# Installs and starts what the tests need and no Python package brings: a Chromium for
# Playwright (Debian's; INFOVIEW_CHROMIUM may name another), a PostgreSQL server with a
# role that may create the test databases, and a Redis server (throttling's shared counts
# when several workers run), and systemd-analyze for the deployment's units. Idempotent.
set -euo pipefail

missing=()
[ -x "${INFOVIEW_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
# systemd-analyze verify checks deploy/systemd/ (tests/unit/test_deploy_docs.py).
command -v systemd-analyze >/dev/null || missing+=(systemd)
# deploy/backup.sh and restore.sh on SQLite (tests/integration/test_backup_restore.py).
command -v sqlite3 >/dev/null || missing+=(sqlite3)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if [ ! -d "/etc/postgresql/$version/main" ]; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'infoview_test') THEN
    CREATE ROLE infoview_test LOGIN CREATEDB PASSWORD 'infoview_test';
  END IF;
END $$;
SQL
echo "PostgreSQL $version is up on 127.0.0.1:5432 (role infoview_test)."

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
fi
for _ in $(seq 1 30); do
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
  sleep 1
done
echo "Redis is up on 127.0.0.1:6379."
