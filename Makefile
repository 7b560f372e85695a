# Everything runs from .venv at the repository root (created by `make setup`).
PY := .venv/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)

.PHONY: setup demo test triage-gate test-unit test-integration up down status clean

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
	$(MAKE) triage-gate

# The frozen test split (never tuned on) as a gate: on transcripts, and through Whisper on the
# test voicemails that have phone audio. Floors sit just under the figures measured when the model
# was frozen, so a regression fails CI; the goals (emergency recall 1.00) are in the README.
triage-gate: setup
	$(PY) -m pipeline eval data/triage/test.jsonl --min emergency_recall=0.93 --min urgency_accuracy=0.85 \
	  --min intent_micro_f1=0.85 --min role_accuracy=0.84
	$(PY) -m pipeline eval data/triage/test.devset2.jsonl --audio ../shared/devset/audio2 \
	  --min emergency_recall=0.95 --min urgency_accuracy=0.8 --min intent_micro_f1=0.8 --min role_accuracy=0.8

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
