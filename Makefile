# Everything runs from .venv at the repository root (created by `make setup`).
PY := .venv/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: setup demo test lint triage-gate test-unit test-integration up down status clean

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
	$(MAKE) lint
	$(PY) -m pytest
	$(MAKE) triage-gate

# ruff (rule set and the one per-file ignore, with its reason, in pyproject.toml) and mypy on pipeline/
lint: setup
	.venv/bin/ruff check pipeline tests
	.venv/bin/mypy

# Triage gates (`eval --min`): the frozen test split on transcripts and, through Whisper, its
# voicemails that have phone audio; the four held-out sets on transcripts. Floors sit just under the
# figures measured when the model was frozen (README), so a regression fails CI. The goal
# (emergency recall 1.00 everywhere) is met on the held-out sets and through audio on devset2's test
# part, not yet on the test split's transcripts; that floor is not it.
triage-gate: setup
	$(PY) -m pipeline eval data/triage/test.jsonl --min emergency_recall=0.99 --min urgency_accuracy=0.90 \
	  --min intent_micro_f1=0.91 --min role_accuracy=0.88 --min callback_number=0.99
	$(PY) -m pipeline eval data/triage/holdout.jsonl --min emergency_recall=1.0 --min urgency_accuracy=0.91 \
	  --min intent_micro_f1=0.89 --min role_accuracy=0.91
	$(PY) -m pipeline eval data/triage/holdout2.jsonl --min emergency_recall=1.0 --min urgency_accuracy=0.89 \
	  --min intent_micro_f1=0.87 --min role_accuracy=0.88
	$(PY) -m pipeline eval data/triage/holdout3.jsonl --min emergency_recall=1.0 --min urgency_accuracy=0.92 \
	  --min intent_micro_f1=0.92 --min role_accuracy=0.89
	$(PY) -m pipeline eval data/triage/holdout4.jsonl --min emergency_recall=1.0 --min urgency_accuracy=0.91 \
	  --min intent_micro_f1=0.93 --min role_accuracy=0.88
	$(PY) -m pipeline eval data/triage/test.devset2.jsonl --audio ../shared/devset/audio2 \
	  --min emergency_recall=1.0 --min urgency_accuracy=0.93 --min intent_micro_f1=0.93 --min role_accuracy=0.93 \
	  --min callback_number=0.80 --min dob=0.90

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
