# Ovi — run `make help` for the list of targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
LEAFLET := directory/static/directory/vendor/leaflet
.PHONY: help run test bench relevance vendor messages lock clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

# Browser libraries come from npm (pinned in package-lock.json) and are never committed.
$(LEAFLET)/leaflet.js: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(LEAFLET) && mkdir -p $(LEAFLET)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css node_modules/leaflet/LICENSE $(LEAFLET)/
	cp -R node_modules/leaflet/dist/images $(LEAFLET)/images

vendor: $(LEAFLET)/leaflet.js ## Install browser libraries from npm (Leaflet)

run: $(STAMP) vendor ## Install, migrate, load demo content and serve http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_dev_admin
	$(MANAGE) db_worker --no-reload & trap 'kill $$! 2>/dev/null' EXIT; $(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP) vendor ## Run the whole test suite on SQLite
	$(BIN)/python -m pytest

bench: $(STAMP) ## Run the benchmarks in bench/ (results in bench/results/; BENCH_SCALE=0.1 for a quick run)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.search_national

RELEVANCE_ENGINES ?= auto
relevance: $(STAMP) ## Judged search queries per engine (RELEVANCE_ENGINES=all adds PostgreSQL and Elasticsearch)
	$(BIN)/python -m bench.relevance --engines "$(RELEVANCE_ENGINES)"

messages: $(STAMP) ## Extract UI strings and compile the fi and sv catalogues (needs GNU gettext)
	$(MANAGE) makemessages -l fi -l sv --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(MANAGE) compilemessages --ignore '.venv/*'

lock: ## Re-pin the whole dependency tree after changing pyproject.toml
	rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet ".[test]" && $(BIN)/python -m pip uninstall --quiet -y ovi
	$(BIN)/python -m pip freeze > requirements.lock && touch $(STAMP)

clean: ## Remove the virtualenv, node_modules, vendored browser libraries and local data
	rm -rf $(VENV) var node_modules $(LEAFLET)
