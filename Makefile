# Two commands: `make run` serves the site, `make test` runs the suite.
# Both create .venv with the Python found on the machine (3.10 or newer) and are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/python manage.py bootstrap --address $(HOST):$(PORT)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

# Recompile the Vietnamese catalogues (locale/*/LC_MESSAGES/*.po → .mo) with polib: no GNU gettext needed.
messages: $(VENV)/.installed-dev
	$(BIN)/python -c 'import pathlib, polib; [polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo"))) for po in sorted(pathlib.Path("locale").glob("*/LC_MESSAGES/*.po"))]'

clean:
	rm -rf $(VENV)
