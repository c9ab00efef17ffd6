# Ovi — run `make help` for the list of targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help run test bench messages lock clean

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

run: $(STAMP) ## Install, migrate, load demo content and serve http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) ensure_dev_admin
	$(MANAGE) runserver 127.0.0.1:8000

test: $(STAMP) ## Run the whole test suite on SQLite
	$(BIN)/python -m pytest

bench: $(STAMP) ## Run the benchmarks in bench/ (results in bench/results/)
	$(BIN)/python -m bench

messages: $(STAMP) ## Extract UI strings and compile the fi and sv catalogues (needs GNU gettext)
	$(MANAGE) makemessages -l fi -l sv --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(MANAGE) compilemessages --ignore '.venv/*'

lock: ## Re-pin the whole dependency tree after changing pyproject.toml
	rm -rf $(VENV) && $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet ".[test]" && $(BIN)/python -m pip uninstall --quiet -y ovi
	$(BIN)/python -m pip freeze > requirements.lock && touch $(STAMP)

clean: ## Remove the virtualenv and local data (database, media, static)
	rm -rf $(VENV) var
