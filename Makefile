# IPS Works. `make demo` and `make test` are all a fresh machine needs (Python 3.11, Node 20).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
NHSUK := node_modules/nhsuk-frontend/dist/nhsuk
export IPS_DEBUG ?= 1

# The type-checked modules are listed once, in pyproject.toml [tool.mypy] `files` (the money,
# security and metric ones strictly: docs/architecture.md "Types"). `make lint`, CI (.ci/run)
# and the pre-commit hook all check that list; this prints it for the commands that want it.
MYPY_DOMAIN = $(shell $(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["tool"]["mypy"]["files"])')

.PHONY: demo demo-reset test test-fast bench lint format hooks assets install clean print-mypy-domain

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# Copy the pinned NHS.UK frontend and htmx builds where Django's static finders look.
# The NHS.UK stylesheet points at /assets/...; rewrite those to paths relative to the file.
assets/.built: node_modules/.package-lock.json
	rm -rf assets && mkdir -p assets/nhsuk assets/htmx assets/axe assets/autocomplete
	cp $(NHSUK)/nhsuk-frontend.min.css $(NHSUK)/nhsuk-frontend.min.css.map \
	   $(NHSUK)/nhsuk-frontend.min.js $(NHSUK)/nhsuk-frontend.min.js.map assets/nhsuk/
	cp -r $(NHSUK)/assets assets/nhsuk/assets
	sed -i 's#url(/assets/#url(assets/#g' assets/nhsuk/nhsuk-frontend.min.css
	cp node_modules/htmx.org/dist/htmx.min.js assets/htmx/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.* assets/autocomplete/
	touch $@

assets: assets/.built

# The demo's secret key is generated once per install and kept out of the repository.
.secrets/demo-key:
	mkdir -p .secrets && chmod 700 .secrets
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(64))" > $@
	chmod 600 $@

# The demo runs as production does: DEBUG off, gunicorn, static files collected and served
# by whitenoise, the service's own 404 and 500 pages (never Django's list of URLs). Only
# plain HTTP on 127.0.0.1 and the demo accounts' sign-in shortcut differ.
demo: export IPS_DEBUG = 0
demo: export IPS_SSL_REDIRECT = 0
demo: export IPS_SECURE_COOKIES = 0
demo: export IPS_HSTS_SECONDS = 0
demo: export IPS_HSTS_PRELOAD = 0
demo: export IPS_SECRET_KEY_FILE = $(CURDIR)/.secrets/demo-key
demo: export IPS_DEMO_ACCOUNTS_ENABLED = 1
demo: install assets .secrets/demo-key
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	@echo "Background worker started (exports, imports, emails); it stops with the server."
	@echo "Serving on http://127.0.0.1:$(PORT)"
	$(BIN)/python manage.py db_worker --no-startup-delay --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn ipsworks.config.wsgi:application --bind 127.0.0.1:$(PORT) \
	    --workers 1 --threads 4 --access-logfile - --error-logfile -

demo-reset: install assets
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	$(MAKE) demo

test: install assets
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install assets
	$(BIN)/pytest -m "not browser and not slow" $(PYTEST_ARGS)

bench: install assets
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The same checks before each commit (.pre-commit-config.yaml).
hooks: install
	$(BIN)/pre-commit install

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules assets staticfiles db.sqlite3*

print-mypy-domain:
	@echo $(MYPY_DOMAIN)
