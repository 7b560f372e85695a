"""Audio bytes -> transcript. Pure apart from the model, which is loaded once per process."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from datetime import datetime

import av
import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.audio import decode_audio

from pipeline import events
from pipeline.config import Settings
from pipeline.errors import Rejected
from pipeline.logging import get_logger
from pipeline.transcribe import model as model_files

log = get_logger(__name__)
SAMPLE_RATE = 16000


class AudioRejected(Rejected):
    """Audio the stage cannot or should not transcribe."""


@dataclass(frozen=True)
class AudioLimits:
    max_bytes: int
    max_seconds: float


def container_duration(data: bytes) -> float | None:
    """Duration from the container header, without decoding the audio."""
    try:
        with av.open(io.BytesIO(data), metadata_errors="ignore") as container:
            if container.duration is not None:
                return container.duration / av.time_base
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise AudioRejected("audio_corrupt", "no audio stream")
            if stream.duration is not None and stream.time_base is not None:
                return float(stream.duration * stream.time_base)
    except AudioRejected:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise AudioRejected("audio_corrupt", type(exc).__name__) from None
    return None


def load_audio(data: bytes, limits: AudioLimits) -> np.ndarray:
    """Check size and duration first, then decode to 16 kHz mono float32."""
    if len(data) == 0:
        raise AudioRejected("audio_empty", "zero bytes")
    if len(data) > limits.max_bytes:
        raise AudioRejected("audio_too_large", f"{len(data)} bytes > {limits.max_bytes}")
    duration = container_duration(data)
    if duration is not None and duration > limits.max_seconds:
        raise AudioRejected("audio_too_long", f"{duration:.0f}s > {limits.max_seconds:.0f}s")
    try:
        audio = decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise AudioRejected("audio_corrupt", type(exc).__name__) from None
    if audio.size == 0:
        raise AudioRejected("audio_corrupt", "no samples decoded")
    if audio.size / SAMPLE_RATE > limits.max_seconds:
        raise AudioRejected("audio_too_long", f"{audio.size / SAMPLE_RATE:.0f}s > {limits.max_seconds:.0f}s")
    return audio


class Transcriber:
    def __init__(self, settings: Settings) -> None:
        started = time.monotonic()
        path, self.model_id = model_files.resolve(settings.whisper_model, settings.model_cache)
        self.compute_type = settings.whisper_compute_type
        self.beam_size = settings.whisper_beam_size
        self.initial_prompt = settings.whisper_initial_prompt or None
        self.limits = AudioLimits(settings.max_audio_bytes, settings.max_audio_seconds)
        self.model = WhisperModel(str(path), device="cpu", compute_type=self.compute_type,
                                  cpu_threads=settings.whisper_cpu_threads)
        log.info("transcribe.model_loaded", model=self.model_id, seconds=round(time.monotonic() - started, 2))

    def transcribe(self, data: bytes) -> dict:
        """Audio bytes -> the `transcript` object of voicemail.transcribed. Raises AudioRejected."""
        audio = load_audio(data, self.limits)
        segments, info = self.model.transcribe(
            audio, beam_size=self.beam_size, vad_filter=True, initial_prompt=self.initial_prompt,
            condition_on_previous_text=False,
        )
        # `segments` is lazy: decoding errors surface here, inside the caller's error handling.
        segs = [
            {"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text.strip(),
             "avg_logprob": round(s.avg_logprob, 4), "no_speech_prob": round(s.no_speech_prob, 4)}
            for s in segments
        ]
        text = " ".join(s["text"] for s in segs if s["text"]).strip()
        if not text:
            raise AudioRejected("no_speech", "no speech found")
        return {
            "text": text,
            "segments": segs,
            "language": info.language,
            "language_probability": round(info.language_probability, 4),
            "duration_s": round(info.duration, 2),
            "model": {"id": self.model_id, "compute_type": self.compute_type, "beam_size": self.beam_size},
        }


def transcribed_event(received: dict, transcript: dict, now: datetime) -> dict:
    return events.validate("voicemail.transcribed", {
        "schema_version": events.SCHEMA_VERSION,
        "voicemail_id": received["voicemail_id"],
        "voicemail": received,
        "transcript": transcript,
        "transcribed_at": events.iso(now),
    })
