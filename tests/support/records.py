"""Small, valid `domain` records for tests: each a full record with plain defaults, changed by keyword."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from pipeline.domain import Evidence, Segment, Span, Transcript, Triage, Voicemail

VM_ID = "vm-" + "1" * 32
_VOICEMAIL = Voicemail(VM_ID, "voicemail", "inbox/a.wav", None, "0" * 32, 1000, "audio/wav", "+12155550100",
                       "main", datetime(2026, 11, 26, 15, 0, tzinfo=UTC), (), "submit",
                       datetime(2026, 11, 26, 15, 0, 1, tzinfo=UTC))
_TRANSCRIPT = Transcript("words", (Segment(0.0, 1.0, "words", -0.2, 0.01, 1.1),), "en", 0.99, 1.5, 1.0, False, (),
                         (), (), {"id": "whisper-test", "compute_type": "int8", "beam_size": 1})
_TRIAGE = Triage("routine", ("symptom_report",), "nurse", "+12155550100", "Pat Doe", "Pat Doe", "1950-01-02", (),
                 "self", "en", (), None, False, (), ())


def voicemail(**changes: Any) -> Voicemail:
    """A claim check for inbox/a.wav, received Thursday 2026-11-26 15:00 UTC in mailbox `main`."""
    return replace(_VOICEMAIL, **changes)


def transcript(**changes: Any) -> Transcript:
    """A confident one-segment English transcript ("words")."""
    changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
    if "unheard" in changes:
        changes["unheard"] = tuple(Span(**s) if isinstance(s, dict) else s for s in changes["unheard"])
    return replace(_TRANSCRIPT, **changes)


def triage(urgency: str = "routine", role: str = "nurse", **changes: Any) -> Triage:
    """A self-caller's triage with a callback number, name and DOB; one urgency evidence item
    (`red_flag:chest_pain`) unless `evidence` is given. Lists become tuples."""
    changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
    evidence = changes.pop("evidence", (Evidence("urgency", urgency, 0, 5, "red_flag:chest_pain"),))
    return replace(_TRIAGE, urgency=urgency, role=role, evidence=tuple(evidence), **changes)
