# Two commands: `make run` serves the site, `make test` runs the suite (the same generated
# inputs every time); `make fuzz` explores generated inputs at random.
# Both create .venv with the Python found on the machine (3.10 or newer) and are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test fuzz lint format messages clean

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

# Random exploration: FUZZ_EXAMPLES generated inputs per test (Hypothesis profile "fuzz", see
# tests/conftest.py); a failure prints its input and the @reproduce_failure blob to replay it.
FUZZ_EXAMPLES ?= 2000
fuzz: $(VENV)/.installed-dev
	LECHAN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider \
		--hypothesis-profile=fuzz --hypothesis-show-statistics tests/test_fuzz.py $(PYTEST_ARGS)

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
