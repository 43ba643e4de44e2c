#!/usr/bin/env bash
# First install of InfoView on one Debian/Ubuntu host (run as root from the checkout that
# will be served, e.g. /srv/infoview): the packages, the infoview user, PostgreSQL's role and
# database, Redis with persistence, the environment file, the locked Python packages, the
# production build, and the systemd units and timers, enabled and started.
# Environment: INFOVIEW_DB_PASSWORD (required: the PostgreSQL role's password),
# INFOVIEW_PORT (3000). Safe to run again: what exists is left as it is.
set -euo pipefail

home=$(cd "$(dirname "$0")/.." && pwd)
port=${INFOVIEW_PORT:-3000}
password=${INFOVIEW_DB_PASSWORD:?set INFOVIEW_DB_PASSWORD to the new PostgreSQL role password}
# It goes into REFLEX_DB_URL as it is: characters that a URL would need escaped are refused.
[[ $password =~ ^[A-Za-z0-9._~-]{16,}$ ]] || {
  echo "error: INFOVIEW_DB_PASSWORD: 16 or more letters, digits, '.', '_', '~' or '-'" >&2; exit 2; }

apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv make git curl \
  postgresql redis-server
id infoview >/dev/null 2>&1 || useradd --system --home-dir "$home" --shell /usr/sbin/nologin infoview
chown -R infoview:infoview "$home"
install -d -o infoview -g infoview -m 0750 /var/backups/infoview

# PostgreSQL: a role and a database of its own (psql quotes both from its variables).
runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -v password="$password" <<'SQL'
SELECT 'CREATE ROLE infoview LOGIN PASSWORD ' || quote_literal(:'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'infoview') \gexec
SELECT 'CREATE DATABASE infoview OWNER infoview'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'infoview') \gexec
SQL

# Redis: persistence on (deploy/redis/infoview.conf), included once from Debian's config.
install -m 0644 "$home/deploy/redis/infoview.conf" /etc/redis/infoview.conf
grep -qx 'include /etc/redis/infoview.conf' /etc/redis/redis.conf \
  || echo 'include /etc/redis/infoview.conf' >> /etc/redis/redis.conf
systemctl restart redis-server.service

# The environment file: the example with a new secret key and the database password.
install -d -m 0750 -g infoview /etc/infoview
if [ ! -f /etc/infoview/infoview.env ]; then
  secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')
  sed -e "s#^INFOVIEW_SECRET_KEY=.*#INFOVIEW_SECRET_KEY=$secret#" \
      -e "s#infoview:CHANGE-ME@#infoview:$password@#" \
      "$home/deploy/infoview.env.example" > /etc/infoview/infoview.env
  chown root:infoview /etc/infoview/infoview.env
  chmod 0640 /etc/infoview/infoview.env
  echo "Edit /etc/infoview/infoview.env (the public address, mail server, time zone)," \
       "then run this again."
  exit 0
fi

runuser -u infoview -- make -C "$home" install
runuser -u infoview -- env -C "$home" bash -c \
  'set -a; source /etc/infoview/infoview.env; set +a; .venv/bin/infoview migrate &&
   .venv/bin/infoview build --port "$0"' "$port"

for unit in "$home"/deploy/systemd/*.service "$home"/deploy/systemd/*.timer; do
  sed "s#/srv/infoview#$home#g" "$unit" > "/etc/systemd/system/$(basename "$unit")"
done
systemctl daemon-reload
systemctl enable --now infoview.service infoview-reminders.timer infoview-backup.timer
echo "InfoView is starting on 127.0.0.1:$port: put deploy/Caddyfile or deploy/nginx in front."
