"""The records that cross stage boundaries: frozen and typed. The stage cores take and return these;
`events` is the one place that turns them into wire JSON and back (and validates, once per hop).

Wire names are the field names, in the same order; times are `datetime` here and ISO 8601 on the wire;
lists are tuples here, so a record cannot change after it is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pipeline.topics import RoleName

Urgency = Literal["emergency", "urgent", "routine", "informational"]
Intent = Literal["symptom_report", "medication_refill", "medication_question", "test_results", "appointment",
                 "billing_insurance", "records_forms", "referral", "returning_call", "other"]


@dataclass(frozen=True)
class Voicemail:
    """One stored recording announced to the pipeline (`voicemail.received`, the claim check)."""
    voicemail_id: str
    bucket: str
    key: str
    version_id: str | None
    etag: str
    size: int
    content_type: str | None
    caller_id: str | None
    mailbox: str | None
    received_at: datetime
    metadata_missing: tuple[str, ...]
    source: str  # reconciler | submit | notification | local
    emitted_at: datetime


@dataclass(frozen=True)
class Segment:
    """A stretch of the transcript with Whisper's confidence figures; seconds from the start of the audio."""
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


@dataclass(frozen=True)
class Span:
    """Seconds of the audio, start to end."""
    start: float
    end: float


@dataclass(frozen=True)
class Transcript:
    """The words of one voicemail and how far to trust them."""
    text: str
    segments: tuple[Segment, ...]
    language: str
    language_probability: float
    duration_s: float
    speech_s: float
    needs_review: bool
    review_reasons: tuple[str, ...]
    redecoded: tuple[Span, ...]  # decoded a second time (a gap, or a garbled number)
    unheard: tuple[Span, ...]  # speech still not in the text: the reviewer listens there
    model: Mapping[str, Any]  # which model and settings made it


@dataclass(frozen=True)
class Evidence:
    """The words behind one triage decision: character offsets into the transcript and the rule."""
    field: str
    value: str
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Triage:
    """LABELS.md's keys for one transcript, then what the product adds (generic names, window, review, evidence)."""
    urgency: Urgency
    intents: tuple[Intent, ...]  # first = primary
    role: RoleName
    callback_number: str | None  # E.164
    patient_name: str | None
    caller_name: str | None
    dob: str | None  # ISO date
    medications: tuple[str, ...]
    caller_relationship: str
    language: str
    medications_generic: tuple[str, ...]
    callback_window: str | None
    needs_review: bool
    review_reasons: tuple[str, ...]
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class _Heard:
    """A voicemail and its transcript, as each event after transcription carries them."""
    voicemail_id: str
    voicemail: Voicemail
    transcript: Transcript

    def __post_init__(self) -> None:
        if self.voicemail_id != self.voicemail.voicemail_id:
            raise ValueError("the event's voicemail_id differs from its voicemail's")


@dataclass(frozen=True)
class Transcribed(_Heard):
    """`voicemail.transcribed`: a voicemail and its transcript."""
    transcribed_at: datetime


@dataclass(frozen=True)
class Triaged(_Heard):
    """`voicemail.triaged`: a voicemail, its transcript and its triage."""
    triage: Triage
    triaged_at: datetime


@dataclass(frozen=True)
class Alert:
    """`alerts.emergency`: an emergency task to page for, without the transcript."""
    voicemail_id: str
    task_id: str
    role: str
    priority: str
    due_by: datetime
    reasons: tuple[str, ...]
    mailbox: str | None


@dataclass(frozen=True)
class CallbackTask:
    """A routed callback task: the FHIR Task (wire JSON, validated when built) and where it goes."""
    task_id: str
    role: str
    topic: str
    priority: str
    due_by: datetime
    resource: Mapping[str, Any]
    alert: Alert | None


@dataclass(frozen=True)
class DeadLetter:
    """`voicemail.dlq`: a message a stage could not handle, with its original bytes."""
    voicemail_id: str | None
    stage: str
    reason: str
    error: str
    topic: str
    original: str
    original_encoding: str  # utf-8 | base64
    failed_at: datetime

