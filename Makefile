# AvenirPro+ — two commands: `make run` (demo on SQLite, no server needed) and `make test` (PostgreSQL + Redis).
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
PY := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .uv-bootstrap/bin/uv)

.PHONY: install run worker test test-fast fuzz quality fix bench scorecard services clean

$(UV):
	python3 -m venv .uv-bootstrap && .uv-bootstrap/bin/pip install -q uv

.venv/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python 3.11 --quiet
	touch $@

install: .venv/.installed

## make run: migrate, load the demo on first run, serve http://127.0.0.1:8000 with a Celery worker and beat.
run: install
	@mkdir -p var
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py createcachetable
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true ./scripts/run.sh

worker: install
	@# Two workers, as in production (ADR 0011): the long imports/exports apart from the quick tasks (beat embedded).
	DEBUG=true $(PY) -m celery -A avenirpro worker -l info --concurrency 1 -Q longues -n longues@%h & \
	DEBUG=true $(PY) -m celery -A avenirpro worker -B -l info --concurrency 1 -Q celery -n rapide@%h; \
	kill $$! 2>/dev/null

services:
	./scripts/services.sh

## make test: the whole suite on PostgreSQL and Redis, browser tests included.
# Two pytest-xdist workers, each with its own test database; whole files per worker (`loadfile`) so that the
# scorecard facts a test module adds up (access matrix, canaries, import fuzz) stay whole. PYTEST_PARALLELE= runs serially.
PYTEST_PARALLELE ?= -n 2 --dist loadfile
# axe-core (accessibility tests) from npm, installed when node_modules is missing or the lock file changed.
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test: install services node_modules/axe-core/axe.min.js
	DJANGO_SETTINGS_MODULE=avenirpro.settings_tests $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=avenirpro.settings_tests $(PY) manage.py makemigrations --check --dry-run
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	./scripts/pytest.sh --create-db $(PYTEST_PARALLELE)

## make fuzz: the state machine of the parcours rules, longer (REGLES_EXEMPLES examples, REGLES_GRAINE to replay).
REGLES_EXEMPLES ?= 500
fuzz: install services
	REGLES_EXEMPLES=$(REGLES_EXEMPLES) ./scripts/pytest.sh --reuse-db -s tests/parcours/test_machine_regles.py

test-fast: install
	./scripts/pytest.sh -m "not e2e and not services" --reuse-db

quality: install
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	DJANGO_SETTINGS_MODULE=avenirpro.settings_tests $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=avenirpro.settings_tests $(PY) manage.py makemigrations --check --dry-run

fix: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

bench: install services
	@command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null \
		|| echo "wrk absent : charge par des clients Python (moins fidèle)"
	$(PY) bench/run.py

## make scorecard: run the reliability, RGPD, security and accessibility suites, print and write docs/scorecard.md.
scorecard: install services node_modules/axe-core/axe.min.js
	$(PY) scripts/scorecard.py

clean:
	rm -rf var/db.sqlite3 var/broker var/results
