# Keyhouse: `make run` to try it, `make test` to check it. Both set everything up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast lint format migrate demo bench load e2e clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s '	'

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Keyhouse needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP) .env  ## Create the virtualenv and a development .env

.env:
	$(PYTHON) scripts/make_dev_env.py > .env

migrate: setup  ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate  ## Load the demo sites and users
	$(BIN)/python manage.py seed_demo

run: demo  ## Start the portal, the sandbox API, a Celery worker and beat (Ctrl-C stops all)
	scripts/run_dev.sh

test: $(STAMP)  ## Run the whole test suite
	$(BIN)/python -m pytest

CHROMIUM ?= /usr/bin/chromium

e2e: $(STAMP) $(CHROMIUM)  ## Browser journeys in Chromium at desktop and phone size (screenshots in var/screenshots)
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/python -m pytest -m e2e

# Playwright's own browser download is not used: Debian's chromium is installed when missing.
$(CHROMIUM):
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

lint: $(STAMP)  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)  ## Format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup  ## Page timings on a seeded estate (full size on DATABASE_URL's PostgreSQL, 5% on SQLite), then the sync benchmarks (BENCH_DATABASE_URL adds PostgreSQL)
	$(BIN)/python -m bench.pages $(BENCH_PAGES_ARGS)
	$(BIN)/python -m bench.sync_month
	$(BIN)/python -m bench.audit_ingest
	@if [ -n "$$BENCH_DATABASE_URL" ]; then $(BIN)/python -m bench.audit_ingest --database-url "$$BENCH_DATABASE_URL"; fi

load: $(STAMP)  ## Load run: gunicorn + sandbox, 50 people for 2 min; needs DATABASE_URL=postgres://…/a-throwaway-db (it is emptied)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:  ## Remove the virtualenv, local database and queues
	rm -rf $(VENV) var db.sqlite3 staticfiles .pytest_cache .ruff_cache
