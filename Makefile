# FairPanel: `make run` serves the demo, `make test` runs every test on SQLite and PostgreSQL.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST ?= 127.0.0.1
PORT ?= 5000
# Each database's pass runs on this many pytest-xdist workers; TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -n $(TEST_WORKERS)
export FLASK_APP := wsgi.py
UV_VERSION := 0.13.8
# Hashed locks for Python 3.11 and later on any platform, pinned to constraints.txt.
LOCK := pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
        -c constraints.txt
export BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run translations test test-sqlite test-postgresql install install-test bytecode system-packages benchmark-tools lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed bytecode

install-test: $(VENV)/.installed-test bytecode

## FairPanel's own modules compiled to bytecode, as an installed wheel's are: where
## PYTHONDONTWRITEBYTECODE is set (as here) Python never writes them, and every command
## compiled some 200 modules from source first (0.1 s of each start-up; issue 17,
## docs/performance.md). checked-hash: a module edited since is known by its content and
## compiled afresh in memory, never run from stale bytecode.
bytecode: $(BIN)/python
	$(BIN)/python -m compileall -q --invalidation-mode checked-hash panel config.py wsgi.py

## Serve the demo on http://127.0.0.1:5000 (creates .venv, migrates, seeds an empty database).
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed
	$(BIN)/flask demo sign-ins
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## Every test, twice: on SQLite, then on a throwaway PostgreSQL cluster.
test: install-test system-packages
	@status=0; \
	echo "== Tests on SQLite"; \
	FAIRPANEL_TEST_DB=sqlite $(PYTEST) $(PYTEST_ARGS) || status=1; \
	echo "== Tests on PostgreSQL"; \
	FAIRPANEL_TEST_DB=postgresql $(PYTEST) $(PYTEST_ARGS) || status=1; \
	exit $$status

test-sqlite: install-test system-packages
	FAIRPANEL_TEST_DB=sqlite $(PYTEST) $(PYTEST_ARGS)

test-postgresql: install-test system-packages
	FAIRPANEL_TEST_DB=postgresql $(PYTEST) $(PYTEST_ARGS)

## Debian packages the tests use: Chromium for browser tests, PostgreSQL for the second run,
## Redis for the shared rate-limit store.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing from Debian"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## What benchmarks/ needs beyond the tests' packages: wrk, for benchmarks/load/wrk.py.
benchmark-tools: install-test system-packages
	@command -v wrk >/dev/null || { echo "Installing wrk from Debian"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }

## Welsh and English (docs/translation.md): extract every marked string into the template
## catalogue, bring each language's catalogue up to date with it (new strings untranslated,
## none dropped silently: see `git diff`), and compile them for the app.
TRANSLATIONS = panel/translations
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k lazy_gettext -k _l -k lazy_ngettext:1,2 \
	  --add-location=file \
	  --sort-output --project FairPanel --copyright-holder FairPanel \
	  --msgid-bugs-address "" -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
	  --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel -q compile --statistics -d $(TRANSLATIONS)

## Refresh the locks from what is installed in .venv: constraints.txt (what `make install`
## pins), then, with the same versions and their hashes, requirements/production.txt (what
## a server installs) and requirements/test.txt (production plus the test tools), compiled
## by uv from a throwaway virtual environment.
lock: install-test
	$(BIN)/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt
	@tools=$$(mktemp -d) && trap 'rm -rf "$$tools"' EXIT && \
	$(PYTHON) -m venv "$$tools" && "$$tools/bin/pip" install --quiet uv==$(UV_VERSION) && \
	"$$tools/bin/uv" $(LOCK) -o requirements/production.txt && \
	"$$tools/bin/uv" $(LOCK) --extra test -o requirements/test.txt

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
