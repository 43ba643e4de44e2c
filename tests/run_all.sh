#!/usr/bin/env bash
# The whole suite, in two pytest runs: Playwright's event loop clashes with pytest-asyncio,
# so the tests against the running production build (browser and raw socket) run apart.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" REFLEX_USE_NPM=1
export INFOVIEW_TEST_POSTGRES_URL="${INFOVIEW_TEST_POSTGRES_URL:-postgresql+psycopg://infoview_test:infoview_test@127.0.0.1:5432/postgres}"
export INFOVIEW_TEST_REDIS_URL="${INFOVIEW_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"

.venv/bin/ruff check . || exit 1
# The type checker over infoview_app/ ([tool.basedpyright] in pyproject.toml): any error fails.
.venv/bin/basedpyright || exit 1
.venv/bin/pytest tests/unit tests/integration tests/state "$@"
first=$?
.venv/bin/pytest tests/live "$@"
second=$?
# The scale-out configuration (tests/live/scaleout.py): `infoview serve` with two workers on a
# Redis server and a PostgreSQL cluster of its own; the live tests marked `scaleout` (sign-in,
# the six steps, autosave recovery, the network, the staff dashboard, the socket security
# tests) and the fault tests (tests/live/test_faults_e2e.py), on the phone viewport.
INFOVIEW_LIVE_SCALEOUT=1 .venv/bin/pytest tests/live "$@"
third=$?
echo "unit/integration/state: exit $first; live (browser and socket): exit $second;" \
  "live, scale-out: exit $third"
[ "$first" -eq 0 ] && [ "$second" -eq 0 ] && [ "$third" -eq 0 ]
