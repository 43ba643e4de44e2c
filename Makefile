# The two commands of the README. Both keep the virtual environment in .venv/.
#   make run   serve the production build on http://localhost:3000 (SQLite by default)
#   make test  install what the tests need (Chromium, PostgreSQL) and run the whole suite
# Both install exactly the packages of a lock file (requirements/*.lock: every package pinned,
# with hashes), then the project itself; `make lock` writes the lock files from pyproject.toml.
SHELL := /bin/bash
VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1
PYTHON ?= python3
PIP := $(VENV)/bin/pip --quiet --disable-pip-version-check

.PHONY: run test install install-test lock

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# --no-deps: the lock already lists every dependency, so pip resolves nothing of its own.
# The project is installed editable without build isolation: its build backend (setuptools)
# comes from the lock too instead of whatever the index serves that day.
define install_locked
	$(PIP) install --require-hashes --no-deps -r $(1)
	$(PIP) install --no-deps --no-build-isolation -e .
	$(PIP) check
endef

install: $(VENV)/bin/python
	$(call install_locked,requirements/run.lock)

install-test: $(VENV)/bin/python
	$(call install_locked,requirements/test.lock)

# Production mode requires INFOVIEW_SECRET_KEY (it signs the reminder emails' unsubscribe
# links): unless one is set, this machine's own is generated once into .infoview-secret-key.
run: install
	$(VENV)/bin/infoview migrate
	@test -n "$$INFOVIEW_SECRET_KEY" || test -s .infoview-secret-key || \
		(umask 077 && $(VENV)/bin/python -c "import secrets; print(secrets.token_urlsafe(32))" \
		> .infoview-secret-key)
	INFOVIEW_SECRET_KEY="$${INFOVIEW_SECRET_KEY:-$$(cat .infoview-secret-key)}" \
		$(VENV)/bin/reflex run --env prod

test: install-test
	bash tests/setup_services.sh
	bash tests/run_all.sh

# Resolves for every platform from Python 3.11 on (markers keep platform-only packages out
# where they don't apply) with uv, in a throwaway environment. Existing pins are kept: only
# what pyproject.toml newly asks for is resolved. LOCK_ARGS=--upgrade moves every package to
# the newest allowed version, LOCK_ARGS='--upgrade-package NAME' one package. The run lock is
# constrained by the test lock, so the two never disagree on a version.
UV_VERSION := 0.13.8
LOCK_ARGS ?=
COMPILE = "$$tools/bin/uv" pip compile --quiet pyproject.toml --group pyproject.toml:build --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)

lock:
	tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && \
	"$$tools/bin/pip" install --quiet --disable-pip-version-check uv==$(UV_VERSION) && \
	$(COMPILE) --extra test -o requirements/test.lock && \
	$(COMPILE) -c requirements/test.lock -o requirements/run.lock
