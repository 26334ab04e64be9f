# Two commands: `make run` (everything from a bare clone) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format schema schema-check bench clean worker beat frontend messages eval-intake

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Front-end packages (map geometry, htmx) from the npm registry, pinned by package-lock.json.
# Without npm the public pages still render: the map falls back to the list of regions.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund; \
	else echo "npm not found: skipping front-end packages (the map shows as a list)"; fi

frontend: node_modules/.package-lock.json

# English catalogue: locale/en/LC_MESSAGES/django.po -> .mo with Babel (pure Python, no gettext).
messages: install
	$(BIN)/pybabel -q compile -d locale -D django

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --missing-only

run: demo frontend messages
	$(BIN)/python manage.py ensure_superuser
	@echo "Serving on http://127.0.0.1:$(PORT)/  (admin: http://127.0.0.1:$(PORT)/admin/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Background jobs against a broker (REDIS_URL or CELERY_BROKER_URL); without one tasks run in-process.
worker: migrate
	$(BIN)/celery -A config worker --loglevel=INFO

beat: migrate
	$(BIN)/celery -A config beat --loglevel=INFO

test: install frontend messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The committed OpenAPI schema: `make schema` regenerates openapi.yaml after an API change;
# `make schema-check` (run by CI) fails when the generated schema differs from it.
# Integer bounds in the schema follow the database backend, so both generate it with the same one.
SCHEMA_ENV := DATABASE_URL=sqlite://:memory:
schema: install
	$(SCHEMA_ENV) $(BIN)/python manage.py spectacular --file openapi.yaml --validate --fail-on-warn

schema-check: install
	@tmp=$$(mktemp); $(SCHEMA_ENV) $(BIN)/python manage.py spectacular --file $$tmp --validate --fail-on-warn \
	  && diff -u openapi.yaml $$tmp; rc=$$?; rm -f $$tmp; \
	  [ $$rc -eq 0 ] || { echo "openapi.yaml differs from the generated schema: run 'make schema'"; exit 1; }

# Load benchmark of the API against its raw-SQL floors, in PostgreSQL (see docs/api.md).
bench: install
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Press-release intake quality: precision/recall per kind of value on intake/eval/texts, and speed.
eval-intake: migrate
	$(BIN)/python manage.py intake_eval

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
