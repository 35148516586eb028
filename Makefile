# The two commands of the README's quick start:
#   make run    install stretch-timer into .venv and open the routine picker
#   make test   install what the tests need and run every check CI runs
# Both install exact versions, with hashes, from requirements/*.lock; `make lock` refreshes the
# locks and `make test-latest` tries the newest releases, so an upgrade is always deliberate.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ARGS ?=
# Exact, hash-checked installs; --no-deps because a lock already lists every package.
LOCKED := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r
# The project itself, built by the locked hatchling rather than one fetched for the build.
SELF := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
# The tool that writes the locks, itself pinned; only `make lock` installs it.
UV_VERSION := 0.13.9
COMPILE := .venv-lock/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes --upgrade

.PHONY: run test lock test-latest lint typecheck imports pytest bench clean

run: $(VENV)/.run-installed
	$(BIN)/stretch $(ARGS)

test: $(VENV)/.test-installed
	$(BIN)/ruff check timer_app tests bench scripts
	$(BIN)/ruff format --check timer_app tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	@# Four workers even on two cores: most of the suite waits on real time (whole sessions in
	@# subprocesses, ptys, a browser, a sound card routed into a file) rather than computing.
	$(BIN)/python -m pytest -n 4

$(BIN)/python:
	@scripts/make-venv $(PYTHON) $(VENV)

$(VENV)/.run-installed: pyproject.toml requirements/app.lock | $(BIN)/python
	$(LOCKED) requirements/app.lock
	$(SELF)
	touch $@

$(VENV)/.test-installed: pyproject.toml requirements/test.lock requirements/simpleaudio.lock scripts/setup-test-system | $(BIN)/python
	scripts/setup-test-system
	$(LOCKED) requirements/test.lock
	$(SELF)
	@# simpleaudio has no wheels and must compile; where it cannot, its tests say why they skip.
	$(LOCKED) requirements/simpleaudio.lock \
		|| echo "note: the simpleaudio extra did not build; its tests will be skipped" >&2
	touch $@ $(VENV)/.run-installed

# Re-resolve every lock to the newest releases that fit pyproject.toml; review the diff, then
# run `make test` before committing it.
lock:
	test -x .venv-lock/bin/uv || { $(PYTHON) -m venv .venv-lock \
		&& .venv-lock/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	$(COMPILE) pyproject.toml requirements/build.in -o requirements/app.lock
	$(COMPILE) pyproject.toml requirements/build.in --extra test -o requirements/test.lock
	$(COMPILE) requirements/simpleaudio.in -o requirements/simpleaudio.lock
	$(COMPILE) requirements/pip.in -o requirements/pip.lock

# The suite against the newest releases, in a venv of its own; names each package that breaks it.
test-latest:
	$(PYTHON) scripts/test-latest

bench: $(VENV)/.test-installed
	$(BIN)/python bench/timing.py
	$(BIN)/python bench/app.py
	$(BIN)/python bench/sound.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/share.py
	$(BIN)/python bench/export.py

clean:
	rm -rf $(VENV) .venv-lock .venv-latest .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist
