# Ovi — run `make help` for the list of targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
LEAFLET := directory/static/directory/vendor/leaflet
.PHONY: help run serve test lint format bench relevance vendor messages lock clean load faults bench-production screenshots

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

# Browser libraries come from npm (pinned in package-lock.json) and are never committed.
# leaflet.js names its source map; production's manifest storage follows that
# reference, so the map is copied too (without it collectstatic fails).
$(LEAFLET)/leaflet.js.map: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(LEAFLET) && mkdir -p $(LEAFLET)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
	   node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(LEAFLET)/
	cp -R node_modules/leaflet/dist/images $(LEAFLET)/images

vendor: $(LEAFLET)/leaflet.js.map ## Install browser libraries from npm (Leaflet)

run: $(STAMP) vendor ## Install, migrate, load demo content and serve http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_dev_admin
	$(MANAGE) db_worker --no-reload & trap 'kill $$! 2>/dev/null' EXIT; $(MANAGE) runserver 127.0.0.1:8000

# make serve: what production runs (docs/deployment.md), on http://127.0.0.1:8000
# with the demo content. No TLS proxy stands in front, so OVI_HTTPS=0; Django
# serves the uploaded media itself (OVI_SERVE_MEDIA=1) for the same reason.
SECRET_FILE := var/secret_key
SERVE_ENV := DJANGO_SETTINGS_MODULE=portal.settings.production \
	ALLOWED_HOSTS=127.0.0.1,localhost WAGTAILADMIN_BASE_URL=http://127.0.0.1:8000 \
	OVI_HTTPS=0 OVI_SERVE_MEDIA=1 OVI_DEMO_NOTICE=1
$(SECRET_FILE):
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: $(STAMP) vendor $(SECRET_FILE) ## Run the production configuration (gunicorn, worker) on http://127.0.0.1:8000
	export $(SERVE_ENV) SECRET_KEY="$$(cat $(SECRET_FILE))"; \
	$(MANAGE) collectstatic --noinput --verbosity 0 && \
	$(MANAGE) migrate --noinput && \
	$(MANAGE) load_demo && \
	{ $(MANAGE) db_worker & trap 'kill $$! 2>/dev/null' EXIT; \
	  $(BIN)/gunicorn -c python:portal.gunicorn_conf portal.wsgi; }

test: $(STAMP) vendor ## Run the whole test suite on SQLite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Uses the system Chromium (apt-get install chromium), as the browser tests do.
screenshots: $(STAMP) vendor ## PNGs of every page type at 360 and 1280 px into var/screenshots/ (SCREENSHOT_LANGS=fi,sv,en)
	$(BIN)/python -m tests.browser.screenshots

lint: $(STAMP) ## Static checks: ruff's rules, the formatter and mypy (pyproject.toml), changing nothing
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## Apply ruff's formatter and its safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) vendor ## Run the benchmarks in bench/ (results in bench/results/; BENCH_SCALE=0.1 for a quick run)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.search_national
	$(BIN)/python -m bench.serving

RELEVANCE_ENGINES ?= auto
relevance: $(STAMP) ## Judged search queries per engine (RELEVANCE_ENGINES=all adds PostgreSQL and Elasticsearch)
	$(BIN)/python -m bench.relevance --engines "$(RELEVANCE_ENGINES)"

messages: $(STAMP) ## Extract UI strings and compile the fi and sv catalogues (needs GNU gettext)
	$(MANAGE) makemessages -l fi -l sv --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(MANAGE) compilemessages --ignore '.venv/*'

lock: ## Re-pin the whole dependency tree after changing pyproject.toml
	rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	# The direct dependencies from pyproject.toml (Ovi itself is not a package to install).
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["test"] + p["optional-dependencies"]["load"]))' \
	  > $(VENV)/direct.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/direct.txt
	$(BIN)/python -m pip freeze > requirements.lock && touch $(STAMP)

clean: ## Remove the virtualenv, node_modules, vendored browser libraries and local data
	rm -rf $(VENV) var node_modules $(LEAFLET)

load: $(STAMP) vendor ## Load test (locust) on the production stack, national scale (LOAD_USERS, LOAD_TIME, BENCH_SCALE)
	$(BIN)/python -m bench.load

faults: $(STAMP) vendor ## Faults under load: Elasticsearch, PostgreSQL, task worker, gunicorn worker (FAULT_TIME, BENCH_SCALE)
	$(BIN)/python -m bench.faults

bench-production: $(STAMP) vendor ## Serving, load and faults on one shared production stack (one setup; BENCH_SCALE, SERVING_*, LOAD_*, FAULT_*)
	$(BIN)/python -m bench.production
