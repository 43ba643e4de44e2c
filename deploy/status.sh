#!/usr/bin/env bash
# What to watch on an InfoView host, in one look (run as root or a journal reader):
# the units, readiness, the last reminder and backup runs, and the past hour's warnings.
# INFOVIEW_PORT: the workers' port (3000, as in infoview.service).
set -uo pipefail
port=${INFOVIEW_PORT:-3000}

systemctl --no-pager status infoview.service | head -n 5
systemctl --no-pager list-timers 'infoview-*'
echo "readiness: $(curl -sS -m 5 "http://127.0.0.1:$port/ready")"
echo "last reminder run:"
journalctl -u infoview-reminders.service -n 3 --no-pager -o cat
echo "last backup:"
journalctl -u infoview-backup.service -n 2 --no-pager -o cat
echo "past hour: state locks held too long (queues near the lock expiry):"
journalctl -u infoview.service --since -1h --no-pager -o cat | grep -c "held too long"
echo "past hour: server errors (tracebacks, 5xx):"
journalctl -u infoview.service --since -1h --no-pager -o cat | grep -cE "Traceback| 5[0-9][0-9] "
