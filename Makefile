# Everything runs from .venv at the repository root (created by `make setup`).
PY := .venv/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: setup demo test test-unit test-integration up down status clean

setup: .venv/.installed

.venv/.installed: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -r requirements.lock
	.venv/bin/pip install -q --no-deps -e .
	touch $@

demo: setup
	$(PY) -m pipeline demo

test: setup
	$(PY) -m pytest

test-unit: setup
	$(PY) -m pytest tests/unit

test-integration: setup
	$(PY) -m pytest tests/integration

up: setup
	$(PY) -m pipeline dev up

down:
	$(PY) -m pipeline dev down

status:
	$(PY) -m pipeline dev status

clean: down
	rm -rf .venv .stack
