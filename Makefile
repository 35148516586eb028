# The two commands of the README's quick start:
#   make run    install stretch-timer into .venv and open the routine picker
#   make test   install what the tests need and run every check CI runs
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: run test lint typecheck imports pytest bench clean

run: $(VENV)/.run-installed
	$(BIN)/stretch $(ARGS)

test: $(VENV)/.test-installed
	$(BIN)/ruff check timer_app tests bench scripts
	$(BIN)/ruff format --check timer_app tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

$(BIN)/python:
	@scripts/make-venv $(PYTHON) $(VENV)

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml scripts/setup-test-system | $(BIN)/python
	scripts/setup-test-system
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@# simpleaudio has no wheels and must compile; where it cannot, its tests say why they skip.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[simpleaudio]' \
		|| echo "note: the simpleaudio extra did not build; its tests will be skipped" >&2
	touch $@ $(VENV)/.run-installed

bench: $(VENV)/.test-installed
	$(BIN)/python bench/timing.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/sound.py
	$(BIN)/python bench/history.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist
