# Linchpin developer commands. `make run` and `make test` do all the set-up they need.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))
export UV_PYTHON_DOWNLOADS := never
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format worker beat bench bench-data bench-web assets check-deploy clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(BIN)/python: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/dist/app.js: node_modules/.package-lock.json $(shell find frontend -type f)
	npm run build

assets: static/dist/app.js

install: $(BIN)/python assets

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "Linchpin on http://$(HOST):$(PORT)/ (worker and scheduler alongside; Ctrl-C stops all)"
	@trap 'kill 0' EXIT INT TERM; \
	$(BIN)/celery -A tpm worker --beat --loglevel INFO --concurrency 2 --without-gossip --without-mingle & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/python
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/python manage.py makemigrations --check --dry-run
	# the layering: import direction, module size, no transactions in views (static, no database)
	$(BIN)/pytest -q -p no:cacheprovider tests/test_architecture.py

format: $(BIN)/python
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A tpm worker --loglevel INFO

beat: install
	$(BIN)/celery -A tpm beat --loglevel INFO

bench: install
	$(BIN)/python -m bench

# The standard big organisation (issue 14) on PostgreSQL: DATABASE_URL, default linchpin_bench.
bench-data: install
	$(BIN)/python -m bench.bigorg $(ARGS)

# Every page and endpoint of it against the targets; ARGS="inprocess load browser --only gantt"
bench-web: install
	$(BIN)/python -m bench.web $(ARGS)

check-deploy: $(BIN)/python
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=linchpin.example.com \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .tools node_modules static/dist staticfiles .pytest_cache
