# The two set-up commands are `make run` and `make test`; everything else is what they call.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SETTINGS ?= config.settings.local
ONLY ?=
# Python writes each module's compiled bytecode (in __pycache__, which git ignores) the first time a process imports
# it, and every later process reads it: where the machine sets PYTHONDONTWRITEBYTECODE, every command, server and
# test worker would compile the whole project and its libraries again at each start (about 1.7 s of a core for
# `django.setup()` alone on the development machine, against 0.9 s with the caches).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup system run test lint bench spark-test browser assets clean security backup restore release serve worker serve-all

## setup: create or update .venv and the front-end assets (both run and test call it)
setup: system $(VENV)/.installed earlyhelp/static/build/app.css

## system: Debian libraries WeasyPrint needs to print plans and exports as PDF (installed once)
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
system:
	@ldconfig -p | grep -q libpangoft2-1.0 && ldconfig -p | grep -q libharfbuzz-subset || { \
	  echo "Installing $(PDF_LIBS) from Debian's packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; }

# uv installs the pinned requirements (the same versions pip would; docs/decisions/0009-uv-installs.md), about ten
# times faster than pip: pip brings uv, at its pinned version, into the environment first.
$(VENV)/.installed: requirements/base.txt requirements/dev.txt requirements/constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv -c requirements/constraints.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/dev.txt -c requirements/constraints.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

earlyhelp/static/build/app.css: node_modules/.installed frontend/app.scss
	@mkdir -p earlyhelp/static/build
	npm run --silent build

## run: serve the app on http://127.0.0.1:$(PORT) with the embedded SQLite database and demo data
run: setup
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python manage.py migrate --no-input -v0
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python manage.py seed_demo --if-empty
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python manage.py demo_users
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## browser: Debian's chromium for the browser tests (never a downloaded browser)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

## lint: ruff (lint and format), mypy, the import-linter floors contract, djlint on templates
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/djlint earlyhelp/templates --lint

## test: the whole suite on SQLite and on PostgreSQL, with lint and the security checks run beside it
test: setup browser
	TEST_CHECKS="lint security" scripts/test.sh

## bench: every benchmark, one JSON line per figure (ONLY=<name> for one)
bench: setup var/load-venv/.installed
	DJANGO_SETTINGS_MODULE=config.settings.bench $(BIN)/python -m bench $(ONLY)

# Locust for the load benchmark, in its own environment: it brings gevent and a pytest plugin.
var/load-venv/.installed: requirements/load.txt
	@test -x var/load-venv/bin/python || $(PYTHON) -m venv var/load-venv
	var/load-venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/load.txt
	touch $@

## spark-test: the linkage model scored on Splink's Spark backend in local mode gives DuckDB's links
## (installs the pinned pyspark first, about 300 MB, so make test does not carry it; needs Java 17)
spark-test: setup
	$(BIN)/python -m pip install --quiet -r requirements/spark.txt -c requirements/constraints.txt
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n 0 tests/matching/test_spark.py

clean:
	rm -rf $(VENV) node_modules earlyhelp/static/build var/*.sqlite3*

## security: bandit over the code and pip-audit over the pins (a visible skip when offline)
security: setup
	scripts/security.sh

## backup: pg_dump of DATABASE_URL to var/backups/ (FILE=<path> to choose); see docs/security.md
backup:
	scripts/backup.sh $(FILE)

## restore: restore FILE=<path> into the empty database RESTORE_DATABASE_URL (or DATABASE_URL)
restore:
	scripts/restore.sh $(FILE)

# Production: settings and secrets from the environment, PostgreSQL from DATABASE_URL (docs/deploy.md).
PRODUCTION := DJANGO_SETTINGS_MODULE=config.settings.production

## release: the static files, the deployment checks and the migrations, before serve or serve-all
release: setup var/static/staticfiles.json
	$(PRODUCTION) $(BIN)/python manage.py check --deploy --fail-level ERROR
	$(PRODUCTION) $(BIN)/python manage.py migrate --no-input

# Collected, hashed and compressed again only when a static file or a package changed: compressing
# thousands of files takes minutes. GOV.UK Frontend's Sass, Nunjucks and Markdown are never served.
STATIC_SOURCES := $(shell find earlyhelp/static node_modules/govuk-frontend/dist/govuk node_modules/htmx.org/dist -type f 2>/dev/null)
var/static/staticfiles.json: $(VENV)/.installed earlyhelp/static/build/app.css $(STATIC_SOURCES)
	$(PRODUCTION) $(BIN)/python manage.py collectstatic --no-input -v0 -i '*.scss' -i '*.njk' -i '*.md'

## serve: the app under gunicorn with production settings (config/gunicorn.py: WEB_CONCURRENCY, WEB_THREADS, WEB_BIND)
serve: release
	$(PRODUCTION) exec $(BIN)/gunicorn config.wsgi -c python:config.gunicorn

## worker: the background task worker (django-tasks-db's db_worker with a heartbeat for /readyz)
worker: setup
	$(PRODUCTION) exec $(BIN)/python manage.py run_worker

## serve-all: serve and worker together on one machine; Ctrl-C or SIGTERM stops both
serve-all: release
	$(PRODUCTION) exec scripts/serve_all.sh
