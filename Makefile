# geofinder — `make demo` sets everything up and serves; `make test` runs the whole suite.
# Both work on a fresh Debian/Ubuntu machine: missing system packages are installed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo setup test system-deps browser-deps pgbouncer venv secret-key db static load serve bench bench-export bench-hostile bench-scale bench-import bench-map clean help

help:
	@echo "make demo   install, start the database, load the data, serve on http://$(HOST):$(PORT)"
	@echo "make setup  everything but serving (safe to run again: unchanged sources are skipped)"
	@echo "make test   the whole test suite against a real PostGIS database"
	@echo "make bench  the benchmarks in bench/"
	@echo "make pgbouncer     PgBouncer >= 1.21 (Debian 13's source) in /var/tmp/geofinder-pgbouncer/, for the pooler's tests"
	@echo "make bench-export  the export benchmark (2,000,000 places streamed as GeoJSON and CSV)"
	@echo "make bench-hostile ordinary searches alone, then beside 8 connections of hostile requests"
	@echo "make bench-scale   the search load on the primary alone, then on primary + streaming replica(s)"
	@echo "make bench-map     the map of 50,000 places of one département in headless Chromium, before/after the overview"
	@echo "make bench-import  import_sirene on a synthetic 300,000-row register file: rows/s and peak memory"

demo: setup serve

setup: system-deps venv secret-key db static load

# The tests run in PYTEST_WORKERS processes (pytest-xdist), each on a test database of its own
# (test_geofinder_gw0, _gw1…), loaded in parallel; the tests of the streaming replica, which
# pause the replay of the whole cluster, all run in one of them (xdist_group, --dist loadgroup).
# On 2 cores, 2 workers: pytest about 300 s instead of 390–400 s. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
test: system-deps browser-deps pgbouncer venv secret-key db static
	@bash scripts/allow-local-replication.sh
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

system-deps:
	@bash scripts/install-system-deps.sh

# Debian's headless Chromium and a font, for the browser tests of the map pages (marker `browser`).
browser-deps:
	@bash scripts/install-system-deps.sh chromium fonts-dejavu-core

# PgBouncer 1.21 or later for tests/core/test_pooler.py (Debian 12's 1.18 has no
# max_prepared_statements): Debian 13's source package, built once into /var/tmp/geofinder-pgbouncer/
# (shared by the checkouts of this machine, as the replica's copy is; PGBOUNCER_PREFIX elsewhere).
pgbouncer:
	@bash scripts/build-pgbouncer.sh

venv: $(VENV)/.installed

# The packages are installed by uv (Astral's installer, from PyPI): the same pinned versions as
# pip's, in 4 s instead of pip's 30 (parallel, no byte-compiling of every file installed), which
# every clean checkout's `make test` pays. PIP_INSTALLER=pip installs them with pip instead.
PIP_INSTALLER ?= uv
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip $(if $(filter uv,$(PIP_INSTALLER)),uv==0.13.9)
	$(if $(filter uv,$(PIP_INSTALLER)),UV_LINK_MODE=copy $(PY) -m uv pip install -q --python $(PY),$(PY) -m pip install -q) -r requirements.txt
	touch $@

# The secret key of this checkout, written once to var/secret_key (git-ignored: keep it with the
# backups); read by the settings when DJANGO_SECRET_KEY is not set. Without a key, or with a weak
# one and DEBUG off, manage.py and the WSGI start refuse to run (geofinder/core/checks.py).
secret-key: var/secret_key

var/secret_key:
	@mkdir -p var
	@umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@.tmp && mv $@.tmp $@
	@echo "wrote a new secret key to $@"

# createcachetable: the rate limits' counters (settings: GEOFINDER_RATELIMIT_CACHE, a table by default).
db: secret-key
	@bash scripts/ensure-db.sh
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py createcachetable -v 0

static:
	$(PY) manage.py collectstatic --noinput -v 0

load:
	$(PY) manage.py load_data

# gunicorn.conf.py: oversized requests answered in the API's JSON, request ids in the access log.
serve: secret-key
	@echo "geofinder on http://$(HOST):$(PORT)/"
	$(VENV)/bin/gunicorn geofinder.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers 2 --worker-class gthread --threads 4 --access-logfile -

bench: venv secret-key db
	@bash scripts/install-system-deps.sh wrk
	$(PY) bench/run.py $(BENCH_ARGS)

# Export benchmark: the 2,000,000 synthetic places through /api/v1/export/places.{geojson,csv}.
bench-export: venv secret-key db
	$(PY) bench/export.py $(BENCH_ARGS)

# SIRENE import benchmark: a synthetic 300,000-row geo_siret file imported twice (bench/import_sirene.py).
bench-import: venv secret-key db
	$(PY) bench/import_sirene.py $(BENCH_ARGS)

# The map of a whole département: 50,000 synthetic places of Haute-Garonne in headless Chromium,
# every place as a marker (before) against the overview of clusters counted by PostGIS (after).
bench-map: venv secret-key db static browser-deps
	$(PY) bench/map_scale.py $(BENCH_ARGS)

# Hostile load: the search load alone, then beside the costliest requests the API accepts.
bench-hostile: venv secret-key db
	@bash scripts/install-system-deps.sh wrk
	$(PY) bench/hostile.py $(BENCH_ARGS)

# Read scaling: the search load against the primary alone, then with its streaming replica(s) of the
# local cluster (bench/scale.py; a copy of the whole cluster, kept in /var/tmp between runs).
bench-scale: venv secret-key db
	@bash scripts/install-system-deps.sh wrk
	@bash scripts/allow-local-replication.sh
	$(PY) bench/scale.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var
