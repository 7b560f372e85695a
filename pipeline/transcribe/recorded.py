"""Transcripts recorded beforehand instead of Whisper: for measuring and testing the Kafka part of the
pipeline alone (`bench kafka`, the cluster chaos tests), where ASR would be the limit by far.

The transcribe stage still fetches and decodes every recording (bad audio is dead-lettered as usual);
only the speech recognition is replaced, by a lookup of the audio's sha256 in a JSONL file of
`{"sha256": ..., "text": ..., "language": ...}` lines (`VM_RECORDED_TRANSCRIPTS`). Never in production:
a recording with no line is dead-lettered `no_recorded_transcript`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.audio import SAMPLE_RATE, AudioLimits, load_audio
from pipeline.config import Settings
from pipeline.domain import Segment, Transcript
from pipeline.errors import Rejected


def record_line(audio: bytes, text: str, language: str = "en") -> str:
    """One line of a recorded-transcripts file: this audio is heard as `text`."""
    return json.dumps({"sha256": hashlib.sha256(audio).hexdigest(), "text": text, "language": language})


class Recorded:
    """The Transcriber's interface (`model_id`, `load_seconds`, `transcribe`) over recorded transcripts."""

    def __init__(self, settings: Settings, path: Path) -> None:
        docs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        self.lines = {doc["sha256"]: doc for doc in docs}
        self.model_id = f"recorded:{path.name}"
        self.load_seconds = 0.0
        self.limits = AudioLimits(settings.max_audio_bytes, settings.max_audio_seconds)

    def transcribe(self, data: bytes) -> Transcript:
        """The recorded transcript of these bytes, once they decode as audio. Raises Rejected."""
        seconds = round(load_audio(data, self.limits).size / SAMPLE_RATE, 2)
        doc = self.lines.get(hashlib.sha256(data).hexdigest())
        if doc is None:
            raise Rejected("no_recorded_transcript", "no recorded transcript for this audio")
        return Transcript(doc["text"], (Segment(0.0, seconds, doc["text"], 0.0, 0.0, 1.0),), doc["language"], 1.0,
                          seconds, seconds, False, (), (), (),
                          {"id": self.model_id, "compute_type": "recorded", "beam_size": 0})
