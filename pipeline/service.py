"""One recording through the whole triage in one process: transcribe -> classify -> route, with the
same cores the stream's stages run one hop each. `process` and `eval --audio` go through here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pipeline import events
from pipeline.classify.core import Classifier
from pipeline.config import Settings
from pipeline.domain import CallbackTask, Transcript, Triage, Voicemail
from pipeline.ingest.core import StoredObject, received_event
from pipeline.route.core import build_task
from pipeline.route.policy import load_policy
from pipeline.transcribe.core import Transcriber

LOCAL_BUCKET = "local"


def local_voicemail(path: Path, data: bytes, now: datetime) -> Voicemail:
    """The claim check a local file makes (the id from its name and bytes): the same checks and fields
    as one announced from the bucket, source `local`."""
    obj = StoredObject(LOCAL_BUCKET, path.name, hashlib.sha256(data).hexdigest(), len(data),
                       datetime.fromtimestamp(path.stat().st_mtime, tz=UTC))
    voicemail = received_event(obj, "local", now)
    events.validate("voicemail.received", events.to_wire(voicemail))  # never published: checked here
    return voicemail


@dataclass(frozen=True)
class Processed:
    """What one recording became: its claim check, transcript, triage and (when routed) callback task."""
    voicemail: Voicemail
    transcript: Transcript
    triage: Triage
    task: CallbackTask | None


class AudioTriage:
    """The models loaded once (Whisper, the triage pipeline, the routing policy), then one call per recording."""

    def __init__(self, s: Settings, route: bool = True) -> None:
        self.transcriber, self.classifier = Transcriber(s), Classifier()
        self.policy = load_policy(s.routing_policy) if route else None

    def triage(self, data: bytes) -> tuple[Transcript, Triage]:
        """The transcript and triage of the audio; Rejected on bad audio."""
        transcript = self.transcriber.transcribe(data)
        return transcript, self.classifier.classify(transcript.text, language=transcript.language)

    def __call__(self, voicemail: Voicemail, data: bytes, now: datetime) -> Processed:
        """Transcribe and triage the audio, and route it when a policy is loaded; Rejected on bad audio."""
        transcript, triage = self.triage(data)
        task = build_task(self.policy, voicemail, transcript, triage, now) if self.policy else None
        return Processed(voicemail, transcript, triage, task)
