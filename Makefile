# The two commands of the README. Both keep the virtual environment in .venv/.
#   make run   serve the production build on http://localhost:3000 (SQLite by default)
#   make test  install what the tests need (Chromium, PostgreSQL) and run the whole suite
SHELL := /bin/bash
VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
export REFLEX_USE_NPM := 1
PYTHON ?= python3

.PHONY: run test install install-test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

install: $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e .

install-test: $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'

run: install
	$(VENV)/bin/infoview migrate
	$(VENV)/bin/reflex run --env prod

test: install-test
	bash tests/setup_services.sh
	bash tests/run_all.sh
