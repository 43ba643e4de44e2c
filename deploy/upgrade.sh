#!/usr/bin/env bash
# Upgrades InfoView on this host to a release: deploy/upgrade.sh VERSION (a tag or commit).
# Run as root. With several app hosts, stop the service on every host first
# (`systemctl stop infoview.service`), then run this on each: the first to reach the
# migration applies it under PostgreSQL's advisory lock, the others find nothing to do.
#   1. fetch and check out VERSION, install its locked packages (old workers keep serving)
#   2. stop the workers: SIGTERM, Granian finishes the requests in flight (TimeoutStopSec)
#   3. `infoview migrate` under the advisory lock
#   4. `infoview build`: the production frontend, once per release
#   5. start the workers, then wait until /ready answers 200
# Environment: INFOVIEW_HOME (/srv/infoview), INFOVIEW_ENV (/etc/infoview/infoview.env),
# INFOVIEW_USER (infoview), INFOVIEW_PORT (3000, as in infoview.service).
set -euo pipefail

version=${1:?usage: upgrade.sh VERSION}
home=${INFOVIEW_HOME:-/srv/infoview}
env_file=${INFOVIEW_ENV:-/etc/infoview/infoview.env}
user=${INFOVIEW_USER:-infoview}
port=${INFOVIEW_PORT:-3000}

as_app() {
  runuser -u "$user" -- env -C "$home" bash -c 'set -a; source "$0"; set +a; exec "$@"' \
    "$env_file" "$@"
}

as_app git fetch --tags origin
as_app git checkout --detach "$version"
as_app make install
systemctl stop infoview.service
as_app .venv/bin/infoview migrate
as_app .venv/bin/infoview build --port "$port"
systemctl start infoview.service
for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:$port/ready"; then
    echo
    echo "InfoView $version is serving."
    exit 0
  fi
  sleep 2
done
echo "error: /ready did not answer 200 within 120 s: journalctl -u infoview.service" >&2
exit 1
