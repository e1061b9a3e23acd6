# The two commands that matter: `make run` (the bot) and `make test` (the whole suite).
# Both create .venv on first use; nothing needs installing by hand beyond Python 3.11+.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: setup setup-dev run test fmt lint migrate clean

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	$(PY) -m bot run

# One worker per core (pytest-xdist): each test has its own databases, ports and folders.
test: $(VENV)/.installed-dev
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

fmt: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix bot handlers storage tests
	$(VENV)/bin/ruff format bot handlers storage tests

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check bot handlers storage tests
	$(VENV)/bin/ruff format --check bot handlers storage tests
	$(VENV)/bin/mypy bot handlers storage

migrate: $(VENV)/.installed
	$(PY) -m bot migrate

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Lapkin needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
