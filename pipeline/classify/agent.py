"""Classify stage shell: voicemail.transcribed -> spaCy triage -> voicemail.triaged."""

from __future__ import annotations

import faust

from pipeline import events, topics
from pipeline.classify.core import Classifier, triaged_event
from pipeline.config import Settings
from pipeline.domain import Transcribed
from pipeline.stream.app import Outcome, StageShell


def register(app: faust.App, _s: Settings) -> None:
    """Wire the classify stage: voicemail.transcribed -> voicemail.triaged."""
    classifier = Classifier()  # once per worker process
    shell = StageShell(app, "classify", topics.TRANSCRIBED)

    async def step(raw: bytes) -> Outcome:
        transcribed = events.read(Transcribed, topics.TRANSCRIBED, raw)
        transcript = transcribed.transcript
        triage = classifier.classify(transcript.text, language=transcript.language)
        out = triaged_event(transcribed, triage, events.utcnow())
        return Outcome([(topics.TRIAGED, out.voicemail_id, events.encode(topics.TRIAGED, out))])

    shell.consume(topics.TRANSCRIBED, step, name="classify")
